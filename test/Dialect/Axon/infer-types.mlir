// Result types inferred by the shape rules, read off the generic form (which
// prints them). Expected shapes are derived by hand from each op's definition.
// RUN: axon-opt %s --mlir-print-op-generic | FileCheck %s

// CHECK-LABEL: sym_name = "broadcasting"
func.func @broadcasting(%a: tensor<4x1xf32>, %b: tensor<3xf32>, %c: tensor<?x3xf32>,
                        %d: tensor<1x3xf32>, %e: tensor<?x1xf32>, %f: tensor<5x4xf32>,
                        %g: tensor<?xf32>, %h: tensor<2x1x?xi32>, %i: tensor<3x1xi32>,
                        %cond: tensor<1x3xi1>, %s: tensor<f32>) {
  // Rank extension and size-1 stretching on both sides.
  // CHECK: "axon.add"{{.*}} -> tensor<4x3xf32>
  %0 = axon.add %a, %b : tensor<4x1xf32>, tensor<3xf32>
  // A dynamic dim against 1 stays dynamic.
  // CHECK: "axon.sub"{{.*}} -> tensor<?x3xf32>
  %1 = axon.sub %c, %d : tensor<?x3xf32>, tensor<1x3xf32>
  // A dynamic dim against n > 1 becomes n.
  // CHECK: "axon.mul"{{.*}} -> tensor<5x4xf32>
  %2 = axon.mul %e, %f : tensor<?x1xf32>, tensor<5x4xf32>
  // CHECK: "axon.max"{{.*}} -> tensor<?xf32>
  %3 = axon.max %g, %g : tensor<?xf32>, tensor<?xf32>
  // CHECK: "axon.min"{{.*}} -> tensor<2x3x?xi32>
  %4 = axon.min %h, %i : tensor<2x1x?xi32>, tensor<3x1xi32>
  // CHECK: "axon.cmp"{{.*}} -> tensor<4x3xi1>
  %5 = axon.cmp gt, %a, %b : tensor<4x1xf32>, tensor<3xf32>
  // Three-way broadcast, with a rank-0 operand.
  // CHECK: "axon.select"{{.*}} -> tensor<4x3xf32>
  %6 = axon.select %cond, %a, %s : tensor<1x3xi1>, tensor<4x1xf32>, tensor<f32>
  return
}

// CHECK-LABEL: sym_name = "matmul"
func.func @matmul(%a: tensor<2x1x16x32xf32>, %b: tensor<5x32x8xf32>, %c: tensor<32x16xf32>,
                  %d: tensor<32x64xf32>, %e: tensor<?x32xf16>, %f: tensor<32x?xf16>,
                  %g: tensor<64x32xf32>) {
  // Batch dims [2, 1] and [5] broadcast to [2, 5].
  // CHECK: "axon.matmul"{{.*}} -> tensor<2x5x16x8xf32>
  %0 = axon.matmul %a, %b : tensor<2x1x16x32xf32>, tensor<5x32x8xf32>
  // CHECK: "axon.matmul"{{.*}} -> tensor<16x64xf32>
  %1 = axon.matmul %c, %d transpose_lhs : tensor<32x16xf32>, tensor<32x64xf32>
  // CHECK: "axon.matmul"{{.*}} -> tensor<16x64xf32>
  %2 = axon.matmul %c, %g transpose_lhs transpose_rhs : tensor<32x16xf32>, tensor<64x32xf32>
  // CHECK: "axon.matmul"{{.*}} -> tensor<?x?xf16>
  %3 = axon.matmul %e, %f : tensor<?x32xf16>, tensor<32x?xf16>
  return
}

