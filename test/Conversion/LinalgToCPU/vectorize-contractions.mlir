// RUN: axon-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(axon-cpu-vectorize-contractions{vector-bits=256 block-n=16}))' | FileCheck %s

// AVX2-shaped register tiles (6 rows x two 8-wide registers) inside thread
// blocks; the K loop carries the accumulator as a vector (hoisted out of
// it), and its body is one vector.contract of a column of A and a row of B.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<6x16xf32>, vector<6x16xf32>
// CHECK: scf.for {{.*}} iter_args(%[[A:.*]] = %[[ACC]]) -> (vector<6x16xf32>)
// CHECK-NOT: vector.transfer_write
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK-NEXT: scf.yield
// CHECK-NEXT: }
// CHECK-NEXT: vector.transfer_write
func.func @matmul(%a: tensor<24x64xf32>, %b: tensor<64x80xf32>) -> tensor<24x80xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x80xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<24x80xf32>) -> tensor<24x80xf32>
  %r = linalg.matmul ins(%a, %b : tensor<24x64xf32>, tensor<64x80xf32>) outs(%z : tensor<24x80xf32>) -> tensor<24x80xf32>
  return %r : tensor<24x80xf32>
}

// -----

// A 3x3 convolution: its input windows gathered by affine indexing into
// (c, kh, kw) x (oh, ow) rows, then a linalg.contract with the filter as a
// matrix, which takes the register-tile path.
// CHECK-LABEL: func.func @conv
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<1x4x10x10xf32>) outs({{.*}} : tensor<1x4x3x3x8x8xf32>)
// CHECK: tensor.collapse_shape {{.*}} {{\[\[}}0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x8x8xf32> into tensor<1x36x64xf32>
// CHECK: tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<8x4x3x3xf32> into tensor<8x36xf32>
// CHECK: scf.forall
// CHECK: vector.contract
// CHECK: tensor.expand_shape {{.*}} : tensor<1x8x64xf32> into tensor<1x8x8x8xf32>
// CHECK-NOT: linalg.conv_2d
func.func @conv(%x: tensor<1x4x10x10xf32>, %w: tensor<8x4x3x3xf32>, %init: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%init : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}

// -----

// An unstrided 1x1 convolution reads its input in place: no gather.
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: linalg.generic
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : tensor<1x4x10x10xf32> into tensor<1x4x100xf32>
// CHECK: scf.forall
// CHECK: vector.contract
func.func @pointwise(%x: tensor<1x4x10x10xf32>, %w: tensor<8x4x1x1xf32>, %init: tensor<1x8x10x10xf32>) -> tensor<1x8x10x10xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x10x10xf32>, tensor<8x4x1x1xf32>) outs(%init : tensor<1x8x10x10xf32>) -> tensor<1x8x10x10xf32>
  return %r : tensor<1x8x10x10xf32>
}

// -----

// A Gemm with transB (B laid out N x K): B is read from a transposed copy,
// and the generic multiply-accumulate vectorizes like a named matmul.
// CHECK-LABEL: func.func @gemm_transposed_b
// CHECK: linalg.transpose ins({{.*}} : tensor<48x32xf32>) outs({{.*}} : tensor<32x48xf32>) permutation = [1, 0]
// CHECK: scf.forall
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK-NOT: linalg.generic
func.func @gemm_transposed_b(%a: tensor<16x32xf32>, %b: tensor<48x32xf32>, %init: tensor<16x48xf32>) -> tensor<16x48xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<16x32xf32>, tensor<48x32xf32>) outs(%init : tensor<16x48xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x48xf32>
  return %r : tensor<16x48xf32>
}

// -----

// Not a multiply-accumulate (max-plus): left for the loop lowering.
// CHECK-LABEL: func.func @max_plus
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
// CHECK: arith.maximumf
func.func @max_plus(%a: tensor<16x32xf32>, %b: tensor<32x48xf32>, %init: tensor<16x48xf32>) -> tensor<16x48xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<16x32xf32>, tensor<32x48xf32>) outs(%init : tensor<16x48xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.addf %x, %y : f32
    %s = arith.maximumf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x48xf32>
  return %r : tensor<16x48xf32>
}
