// Constant folding and exact identities (applied by -canonicalize). Expected
// constants are worked out by hand; the f16 one is numpy's float16 product.
// RUN: axon-opt %s -split-input-file -canonicalize | FileCheck %s
// RUN: axon-opt %s -split-input-file -canonicalize -axon-max-fold-elements=4 | FileCheck %s --check-prefix=CAP

// CHECK-LABEL: func.func @arith
// CHECK-DAG: dense<{{\[}}[1.100000e+01, 2.200000e+01], [1.300000e+01, 2.400000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: dense<[3, -5]> : tensor<2xi32>
// CHECK-DAG: dense<[3, -3]> : tensor<2xi32>
// CHECK-DAG: dense<1.000000e+00> : tensor<bf16>
// CHECK-DAG: dense<2.998050e-01> : tensor<f16>
// CHECK-NOT: axon.add
// CHECK-NOT: axon.sub
// CHECK-NOT: axon.mul
// CHECK-NOT: axon.div
// CHECK-DAG: dense<[2.000000e+00, 4.000000e+00, 6.000000e+00, 8.000000e+00, 1.000000e+01, 1.200000e+01, 1.400000e+01, 1.600000e+01]> : tensor<8xf32>
// The 8-element sum exceeds a 4-element cap and stays; the 4-element one folds.
// CAP-LABEL: func.func @arith
// CAP: dense<{{\[}}[1.100000e+01, 2.200000e+01], [1.300000e+01, 2.400000e+01]]> : tensor<2x2xf32>
// CAP: axon.add %{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xf32>
// CAP-NEXT: return
func.func @arith() -> (tensor<2x2xf32>, tensor<2xi32>, tensor<2xi32>, tensor<bf16>, tensor<f16>, tensor<8xf32>) {
  %a = axon.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = axon.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %0 = axon.add %a, %b : tensor<2x2xf32>, tensor<2xf32>
  %c = axon.constant dense<[5, -3]> : tensor<2xi32>
  %two = axon.constant dense<2> : tensor<2xi32>
  %1 = axon.sub %c, %two : tensor<2xi32>, tensor<2xi32>
  // Integer division truncates toward zero.
  %seven = axon.constant dense<[7, -7]> : tensor<2xi32>
  %2 = axon.div %seven, %two : tensor<2xi32>, tensor<2xi32>
  // 1 + 2^-8 is halfway between two bf16 values: ties to even gives 1.0.
  %one = axon.constant dense<1.0> : tensor<bf16>
  %tiny = axon.constant dense<0.00390625> : tensor<bf16>
  %3 = axon.add %one, %tiny : tensor<bf16>, tensor<bf16>
  // f16(0.1) * 3 rounds to 0.2998046875 in f16.
  %h = axon.constant dense<0.1> : tensor<f16>
  %h3 = axon.constant dense<3.0> : tensor<f16>
  %4 = axon.mul %h, %h3 : tensor<f16>, tensor<f16>
  %big = axon.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %5 = axon.add %big, %big : tensor<8xf32>, tensor<8xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x2xf32>, tensor<2xi32>, tensor<2xi32>, tensor<bf16>, tensor<f16>, tensor<8xf32>
}

// -----

