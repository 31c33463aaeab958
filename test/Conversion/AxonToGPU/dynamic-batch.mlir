// A dynamic batch (as ONNX exports have) keeps every strategy: the grid
// reads the batch at run time.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels | FileCheck %s

// CHECK-LABEL: func.func @dynamic_batch
// CHECK: tensor.dim %{{.*}}, %c0
// CHECK: axon.strategy = "conv_igemm
// CHECK: axon.strategy = "conv_depthwise"
// CHECK: axon.strategy = "pool_max"
// CHECK: axon.strategy = "transpose_tiled_32"
// CHECK: axon.strategy = "reduce_rows"
func.func @dynamic_batch(%x: tensor<?x8x12x12xf32>, %w: tensor<16x8x3x3xf32>, %d: tensor<8x1x3x3xf32>)
    -> (tensor<?x16x10x10xf32>, tensor<?x8x10x10xf32>, tensor<?x8x6x6xf32>, tensor<?x12x8x12xf32>, tensor<?x8x1x1xf32>) {
  %0 = axon.conv2d %x, %w : tensor<?x8x12x12xf32>, tensor<16x8x3x3xf32>
  %1 = axon.conv2d %x, %d groups = 8 : tensor<?x8x12x12xf32>, tensor<8x1x3x3xf32>
  %2 = axon.max_pool2d %x kernel = [2, 2] strides = [2, 2] : tensor<?x8x12x12xf32>
  %3 = axon.transpose %x perm = [0, 3, 1, 2] : tensor<?x8x12x12xf32>
  %4 = axon.global_avg_pool %x : tensor<?x8x12x12xf32>
  return %0, %1, %2, %3, %4 : tensor<?x16x10x10xf32>, tensor<?x8x10x10xf32>, tensor<?x8x6x6xf32>, tensor<?x12x8x12xf32>, tensor<?x8x1x1xf32>
}
