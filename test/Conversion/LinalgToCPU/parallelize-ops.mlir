// RUN: axon-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(axon-cpu-parallelize-ops))' | FileCheck %s

// 65536 iterations at 16384 a task: 4 tasks of 16 rows each.
// CHECK-LABEL: func.func @relu
// CHECK: scf.forall (%[[I:.*]]) = (0) to (64) step (16)
// CHECK: tensor.extract_slice %arg0[%[[I]], 0] [16, 1024] [1, 1]
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<16x1024xf32>)
// CHECK: tensor.parallel_insert_slice
func.func @relu(%x: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x1024xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x1024xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %cst : f32
    linalg.yield %m : f32
  } -> tensor<64x1024xf32>
  return %r : tensor<64x1024xf32>
}

// -----

// Too little work for a second thread: unchanged.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
func.func @small(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %cst : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// A max pool: generalized with its window loops (reductions) outside the
// output row loop, and split over channels and output rows (the unit
// batch is not split).
// CHECK-LABEL: func.func @max_pool
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (16, 32) step (2, 16)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK-NOT: linalg.pooling_nchw_max
func.func @max_pool(%x: tensor<1x16x66x66xf32>, %init: tensor<1x16x32x32xf32>) -> tensor<1x16x32x32xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x66x66xf32>, tensor<3x3xf32>) outs(%init : tensor<1x16x32x32xf32>) -> tensor<1x16x32x32xf32>
  return %r : tensor<1x16x32x32xf32>
}

// -----

// Ops inside loops (the matmul path's tiles) are left alone.
// CHECK-LABEL: func.func @inside_loop
// CHECK: scf.for
// CHECK-NOT: scf.forall
func.func @inside_loop(%x: tensor<64x1024xf32>, %n: index) -> tensor<64x1024xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<64x1024xf32> {
    %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%acc : tensor<64x1024xf32>) {
    ^bb0(%b: f32):
      %m = arith.maximumf %b, %cst : f32
      linalg.yield %m : f32
    } -> tensor<64x1024xf32>
    scf.yield %g : tensor<64x1024xf32>
  }
  return %r : tensor<64x1024xf32>
}

// -----

// A pad: a fill of the padded tensor and a copy into its interior, both
// split into tasks; no tensor.pad is left.
// CHECK-LABEL: func.func @pad
// CHECK-NOT: tensor.pad
// CHECK: %[[FILL:.*]] = scf.forall
// CHECK: linalg.fill
// CHECK: %[[INTERIOR:.*]] = tensor.extract_slice %[[FILL]][0, 0, 1, 1] [1, 64, 56, 56] [1, 1, 1, 1]
// CHECK: %[[COPY:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[INTERIOR]])
// CHECK: linalg.copy
// CHECK: tensor.insert_slice %[[COPY]] into %[[FILL]][0, 0, 1, 1] [1, 64, 56, 56] [1, 1, 1, 1]
func.func @pad(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x58x58xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  return %p : tensor<1x64x58x58xf32>
}
