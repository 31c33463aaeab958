func.func @main(%x: tensor<1x?x4x4xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %r = axon.conv2d %x, %w : tensor<1x?x4x4xf32>, tensor<2x2x3x3xf32>
  return %r : tensor<1x2x2x2xf32>
}
