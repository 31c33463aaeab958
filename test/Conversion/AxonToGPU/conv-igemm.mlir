// conv2d runs as an implicit GEMM on the matmul main loop: per image and
// group, filters x gathered im2col columns, bias and activation fused.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @strided_padded_relu
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}) workgroup({{.*}} : memref<2048xf32, {{.*}}>, {{.*}} : memref<2048xf32
// The im2col gather: padded positions are masked to zero.
// CHECK: arith.select
// CHECK: gpu.barrier
// CHECK: math.fma
// CHECK: arith.maximumf
// CHECK: axon.config = {bk = 16 : i64, bm = 64 : i64, bn = 64 : i64, tm = 4 : i64, tn = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "conv_igemm_64x64x16_reg4x4"
func.func @strided_padded_relu(%x: tensor<2x16x20x20xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<32xf32>) -> tensor<2x32x10x10xf32> {
  %0 = axon.conv2d %x, %w bias(%b : tensor<32xf32>) strides = [2, 2] padding = [1, 1, 1, 1] activation = relu : tensor<2x16x20x20xf32>, tensor<32x16x3x3xf32>
  return %0 : tensor<2x32x10x10xf32>
}

// -----

// Groups index the grid's z with the images; a pinned tile is used as given.
// CHECK-LABEL: func.func @grouped_pinned
// CHECK: %[[Z:.*]] = arith.muli %c1{{.*}}, %c4{{.*}} : index
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}}, {{.*}}, {{.*}} = %[[Z]]) threads({{.*}}) in ({{.*}} = %c256{{.*}}) workgroup({{.*}} : memref<1024xf32, {{.*}}>, {{.*}} : memref<2048xf32
// CHECK: axon.config = {bk = 16 : i64, bm = 32 : i64, bn = 64 : i64, tm = 2 : i64, tn = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "conv_igemm_32x64x16_reg2x4"
func.func @grouped_pinned(%x: tensor<1x8x9x9xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x8x7x7xf32> {
  %0 = axon.conv2d %x, %w groups = 4 {axon.config = {bm = 32, bn = 64, bk = 16, tm = 2, tn = 4}} : tensor<1x8x9x9xf32>, tensor<8x2x3x3xf32>
  return %0 : tensor<1x8x7x7xf32>
}