// Integer division by zero is defined as 0, and INT_MIN / -1 as INT_MIN
// (wrapping), in the folder as at run time (reliability probe, J_).
// CHECK-LABEL: func.func @fold_div_defined
// CHECK: axon.constant dense<[1, 0, -2147483648]> : tensor<3xi32>
// CHECK-NOT: axon.div
func.func @fold_div_defined() -> tensor<3xi32> {
  %a = axon.constant dense<[1, 2, -2147483648]> : tensor<3xi32>
  %z = axon.constant dense<[1, 0, -1]> : tensor<3xi32>
  %0 = axon.div %a, %z : tensor<3xi32>, tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @nan_and_compare
// max propagates NaN, like the lowering's arith.maximumf.
// CHECK-DAG: dense<[0x7FC00000, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: dense<[true, false, false]> : tensor<3xi1>
// ne with NaN is true, eq is false.
// CHECK-DAG: dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: dense<[false, true]> : tensor<2xi1>
// CHECK-DAG: dense<[1.000000e+00, 8.000000e+00]> : tensor<2xf32>
func.func @nan_and_compare() -> (tensor<2xf32>, tensor<3xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xf32>) {
  %nan = axon.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %two = axon.constant dense<2.0> : tensor<f32>
  %0 = axon.max %nan, %two : tensor<2xf32>, tensor<f32>
  %v = axon.constant dense<[1, 2, 3]> : tensor<3xi64>
  %t = axon.constant dense<2> : tensor<i64>
  %1 = axon.cmp lt, %v, %t : tensor<3xi64>, tensor<i64>
  %n2 = axon.constant dense<[0x7FC00000, 2.0]> : tensor<2xf32>
  %2 = axon.cmp ne, %n2, %two : tensor<2xf32>, tensor<f32>
  %3 = axon.cmp eq, %n2, %two : tensor<2xf32>, tensor<f32>
  %c = axon.constant dense<[true, false]> : tensor<2xi1>
  %x = axon.constant dense<1.0> : tensor<f32>
  %y = axon.constant dense<[7.0, 8.0]> : tensor<2xf32>
  %4 = axon.select %c, %x, %y : tensor<2xi1>, tensor<f32>, tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<3xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK-DAG: %[[ONE:.*]] = axon.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ZERO:.*]] = axon.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[TWO:.*]] = axon.constant dense<2.000000e+00> : tensor<f32>
