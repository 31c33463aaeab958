func.func @main(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>) -> tensor<64x16xf32> {
  %m = axon.matmul %a, %b activation = relu : tensor<64x32xf32>, tensor<32x16xf32>
  return %m : tensor<64x16xf32>
}
