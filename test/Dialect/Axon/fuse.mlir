// axon-fuse: each pattern fires on its form and not where it must not.
// RUN: axon-opt %s -split-input-file -axon-fuse | FileCheck %s
// RUN: axon-opt %s -split-input-file -axon-fuse=fast-math | FileCheck %s --check-prefix=FAST

// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-NEXT: %[[R:.*]] = axon.matmul %arg0, %arg1 bias(%arg2 : tensor<16xf32>) activation = relu
// CHECK-NEXT: return %[[R]]
func.func @matmul_bias_relu(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = axon.add %b, %0 : tensor<16xf32>, tensor<4x16xf32>
  %2 = axon.relu %1 : tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}

// -----

// A [1, N] bias is reshaped to [N]; every activation kind fuses.
// CHECK-LABEL: func.func @matmul_activations
// CHECK: %[[B:.*]] = axon.reshape %arg2 to [16]
// CHECK: axon.matmul %arg0, %arg1 bias(%[[B]] : tensor<16xf32>) activation = gelu :
// CHECK: axon.matmul %arg0, %arg1 activation = gelu_tanh :
// CHECK: axon.matmul %arg0, %arg1 activation = sigmoid :
// CHECK: axon.matmul %arg0, %arg1 activation = tanh :
// CHECK: axon.matmul %arg0, %arg1 activation = silu :
// CHECK: axon.matmul %arg0, %arg1 activation = clip clip_min = 0.000000e+00 clip_max = 6.000000e+00 :
func.func @matmul_activations(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<1x16xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  %0 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = axon.add %0, %b : tensor<4x16xf32>, tensor<1x16xf32>
  %2 = axon.gelu %1 : tensor<4x16xf32>
  %3 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %4 = axon.gelu %3 approximate = tanh : tensor<4x16xf32>
  %5 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %6 = axon.sigmoid %5 : tensor<4x16xf32>
  %7 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %8 = axon.tanh %7 : tensor<4x16xf32>
  %9 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %10 = axon.silu %9 : tensor<4x16xf32>
  %11 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %12 = axon.clip %11 min = 0.0 max = 6.0 : tensor<4x16xf32>
  return %2, %4, %6, %8, %10, %12 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// Negative cases: a matmul with a second user, a bias along the wrong dim,
// a bias that broadcasts the result, an integer matmul with gelu... stay.
// CHECK-LABEL: func.func @matmul_no_fuse
// CHECK: %[[M:.*]] = axon.matmul %arg0, %arg1 : tensor<4x8xf32>, tensor<8x16xf32>
// CHECK: axon.add %[[M]], %arg2 : tensor<4x16xf32>, tensor<16xf32>
// CHECK: %[[M2:.*]] = axon.matmul %arg0, %arg1 : tensor<4x8xf32>, tensor<8x16xf32>
// CHECK: axon.add %[[M2]], %arg3 : tensor<4x16xf32>, tensor<4x1xf32>
// CHECK: %[[M3:.*]] = axon.matmul %arg0, %arg1 : tensor<4x8xf32>, tensor<8x16xf32>
// CHECK: axon.add %[[M3]], %arg4 : tensor<4x16xf32>, tensor<2x4x16xf32>
// CHECK: %[[M4:.*]] = axon.matmul %arg5, %arg5 : tensor<4x4xi32>, tensor<4x4xi32>
// CHECK: axon.relu %[[M4]]
func.func @matmul_no_fuse(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %col: tensor<4x1xf32>, %big: tensor<2x4x16xf32>, %i: tensor<4x4xi32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<2x4x16xf32>, tensor<4x4xi32>, tensor<4x4xi32>) {
  %0 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = axon.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
  %2 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %3 = axon.add %2, %col : tensor<4x16xf32>, tensor<4x1xf32>
  %4 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %5 = axon.add %4, %big : tensor<4x16xf32>, tensor<2x4x16xf32>
  // An integer matmul takes relu; the relu of a shared matmul stays.
  %6 = axon.matmul %i, %i : tensor<4x4xi32>, tensor<4x4xi32>
  %7 = axon.relu %6 : tensor<4x4xi32>
  return %0, %1, %3, %5, %6, %7 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<2x4x16xf32>, tensor<4x4xi32>, tensor<4x4xi32>
}

// -----

// CHECK-LABEL: func.func @transpose_into_matmul
// CHECK-NEXT: %[[A:.*]] = axon.matmul %arg0, %arg1 transpose_rhs : tensor<2x4x8xf32>, tensor<2x6x8xf32>
// Head-layout transposes keep their leading part: [0, 2, 3, 1] -> [0, 2, 1, 3] + flag.
// CHECK-NEXT: %[[T:.*]] = axon.transpose %arg2 perm = [0, 2, 1, 3] : tensor<2x6x3x8xf32>
// CHECK-NEXT: %[[B:.*]] = axon.matmul %arg3, %[[T]] transpose_rhs : tensor<2x3x4x8xf32>, tensor<2x3x6x8xf32>
// A transpose that is not of the last two dims stays.
// CHECK-NEXT: %[[P:.*]] = axon.transpose %arg0 perm = [1, 0, 2]
// CHECK-NEXT: axon.matmul %[[P]], %arg4 : tensor<4x2x8xf32>, tensor<8x3xf32>
func.func @transpose_into_matmul(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %k4: tensor<2x6x3x8xf32>, %q4: tensor<2x3x4x8xf32>, %w: tensor<8x3xf32>)
    -> (tensor<2x4x6xf32>, tensor<2x3x4x6xf32>, tensor<4x2x3xf32>) {
  %kt = axon.transpose %k perm = [0, 2, 1] : tensor<2x6x8xf32>
  %0 = axon.matmul %q, %kt : tensor<2x4x8xf32>, tensor<2x8x6xf32>
  %heads = axon.transpose %k4 perm = [0, 2, 3, 1] : tensor<2x6x3x8xf32>
  %1 = axon.matmul %q4, %heads : tensor<2x3x4x8xf32>, tensor<2x3x8x6xf32>
  %p = axon.transpose %q perm = [1, 0, 2] : tensor<2x4x8xf32>
  %2 = axon.matmul %p, %w : tensor<4x2x8xf32>, tensor<8x3xf32>
  return %0, %1, %2 : tensor<2x4x6xf32>, tensor<2x3x4x6xf32>, tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @conv_bias_relu
// CHECK-NEXT: %[[B:.*]] = axon.reshape %arg2 to [8]
// CHECK-NEXT: %[[C:.*]] = axon.conv2d %arg0, %arg1 bias(%[[B]] : tensor<8xf32>) padding = [1, 1, 1, 1] activation = relu
// CHECK-NEXT: return %[[C]]
func.func @conv_bias_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %0 = axon.conv2d %x, %w padding = [1, 1, 1, 1] : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>
  %1 = axon.add %0, %b : tensor<1x8x8x8xf32>, tensor<8x1x1xf32>
  %2 = axon.relu %1 : tensor<1x8x8x8xf32>
  return %2 : tensor<1x8x8x8xf32>
}

// -----

// A per-column (last-dim) bias is not per channel.
// CHECK-LABEL: func.func @conv_bias_wrong_dim
// CHECK: axon.add
func.func @conv_bias_wrong_dim(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  %0 = axon.conv2d %x, %w padding = [1, 1, 1, 1] : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>
  %1 = axon.add %0, %b : tensor<1x8x8x8xf32>, tensor<8xf32>
  return %1 : tensor<1x8x8x8xf32>
}

// -----

// The layer norm that PyTorch exports, with pow and with mul for the square.
// CHECK-LABEL: func.func @layer_norm
// CHECK-NEXT: %[[N:.*]] = axon.layer_norm %arg0 scale(%arg1 : tensor<16xf32>) bias(%arg2 : tensor<16xf32>) axes = [2] : tensor<2x4x16xf32>
// CHECK-NEXT: %[[M:.*]] = axon.layer_norm %arg0 axes = [1, 2] epsilon = 1.000000e-03 : tensor<2x4x16xf32>
// CHECK-NEXT: return %[[N]], %[[M]]
func.func @layer_norm(%x: tensor<2x4x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  %mean = axon.reduce_mean %x axes = [2] keep_dims : tensor<2x4x16xf32>
  %d = axon.sub %x, %mean : tensor<2x4x16xf32>, tensor<2x4x1xf32>
  %two = axon.constant dense<2.0> : tensor<f32>
  %sq = axon.pow %d, %two : tensor<2x4x16xf32>, tensor<f32>
  %var = axon.reduce_mean %sq axes = [2] keep_dims : tensor<2x4x16xf32>
  %eps = axon.constant dense<1.0e-5> : tensor<f32>
  %ve = axon.add %var, %eps : tensor<2x4x1xf32>, tensor<f32>
  %s = axon.sqrt %ve : tensor<2x4x1xf32>
  %n = axon.div %d, %s : tensor<2x4x16xf32>, tensor<2x4x1xf32>
  %y = axon.mul %n, %g : tensor<2x4x16xf32>, tensor<16xf32>
  %z = axon.add %y, %b : tensor<2x4x16xf32>, tensor<16xf32>
  // Over two axes, square as d*d, rsqrt form.
  %mean2 = axon.reduce_mean %x axes = [1, 2] keep_dims : tensor<2x4x16xf32>
  %d2 = axon.sub %x, %mean2 : tensor<2x4x16xf32>, tensor<2x1x1xf32>
  %sq2 = axon.mul %d2, %d2 : tensor<2x4x16xf32>, tensor<2x4x16xf32>
  %var2 = axon.reduce_mean %sq2 axes = [1, 2] keep_dims : tensor<2x4x16xf32>
  %eps2 = axon.constant dense<1.0e-3> : tensor<f32>
  %ve2 = axon.add %eps2, %var2 : tensor<f32>, tensor<2x1x1xf32>
  %r2 = axon.rsqrt %ve2 : tensor<2x1x1xf32>
  %n2 = axon.mul %d2, %r2 : tensor<2x4x16xf32>, tensor<2x1x1xf32>
  return %z, %n2 : tensor<2x4x16xf32>, tensor<2x4x16xf32>
}

// -----

// Not a layer norm: the centered value is also returned (it must stay), and
// the two means are over different axes.
// CHECK-LABEL: func.func @layer_norm_no_fuse
// CHECK-NOT: axon.layer_norm
func.func @layer_norm_no_fuse(%x: tensor<2x4x16xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  %mean = axon.reduce_mean %x axes = [2] keep_dims : tensor<2x4x16xf32>
  %d = axon.sub %x, %mean : tensor<2x4x16xf32>, tensor<2x4x1xf32>
  %sq = axon.mul %d, %d : tensor<2x4x16xf32>, tensor<2x4x16xf32>
  %var = axon.reduce_mean %sq axes = [2] keep_dims : tensor<2x4x16xf32>
  %eps = axon.constant dense<1.0e-5> : tensor<f32>
  %ve = axon.add %var, %eps : tensor<2x4x1xf32>, tensor<f32>
  %s = axon.sqrt %ve : tensor<2x4x1xf32>
  %n = axon.div %d, %s : tensor<2x4x16xf32>, tensor<2x4x1xf32>
  %mean2 = axon.reduce_mean %x axes = [1] keep_dims : tensor<2x4x16xf32>
  %d2 = axon.sub %x, %mean2 : tensor<2x4x16xf32>, tensor<2x1x16xf32>
  %sq2 = axon.mul %d2, %d2 : tensor<2x4x16xf32>, tensor<2x4x16xf32>
  %var2 = axon.reduce_mean %sq2 axes = [2] keep_dims : tensor<2x4x16xf32>
  %ve2 = axon.add %var2, %eps : tensor<2x4x1xf32>, tensor<f32>
  %s2 = axon.sqrt %ve2 : tensor<2x4x1xf32>
  %n2 = axon.div %d2, %s2 : tensor<2x4x16xf32>, tensor<2x4x1xf32>
  return %n, %d, %n2 : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>
}

// -----

// A scale that is not per normalized position stays a multiply.
// CHECK-LABEL: func.func @layer_norm_scale_wrong_shape
// CHECK: axon.layer_norm %arg0 axes = [2]
// CHECK: axon.mul
func.func @layer_norm_scale_wrong_shape(%x: tensor<2x4x16xf32>, %g: tensor<4x1xf32>) -> tensor<2x4x16xf32> {
  %n = axon.layer_norm %x axes = [2] : tensor<2x4x16xf32>
  %y = axon.mul %n, %g : tensor<2x4x16xf32>, tensor<4x1xf32>
  return %y : tensor<2x4x16xf32>
}

// -----

// RMS norm as Llama writes it: x * rsqrt(mean(x^2) + eps) * weight.
// CHECK-LABEL: func.func @rms_norm
// CHECK-NEXT: %[[R:.*]] = axon.rms_norm %arg0 scale(%arg1 : tensor<16xf32>) axes = [2] epsilon = 9.99999997E-7
// CHECK-NEXT: return %[[R]]
func.func @rms_norm(%x: tensor<2x4x16xf32>, %w: tensor<16xf32>) -> tensor<2x4x16xf32> {
  %two = axon.constant dense<2.0> : tensor<f32>
  %sq = axon.pow %x, %two : tensor<2x4x16xf32>, tensor<f32>
  %ms = axon.reduce_mean %sq axes = [2] keep_dims : tensor<2x4x16xf32>
  %eps = axon.constant dense<1.0e-6> : tensor<f32>
  %a = axon.add %ms, %eps : tensor<2x4x1xf32>, tensor<f32>
  %r = axon.rsqrt %a : tensor<2x4x1xf32>
  %n = axon.mul %x, %r : tensor<2x4x16xf32>, tensor<2x4x1xf32>
  %y = axon.mul %w, %n : tensor<16xf32>, tensor<2x4x16xf32>
  return %y : tensor<2x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @gelu_forms
// CHECK-NEXT: %[[A:.*]] = axon.gelu %arg0 : tensor<8xf32>
// CHECK-NEXT: %[[B:.*]] = axon.gelu %arg0 : tensor<8xf32>
// CHECK-NEXT: %[[C:.*]] = axon.gelu %arg0 approximate = tanh : tensor<8xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]]
func.func @gelu_forms(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %sqrt2 = axon.constant dense<1.41421354> : tensor<f32>
  %one = axon.constant dense<1.0> : tensor<f32>
  %half = axon.constant dense<0.5> : tensor<f32>
  // PyTorch's export: x * 0.5 * (1 + erf(x / sqrt(2))).
  %0 = axon.div %x, %sqrt2 : tensor<8xf32>, tensor<f32>
  %1 = axon.erf %0 : tensor<8xf32>
  %2 = axon.add %1, %one : tensor<8xf32>, tensor<f32>
  %3 = axon.mul %x, %half : tensor<8xf32>, tensor<f32>
  %4 = axon.mul %3, %2 : tensor<8xf32>, tensor<8xf32>
  // 0.5 * (x * (1 + erf(x * 0.7071))).
  %inv = axon.constant dense<0.707106769> : tensor<f32>
  %5 = axon.mul %x, %inv : tensor<8xf32>, tensor<f32>
  %6 = axon.erf %5 : tensor<8xf32>
  %7 = axon.add %one, %6 : tensor<f32>, tensor<8xf32>
  %8 = axon.mul %x, %7 : tensor<8xf32>, tensor<8xf32>
  %9 = axon.mul %half, %8 : tensor<f32>, tensor<8xf32>
  // Tanh form with pow(x, 3).
  %three = axon.constant dense<3.0> : tensor<f32>
  %c = axon.constant dense<0.044715> : tensor<f32>
  %k = axon.constant dense<0.797884583> : tensor<f32>
  %10 = axon.pow %x, %three : tensor<8xf32>, tensor<f32>
  %11 = axon.mul %c, %10 : tensor<f32>, tensor<8xf32>
  %12 = axon.add %x, %11 : tensor<8xf32>, tensor<8xf32>
  %13 = axon.mul %12, %k : tensor<8xf32>, tensor<f32>
  %14 = axon.tanh %13 : tensor<8xf32>
  %15 = axon.add %14, %one : tensor<8xf32>, tensor<f32>
  %16 = axon.mul %half, %x : tensor<f32>, tensor<8xf32>
  %17 = axon.mul %16, %15 : tensor<8xf32>, tensor<8xf32>
  return %4, %9, %17 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// A wrong constant (0.6 instead of 0.5) or a shared erf is no GELU.
// CHECK-LABEL: func.func @gelu_no_fuse
// CHECK-NOT: axon.gelu
func.func @gelu_no_fuse(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %sqrt2 = axon.constant dense<1.41421354> : tensor<f32>
  %one = axon.constant dense<1.0> : tensor<f32>
  %c = axon.constant dense<0.6> : tensor<f32>
  %half = axon.constant dense<0.5> : tensor<f32>
  %0 = axon.div %x, %sqrt2 : tensor<8xf32>, tensor<f32>
  %1 = axon.erf %0 : tensor<8xf32>
  %2 = axon.add %1, %one : tensor<8xf32>, tensor<f32>
  %3 = axon.mul %x, %c : tensor<8xf32>, tensor<f32>
  %4 = axon.mul %3, %2 : tensor<8xf32>, tensor<8xf32>
  %5 = axon.mul %x, %half : tensor<8xf32>, tensor<f32>
  %6 = axon.mul %5, %2 : tensor<8xf32>, tensor<8xf32>
  return %4, %6, %1 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT: %[[S:.*]] = axon.softmax %arg0 axis = 1 : tensor<4x10xf32>
// The max-free form overflows where softmax does not: fast-math only.
// CHECK-NEXT: axon.exp
// FAST-LABEL: func.func @softmax
// FAST-NEXT: %[[S:.*]] = axon.softmax %arg0 axis = 1 : tensor<4x10xf32>
// FAST-NEXT: %[[T:.*]] = axon.softmax %arg0 axis = 0 : tensor<4x10xf32>
// FAST-NEXT: return %[[S]], %[[T]]
func.func @softmax(%x: tensor<4x10xf32>) -> (tensor<4x10xf32>, tensor<4x10xf32>) {
  %m = axon.reduce_max %x axes = [1] keep_dims : tensor<4x10xf32>
  %s = axon.sub %x, %m : tensor<4x10xf32>, tensor<4x1xf32>
  %e = axon.exp %s : tensor<4x10xf32>
  %t = axon.reduce_sum %e axes = [1] keep_dims : tensor<4x10xf32>
  %p = axon.div %e, %t : tensor<4x10xf32>, tensor<4x1xf32>
  %e2 = axon.exp %x : tensor<4x10xf32>
  %t2 = axon.reduce_sum %e2 axes = [0] keep_dims : tensor<4x10xf32>
  %p2 = axon.div %e2, %t2 : tensor<4x10xf32>, tensor<1x10xf32>
  return %p, %p2 : tensor<4x10xf32>, tensor<4x10xf32>
}

// -----

// Max and sum over different axes is no softmax.
// CHECK-LABEL: func.func @softmax_no_fuse
// CHECK-NOT: axon.softmax
func.func @softmax_no_fuse(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %m = axon.reduce_max %x axes = [0] keep_dims : tensor<4x10xf32>
  %s = axon.sub %x, %m : tensor<4x10xf32>, tensor<1x10xf32>
  %e = axon.exp %s : tensor<4x10xf32>
  %t = axon.reduce_sum %e axes = [1] keep_dims : tensor<4x10xf32>
  %p = axon.div %e, %t : tensor<4x10xf32>, tensor<4x1xf32>
  return %p : tensor<4x10xf32>
}

// -----

// SiLU (DRR), both operand orders; a shared sigmoid stays.
// CHECK-LABEL: func.func @silu
// CHECK-NEXT: %[[A:.*]] = axon.silu %arg0
// CHECK-NEXT: %[[B:.*]] = axon.silu %arg0
// CHECK-NEXT: %[[S:.*]] = axon.sigmoid %arg1
// CHECK-NEXT: %[[C:.*]] = axon.mul %arg1, %[[S]]
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[S]]
func.func @silu(%x: tensor<8xf32>, %y: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %s = axon.sigmoid %x : tensor<8xf32>
  %0 = axon.mul %x, %s : tensor<8xf32>, tensor<8xf32>
  %s2 = axon.sigmoid %x : tensor<8xf32>
  %1 = axon.mul %s2, %x : tensor<8xf32>, tensor<8xf32>
  %s3 = axon.sigmoid %y : tensor<8xf32>
  %2 = axon.mul %y, %s3 : tensor<8xf32>, tensor<8xf32>
  return %0, %1, %2, %s3 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Scaled dot-product attention with a transposed key, a divide by sqrt(D)
// and an additive mask.
// CHECK-LABEL: func.func @attention
// CHECK-NEXT: %[[A:.*]] = axon.attention %arg0, %arg1, %arg2 mask(%arg3 : tensor<1x1x4x6xf32>) scale = 1.250000e-01 : tensor<2x3x4x64xf32>, tensor<2x3x6x64xf32>, tensor<2x3x6x64xf32>
// CHECK-NEXT: return %[[A]]
func.func @attention(%q: tensor<2x3x4x64xf32>, %k: tensor<2x3x6x64xf32>, %v: tensor<2x3x6x64xf32>, %mask: tensor<1x1x4x6xf32>) -> tensor<2x3x4x64xf32> {
  %kt = axon.transpose %k perm = [0, 1, 3, 2] : tensor<2x3x6x64xf32>
  %s = axon.matmul %q, %kt : tensor<2x3x4x64xf32>, tensor<2x3x64x6xf32>
  %d = axon.constant dense<8.0> : tensor<f32>
  %sc = axon.div %s, %d : tensor<2x3x4x6xf32>, tensor<f32>
  %m = axon.add %sc, %mask : tensor<2x3x4x6xf32>, tensor<1x1x4x6xf32>
  %p = axon.softmax %m axis = 3 : tensor<2x3x4x6xf32>
  %o = axon.matmul %p, %v : tensor<2x3x4x6xf32>, tensor<2x3x6x64xf32>
  return %o : tensor<2x3x4x64xf32>
}

// -----

// Unscaled attention keeps an explicit scale of 1; a boolean mask via select.
// CHECK-LABEL: func.func @attention_bool_mask
// CHECK-NEXT: %[[A:.*]] = axon.attention %arg0, %arg1, %arg2 mask(%arg3 : tensor<4x6xi1>) scale = 1.000000e+00
func.func @attention_bool_mask(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>, %mask: tensor<4x6xi1>) -> tensor<4x8xf32> {
  %s = axon.matmul %q, %k transpose_rhs : tensor<4x8xf32>, tensor<6x8xf32>
  %ninf = axon.constant dense<0xFF800000> : tensor<f32>
  %m = axon.select %mask, %s, %ninf : tensor<4x6xi1>, tensor<4x6xf32>, tensor<f32>
  %p = axon.softmax %m axis = 1 : tensor<4x6xf32>
  %o = axon.matmul %p, %v : tensor<4x6xf32>, tensor<6x8xf32>
  return %o : tensor<4x8xf32>
}

// -----

// Softmax over the query axis, or probabilities that are also returned, are
// not attention.
// CHECK-LABEL: func.func @attention_no_fuse
// CHECK-NOT: axon.attention
func.func @attention_no_fuse(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x6xf32>) {
  %s = axon.matmul %q, %k transpose_rhs : tensor<4x8xf32>, tensor<6x8xf32>
  %p = axon.softmax %s axis = 0 : tensor<4x6xf32>
  %o = axon.matmul %p, %v : tensor<4x6xf32>, tensor<6x8xf32>
  %s2 = axon.matmul %q, %k transpose_rhs : tensor<4x8xf32>, tensor<6x8xf32>
  %p2 = axon.softmax %s2 axis = 1 : tensor<4x6xf32>
  %o2 = axon.matmul %p2, %v : tensor<4x6xf32>, tensor<6x8xf32>
  return %o, %o2, %p2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x6xf32>
}

// -----

// Fast-math only: x * 0 and x + 0.0.
// CHECK-LABEL: func.func @fast_math
// CHECK: axon.mul
// CHECK: axon.add
// FAST-LABEL: func.func @fast_math
// FAST-NEXT: %[[Z:.*]] = axon.constant dense<0.000000e+00> : tensor<4xf32>
// FAST-NEXT: return %[[Z]], %arg0
func.func @fast_math(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = axon.constant dense<0.0> : tensor<f32>
  %0 = axon.mul %x, %zero : tensor<4xf32>, tensor<f32>
  %1 = axon.add %x, %zero : tensor<4xf32>, tensor<f32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A constant mask that is -inf exactly above the diagonal (a causal model's
// exported buffer) becomes the causal flag; any other constant stays a mask.
// CHECK-LABEL: func.func @causal_mask
// CHECK: axon.attention %arg0, %arg1, %arg2 scale = 5.000000e-01 causal : tensor<2x3x3x4xf32>
// CHECK: axon.attention %arg0, %arg1, %arg2 mask(
func.func @causal_mask(%q: tensor<2x3x3x4xf32>, %k: tensor<2x3x3x4xf32>, %v: tensor<2x3x3x4xf32>) -> (tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>) {
  %causal = axon.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %other = axon.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %0 = axon.attention %q, %k, %v mask(%causal : tensor<3x3xf32>) scale = 0.5 : tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>
  %1 = axon.attention %q, %k, %v mask(%other : tensor<3x3xf32>) scale = 0.5 : tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>
  return %0, %1 : tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>
}

// -----

// The same mask as a resource blob (how the ONNX importer keeps large
// initializers).
// CHECK-LABEL: func.func @causal_mask_resource
// CHECK: axon.attention %arg0, %arg1, %arg2 scale = 5.000000e-01 causal : tensor<2x3x3x4xf32>
func.func @causal_mask_resource(%q: tensor<2x3x3x4xf32>, %k: tensor<2x3x3x4xf32>, %v: tensor<2x3x3x4xf32>) -> tensor<2x3x3x4xf32> {
  %causal = axon.constant dense_resource<causal_mask> : tensor<3x3xf32>
  %0 = axon.attention %q, %k, %v mask(%causal : tensor<3x3xf32>) scale = 0.5 : tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>, tensor<2x3x3x4xf32>
  return %0 : tensor<2x3x3x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      causal_mask: "0x0400000000000000000080FF000080FF0000000000000000000080FF000000000000000000000000"
    }
  }
#-}

// -----

// A reshape to its own type is the identity, also with a dynamic dim (a
// spec has one -1 at most, and the element count fixes it).
// CHECK-LABEL: func.func @identity_reshape
// CHECK-NOT: axon.reshape
// CHECK: return %arg0
func.func @identity_reshape(%a: tensor<?x4x1x8xf32>) -> tensor<?x4x1x8xf32> {
  %0 = axon.reshape %a to [-1, 4, 1, 8] : tensor<?x4x1x8xf32>
  return %0 : tensor<?x4x1x8xf32>
}
