func.func @main(%arg0: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = axon.neg %arg0 : tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
