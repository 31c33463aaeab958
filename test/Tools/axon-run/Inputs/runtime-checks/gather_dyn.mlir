func.func @main(%data: tensor<2x?xf32>, %idx: tensor<3xi64>) -> tensor<2x3xf32> {
  %r = axon.gather %data[%idx] axis = 1 : tensor<2x?xf32>, tensor<3xi64>
  return %r : tensor<2x3xf32>
}