// CHECK-LABEL: sym_name = "conv_pool"
func.func @conv_pool(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %xg: tensor<1x6x10x10xf32>,
                     %wg: tensor<6x2x3x3xf32>, %xd: tensor<?x3x?x32xf32>, %p: tensor<1x1x7x7xf32>,
                     %p5: tensor<1x1x5x5xf32>, %gp: tensor<?x64x7x7xf32>) {
  // (32 + 1 + 1 - 3) / 2 + 1 = 16
  // CHECK: "axon.conv2d"{{.*}} -> tensor<1x8x16x16xf32>
  %0 = axon.conv2d %x, %w strides = [2, 2] padding = [1, 1, 1, 1] : tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>
  // 32 - 2 * (3 - 1) - 1 + 1 = 28
  // CHECK: "axon.conv2d"{{.*}} -> tensor<1x8x28x28xf32>
  %1 = axon.conv2d %x, %w dilations = [2, 2] : tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>
  // Grouped: 6 input channels = 2 per group x 3 groups.
  // CHECK: "axon.conv2d"{{.*}} -> tensor<1x6x8x8xf32>
  %2 = axon.conv2d %xg, %wg groups = 3 : tensor<1x6x10x10xf32>, tensor<6x2x3x3xf32>
  // Asymmetric padding [top, left, bottom, right] = [2, 0, 0, 1]:
  // H = 32 + 2 + 0 - 3 + 1 = 32, W = 32 + 0 + 1 - 3 + 1 = 31.
  // CHECK: "axon.conv2d"{{.*}} -> tensor<1x8x32x31xf32>
  %3 = axon.conv2d %x, %w padding = [2, 0, 0, 1] : tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>
  // CHECK: "axon.conv2d"{{.*}} -> tensor<?x8x?x30xf32>
  %4 = axon.conv2d %xd, %w : tensor<?x3x?x32xf32>, tensor<8x3x3x3xf32>
  // floor((7 - 2) / 2) + 1 = 3; with ceil_mode, ceil(5 / 2) + 1 = 4.
  // CHECK: "axon.max_pool2d"{{.*}} -> tensor<1x1x3x3xf32>
  %5 = axon.max_pool2d %p kernel = [2, 2] strides = [2, 2] : tensor<1x1x7x7xf32>
  // CHECK: "axon.max_pool2d"{{.*}} -> tensor<1x1x4x4xf32>
  %6 = axon.max_pool2d %p kernel = [2, 2] strides = [2, 2] ceil_mode : tensor<1x1x7x7xf32>
  // ceil((5 + 2 - 2) / 2) + 1 = 4, but the 4th window would start in the
  // padding (3 * 2 >= 5 + 1), so it is dropped: 3.
  // CHECK: "axon.avg_pool2d"{{.*}} -> tensor<1x1x3x3xf32>
  %7 = axon.avg_pool2d %p5 kernel = [2, 2] strides = [2, 2] padding = [1, 1, 1, 1] ceil_mode : tensor<1x1x5x5xf32>
  // CHECK: "axon.global_avg_pool"{{.*}} -> tensor<?x64x1x1xf32>
  %8 = axon.global_avg_pool %gp : tensor<?x64x7x7xf32>
  return
}

// CHECK-LABEL: sym_name = "reductions"
func.func @reductions(%x: tensor<2x3x4xf32>, %d: tensor<?x3xf32>) {
  // CHECK: "axon.reduce_sum"{{.*}} -> tensor<3xf32>
  %0 = axon.reduce_sum %x axes = [0, 2] : tensor<2x3x4xf32>
  // CHECK: "axon.reduce_sum"{{.*}} -> tensor<1x3x1xf32>
  %1 = axon.reduce_sum %x axes = [0, 2] keep_dims : tensor<2x3x4xf32>
  // CHECK: "axon.reduce_mean"{{.*}} -> tensor<?xf32>
  %2 = axon.reduce_mean %d axes = [1] : tensor<?x3xf32>
  // CHECK: "axon.reduce_max"{{.*}} -> tensor<1x3xf32>
  %3 = axon.reduce_max %d axes = [0] keep_dims : tensor<?x3xf32>
  // CHECK: "axon.reduce_prod"{{.*}} -> tensor<2x3x4xf32>
  %4 = axon.reduce_prod %x axes = [] : tensor<2x3x4xf32>
  // CHECK: "axon.reduce_min"{{.*}} -> tensor<f32>
  %5 = axon.reduce_min %x axes = [0, 1, 2] : tensor<2x3x4xf32>
  // CHECK: "axon.argmax"{{.*}} -> tensor<2x4xi64>
  %6 = axon.argmax %x axis = 1 : tensor<2x3x4xf32>
  // CHECK: "axon.argmax"{{.*}} -> tensor<2x1x4xi64>
  %7 = axon.argmax %x axis = 1 keep_dims : tensor<2x3x4xf32>
  return
}

// CHECK-LABEL: sym_name = "attention"
func.func @attention(%q: tensor<2x8x128x64xf16>, %k: tensor<1x8x256x64xf16>, %v: tensor<1x8x256x32xf16>) {
  // CHECK: "axon.attention"{{.*}} -> tensor<2x8x128x32xf16>
  %0 = axon.attention %q, %k, %v : tensor<2x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>
  return
}