// CHECK-DAG: %[[HALF:.*]] = axon.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[RELU:.*]] = axon.constant dense<[0.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[NEG:.*]] = axon.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[ABS:.*]] = axon.constant dense<[1, 2]> : tensor<2xi32>
// CHECK-DAG: %[[CLIP:.*]] = axon.constant dense<[-1.000000e+00, 5.000000e-01, 1.000000e+00]> : tensor<3xf32>
// Integer clip bounds round inward: [-1.5, 2.5] clamps to [-1, 2].
// CHECK-DAG: %[[ICLIP:.*]] = axon.constant dense<[-1, 0, 2]> : tensor<3xi32>
// CHECK: return %[[ONE]], %[[ZERO]], %[[TWO]], %[[HALF]], %[[ZERO]], %[[ZERO]], %[[HALF]], %[[ZERO]], %[[ZERO]], %[[RELU]], %[[NEG]], %[[ABS]], %[[CLIP]], %[[ICLIP]]
func.func @unary() -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<3xf32>, tensor<3xi32>) {
  %zero = axon.constant dense<0.0> : tensor<f32>
  %one = axon.constant dense<1.0> : tensor<f32>
  %four = axon.constant dense<4.0> : tensor<f32>
  %0 = axon.exp %zero : tensor<f32>
  %1 = axon.log %one : tensor<f32>
  %2 = axon.sqrt %four : tensor<f32>
  %3 = axon.rsqrt %four : tensor<f32>
  %4 = axon.tanh %zero : tensor<f32>
  %5 = axon.erf %zero : tensor<f32>
  %6 = axon.sigmoid %zero : tensor<f32>
  %7 = axon.gelu %zero : tensor<f32>
  %8 = axon.silu %zero : tensor<f32>
  %v = axon.constant dense<[-1.0, 2.0]> : tensor<2xf32>
  %9 = axon.relu %v : tensor<2xf32>
  %10 = axon.neg %v : tensor<2xf32>
  %i = axon.constant dense<[-1, 2]> : tensor<2xi32>
  %11 = axon.abs %i : tensor<2xi32>
  %c = axon.constant dense<[-2.0, 0.5, 9.0]> : tensor<3xf32>
  %12 = axon.clip %c min = -1.0 max = 1.0 : tensor<3xf32>
  %ci = axon.constant dense<[-5, 0, 5]> : tensor<3xi32>
  %13 = axon.clip %ci min = -1.5 max = 2.5 : tensor<3xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<3xf32>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @casts
// Float to integer truncates toward zero.
// CHECK-DAG: dense<[1, -1]> : tensor<2xi32>
// CHECK-DAG: dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: dense<[false, true]> : tensor<2xi1>
// f32 0.1 rounds to the nearest f16, 0.0999755859375.
// CHECK-DAG: dense<9.997550e-02> : tensor<f16>
// Out of range for i32: undefined, so not folded.
// CHECK: axon.cast {{.*}} : tensor<f32> to tensor<i32>
func.func @casts() -> (tensor<2xi32>, tensor<2xf32>, tensor<2xi1>, tensor<f16>, tensor<i32>) {
  %f = axon.constant dense<[1.7, -1.7]> : tensor<2xf32>
  %0 = axon.cast %f : tensor<2xf32> to tensor<2xi32>
  %b = axon.constant dense<[false, true]> : tensor<2xi1>
  %1 = axon.cast %b : tensor<2xi1> to tensor<2xf32>
  %i = axon.constant dense<[0, 2]> : tensor<2xi32>
  %2 = axon.cast %i : tensor<2xi32> to tensor<2xi1>
  %p = axon.constant dense<0.1> : tensor<f32>
  %3 = axon.cast %p : tensor<f32> to tensor<f16>
  %huge = axon.constant dense<3.0e9> : tensor<f32>
  %4 = axon.cast %huge : tensor<f32> to tensor<i32>
  return %0, %1, %2, %3, %4 : tensor<2xi32>, tensor<2xf32>, tensor<2xi1>, tensor<f16>, tensor<i32>
}

// -----

// CHECK-LABEL: func.func @shape_ops
// CHECK-DAG: dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK-DAG: dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
// CHECK-DAG: dense<{{\[}}[1, 2, 3], [1, 2, 3]]> : tensor<2x3xi32>
// [[1,2,3],[4,5,6]][::-1, ::2] = [[4, 6], [1, 3]]
// CHECK-DAG: dense<{{\[}}[4, 6], [1, 3]]> : tensor<2x2xi32>
// CHECK-DAG: dense<{{\[}}[1, 2, 3, 9], [4, 5, 6, 9]]> : tensor<2x4xi32>
// CHECK-NOT: axon.transpose
// CHECK-NOT: axon.reshape
// CHECK-NOT: axon.broadcast_to
// CHECK-NOT: axon.slice
// CHECK-NOT: axon.concat
func.func @shape_ops() -> (tensor<3x2xi32>, tensor<3x2xi32>, tensor<2x3xi32>, tensor<2x2xi32>, tensor<2x4xi32>) {
  %m = axon.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = axon.transpose %m perm = [1, 0] : tensor<2x3xi32>
  %1 = axon.reshape %m to [3, -1] : tensor<2x3xi32>
  %row = axon.constant dense<[1, 2, 3]> : tensor<3xi32>
  %2 = axon.broadcast_to %row : tensor<3xi32> to tensor<2x3xi32>
  %3 = axon.slice %m starts = [-1, 0] ends = [-9223372036854775808, 3] steps = [-1, 2] : tensor<2x3xi32>
  %nine = axon.constant dense<9> : tensor<2x1xi32>
  %4 = axon.concat %m, %nine axis = 1 : tensor<2x3xi32>, tensor<2x1xi32>
  return %0, %1, %2, %3, %4 : tensor<3x2xi32>, tensor<3x2xi32>, tensor<2x3xi32>, tensor<2x2xi32>, tensor<2x4xi32>
}

// -----

// Identities that hold bit for bit fold away.
// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>, %[[M:.*]]: tensor<2x1xf32>)
// CHECK: %[[R:.*]] = axon.relu %[[X]]
// CHECK-NEXT: return %[[X]], %[[I]], %[[X]], %[[X]], %[[X]], %[[X]], %[[R]], %[[X]], %[[M]], %[[M]], %[[M]], %[[M]], %[[M]], %[[M]]
func.func @identities(%x: tensor<4xf32>, %i: tensor<4xi32>, %m: tensor<2x1xf32>)
    -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>) {
  %negzero = axon.constant dense<-0.0> : tensor<f32>
  %izero = axon.constant dense<0> : tensor<i32>
  %zero = axon.constant dense<0.0> : tensor<f32>
  %one = axon.constant dense<1.0> : tensor<f32>
  %0 = axon.add %x, %negzero : tensor<4xf32>, tensor<f32>
  %1 = axon.add %izero, %i : tensor<i32>, tensor<4xi32>
  %2 = axon.sub %x, %zero : tensor<4xf32>, tensor<f32>
  %3 = axon.mul %one, %x : tensor<f32>, tensor<4xf32>
  %4 = axon.div %x, %one : tensor<4xf32>, tensor<f32>
  %n = axon.neg %x : tensor<4xf32>
  %5 = axon.neg %n : tensor<4xf32>
  %r = axon.relu %x : tensor<4xf32>
  %6 = axon.relu %r : tensor<4xf32>
  %7 = axon.clip %x : tensor<4xf32>
  %8 = axon.transpose %m perm = [0, 1] : tensor<2x1xf32>
  %9 = axon.reshape %m to [2, 1] : tensor<2x1xf32>
  %10 = axon.cast %m : tensor<2x1xf32> to tensor<2x1xf32>
  %11 = axon.broadcast_to %m : tensor<2x1xf32> to tensor<2x1xf32>
  %12 = axon.reduce_sum %m axes = [] : tensor<2x1xf32>
  %13 = axon.reduce_max %m axes = [1] keep_dims : tensor<2x1xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13
      : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

// Rewrites that would change results are not applied here.
// CHECK-LABEL: func.func @not_identities
// x + 0.0 turns -0.0 into +0.0.
// CHECK: axon.add %arg0, %{{.*}} : tensor<4xf32>, tensor<f32>
// x * 0 is NaN for x = Inf or NaN.
// CHECK: axon.mul %arg0, %{{.*}} : tensor<4xf32>, tensor<f32>
// Broadcasting changes the type: x + zeros(2x4) is not x.
// CHECK: axon.add %arg0, %{{.*}} : tensor<4xf32>, tensor<2x4xf32>
// A reduction over a dim of size > 1 is no identity.
// CHECK: axon.reduce_sum %arg1 axes = [0] keep_dims
func.func @not_identities(%x: tensor<4xf32>, %m: tensor<2x1xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<1x1xf32>) {
  %zero = axon.constant dense<0.0> : tensor<f32>
  %zeros = axon.constant dense<-0.0> : tensor<2x4xf32>
  %0 = axon.add %x, %zero : tensor<4xf32>, tensor<f32>
  %1 = axon.mul %x, %zero : tensor<4xf32>, tensor<f32>
  %2 = axon.add %x, %zeros : tensor<4xf32>, tensor<2x4xf32>
  %3 = axon.reduce_sum %m axes = [0] keep_dims : tensor<2x1xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<1x1xf32>
}

// -----

// Integer clip bounds round inward and saturate to the element type's range
// (reliability probe, Q_ and G_): no out-of-range APInt, no wrapped bound.
// CHECK-LABEL: func.func @clip_int_saturating
// CHECK-DAG: axon.constant dense<2147483647> : tensor<3xi32>
// CHECK-DAG: axon.constant dense<[-5, 0, 3]> : tensor<3xi32>
// CHECK-DAG: axon.constant dense<[-3, 0, 3]> : tensor<3xi32>
func.func @clip_int_saturating() -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) {
  %a = axon.constant dense<[-5, 0, 5]> : tensor<3xi32>
  %0 = axon.clip %a min = 1.0e+30 max = 1.0e+31 : tensor<3xi32>
  %1 = axon.clip %a min = -3.0e+12 max = 3.5 : tensor<3xi32>
  %2 = axon.clip %a min = -3.5 max = 3.5 : tensor<3xi32>
  return %0, %1, %2 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>
}
