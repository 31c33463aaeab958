func.func @main(%x: tensor<?xf32>) -> tensor<?x4xf32> {
  %r = axon.reshape %x to [-1, 4] : tensor<?xf32>
  return %r : tensor<?x4xf32>
}