// CHECK-LABEL: sym_name = "shapes"
func.func @shapes(%x: tensor<2x3x4xf32>, %d: tensor<?x4xi32>, %e: tensor<0x3xf32>,
                  %c: tensor<2x3xf32>, %c5: tensor<2x5xf32>, %cd: tensor<?x3xf32>,
                  %s: tensor<10xf32>, %ids: tensor<7xi64>, %ids2: tensor<2x5xi32>,
                  %ids0: tensor<i64>, %t: tensor<10x4xf32>) {
  // CHECK: "axon.transpose"{{.*}} -> tensor<4x2x3xf32>
  %0 = axon.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32>
  // 24 elements / 4 = 6
  // CHECK: "axon.reshape"{{.*}} -> tensor<4x6xf32>
  %1 = axon.reshape %x to [4, -1] : tensor<2x3x4xf32>
  // CHECK: "axon.reshape"{{.*}} -> tensor<?xi32>
  %2 = axon.reshape %d to [-1] : tensor<?x4xi32>
  // CHECK: "axon.reshape"{{.*}} -> tensor<?x2xi32>
  %3 = axon.reshape %d to [-1, 2] : tensor<?x4xi32>
  // CHECK: "axon.reshape"{{.*}} -> tensor<0x3xf32>
  %4 = axon.reshape %e to [-1, 3] : tensor<0x3xf32>
  // CHECK: "axon.concat"{{.*}} -> tensor<2x8xf32>
  %5 = axon.concat %c, %c5 axis = 1 : tensor<2x3xf32>, tensor<2x5xf32>
  // A dynamic non-axis dim is refined by a static one; a dynamic axis dim stays dynamic.
  // CHECK: "axon.concat"{{.*}} -> tensor<2x6xf32>
  %6 = axon.concat %cd, %c axis = 1 : tensor<?x3xf32>, tensor<2x3xf32>
  // CHECK: "axon.concat"{{.*}} -> tensor<?x3xf32>
  %7 = axon.concat %cd, %c axis = 0 : tensor<?x3xf32>, tensor<2x3xf32>
  // dim 1: start -1 -> 2, end -4 -> before the start (-1), step -1: 2, 1, 0.
  // dim 2: 0, 2.
  // CHECK: "axon.slice"{{.*}} -> tensor<2x3x2xf32>
  %8 = axon.slice %x starts = [0, -1, 0] ends = [2, -4, 4] steps = [1, -1, 2] : tensor<2x3x4xf32>
  // [-3:INT64_MAX] of 10 = 7, 8, 9
  // CHECK: "axon.slice"{{.*}} -> tensor<3xf32>
  %9 = axon.slice %s starts = [-3] ends = [9223372036854775807] steps = [1] : tensor<10xf32>
  // [8:2] is empty
  // CHECK: "axon.slice"{{.*}} -> tensor<0xf32>
  %10 = axon.slice %s starts = [8] ends = [2] steps = [1] : tensor<10xf32>
  // [1:100:3] of 10 = 1, 4, 7
  // CHECK: "axon.slice"{{.*}} -> tensor<3xf32>
  %11 = axon.slice %s starts = [1] ends = [100] steps = [3] : tensor<10xf32>
  // [::-4] of 10 (start clamps to 9, end to before 0) = 9, 5, 1
  // CHECK: "axon.slice"{{.*}} -> tensor<3xf32>
  %12 = axon.slice %s starts = [100] ends = [-9223372036854775808] steps = [-4] : tensor<10xf32>
  // CHECK: "axon.slice"{{.*}} -> tensor<?x2xi32>
  %13 = axon.slice %d starts = [0, 1] ends = [-1, 3] steps = [1, 1] : tensor<?x4xi32>
  // CHECK: "axon.gather"{{.*}} -> tensor<2x7x4xf32>
  %14 = axon.gather %x[%ids] axis = 1 : tensor<2x3x4xf32>, tensor<7xi64>
  // CHECK: "axon.gather"{{.*}} -> tensor<2x5x4xf32>
  %15 = axon.gather %t[%ids2] axis = 0 : tensor<10x4xf32>, tensor<2x5xi32>
  // CHECK: "axon.gather"{{.*}} -> tensor<4xf32>
  %16 = axon.gather %t[%ids0] axis = 0 : tensor<10x4xf32>, tensor<i64>
  // CHECK: "axon.pad"{{.*}} -> tensor<3x6xf32>
  %17 = axon.pad %c low = [0, 1] high = [1, 2] : tensor<2x3xf32>
  // CHECK: "axon.pad"{{.*}} -> tensor<?x7xi32>
  %18 = axon.pad %d low = [2, 1] high = [0, 2] mode = edge : tensor<?x4xi32>
  return
}

// A step near INT64_MAX takes the first element (ceil(4 / step) = 1, not a
// wrapped 0).
// CHECK-LABEL: sym_name = "slice_huge_step"
// CHECK: "axon.slice"{{.*}} -> tensor<1xf32>
func.func @slice_huge_step(%a: tensor<4xf32>) -> tensor<1xf32> {
  %0 = axon.slice %a starts = [0] ends = [9223372036854775807] steps = [9223372036854775807] : tensor<4xf32>
  return %0 : tensor<1xf32>
}
