// Max and average pooling are one-pass kernels over an unrolled window;
// global average pooling is a row reduction over the spatial dims.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels | FileCheck %s

// CHECK-LABEL: func.func @pools
// CHECK-COUNT-9: arith.maximumf
// CHECK: axon.strategy = "pool_max"
// Average: sums and counts of the positions inside the input.
// CHECK-COUNT-4: arith.addf {{.*}}, {{.*}} : f32
// CHECK: arith.divf
// CHECK: axon.strategy = "pool_avg"
// CHECK: gpu.shuffle xor
// CHECK: arith.divf
// CHECK: axon.strategy = "reduce_rows"
func.func @pools(%x: tensor<2x16x20x20xf32>) -> (tensor<2x16x10x10xf32>, tensor<2x16x10x10xf32>, tensor<2x16x1x1xf32>) {
  %0 = axon.max_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : tensor<2x16x20x20xf32>
  %1 = axon.avg_pool2d %x kernel = [2, 2] strides = [2, 2] : tensor<2x16x20x20xf32>
  %2 = axon.global_avg_pool %x : tensor<2x16x20x20xf32>
  return %0, %1, %2 : tensor<2x16x10x10xf32>, tensor<2x16x10x10xf32>, tensor<2x16x1x1xf32>
}
