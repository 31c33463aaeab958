// A pre-norm transformer block written as an exporter emits it (decomposed
// layer norms, softmax and GELU; biases as adds; heads via reshape/transpose).
// axon-fuse collapses it into 2 layer_norms, 6 biased matmuls (one with a GELU
// epilogue) and 1 attention; fused and unfused programs compute the same.
// RUN: axon-opt %s -axon-fuse | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --fuse=false --random-inputs=11 --quiet --output-dir=%t/unfused
// RUN: axon-run %s --random-inputs=11 --expect 0=%t/unfused/result0.npy --rtol=1e-4 --atol=1e-5 | FileCheck %s --check-prefix=AGREE
// AGREE: result 0: matches

// CHECK-LABEL: func.func @block
// CHECK: axon.layer_norm %arg0 scale(%arg1 : tensor<16xf32>) bias(%arg2 : tensor<16xf32>) axes = [2]
// CHECK-COUNT-3: axon.matmul %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<16xf32>) : tensor<2x6x16xf32>, tensor<16x16xf32>
// CHECK: %[[A:.*]] = axon.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%arg17 : tensor<1x1x6x6xf32>) scale = 0.35355{{[0-9]*}}
// CHECK: axon.matmul %{{.*}}, %arg9 bias(%arg10 : tensor<16xf32>)
// CHECK: axon.layer_norm %{{.*}} scale(%arg11 : tensor<16xf32>) bias(%arg12 : tensor<16xf32>) axes = [2]
// CHECK: axon.matmul %{{.*}}, %arg13 bias(%arg14 : tensor<32xf32>) activation = gelu
// CHECK: axon.matmul %{{.*}}, %arg15 bias(%arg16 : tensor<16xf32>)
// CHECK-NOT: axon.softmax
// CHECK-NOT: axon.erf
// CHECK-NOT: axon.reduce_
// CHECK-NOT: axon.sqrt
// CHECK-NOT: axon.rsqrt
// CHECK-NOT: axon.pow
// CHECK: return
func.func @block(%x: tensor<2x6x16xf32>, %g1: tensor<16xf32>, %be1: tensor<16xf32>,
                 %wq: tensor<16x16xf32>, %bq: tensor<16xf32>, %wk: tensor<16x16xf32>, %bk: tensor<16xf32>,
                 %wv: tensor<16x16xf32>, %bv: tensor<16xf32>, %wo: tensor<16x16xf32>, %bo: tensor<16xf32>,
                 %g2: tensor<16xf32>, %be2: tensor<16xf32>, %w1: tensor<16x32xf32>, %b1: tensor<32xf32>,
                 %w2: tensor<32x16xf32>, %b2: tensor<16xf32>, %mask: tensor<1x1x6x6xf32>) -> tensor<2x6x16xf32> {
  %two = axon.constant dense<2.0> : tensor<f32>
  %eps = axon.constant dense<1.0e-5> : tensor<f32>
  // Layer norm 1: pow and divide.
  %m1 = axon.reduce_mean %x axes = [2] keep_dims : tensor<2x6x16xf32>
  %d1 = axon.sub %x, %m1 : tensor<2x6x16xf32>, tensor<2x6x1xf32>
  %sq1 = axon.pow %d1, %two : tensor<2x6x16xf32>, tensor<f32>
  %v1 = axon.reduce_mean %sq1 axes = [2] keep_dims : tensor<2x6x16xf32>
  %ve1 = axon.add %v1, %eps : tensor<2x6x1xf32>, tensor<f32>
  %s1 = axon.sqrt %ve1 : tensor<2x6x1xf32>
  %n1 = axon.div %d1, %s1 : tensor<2x6x16xf32>, tensor<2x6x1xf32>
  %y1 = axon.mul %n1, %g1 : tensor<2x6x16xf32>, tensor<16xf32>
  %h = axon.add %y1, %be1 : tensor<2x6x16xf32>, tensor<16xf32>
  // Projections with bias adds.
  %q0 = axon.matmul %h, %wq : tensor<2x6x16xf32>, tensor<16x16xf32>
  %q1 = axon.add %q0, %bq : tensor<2x6x16xf32>, tensor<16xf32>
  %k0 = axon.matmul %h, %wk : tensor<2x6x16xf32>, tensor<16x16xf32>
  %k1 = axon.add %k0, %bk : tensor<2x6x16xf32>, tensor<16xf32>
  %v0 = axon.matmul %h, %wv : tensor<2x6x16xf32>, tensor<16x16xf32>
  %vv1 = axon.add %v0, %bv : tensor<2x6x16xf32>, tensor<16xf32>
  // Heads: [2, 6, 16] -> [2, 2, 6, 8]; the key goes straight to [2, 2, 8, 6].
  %q2 = axon.reshape %q1 to [2, 6, 2, 8] : tensor<2x6x16xf32>
  %q = axon.transpose %q2 perm = [0, 2, 1, 3] : tensor<2x6x2x8xf32>
  %k2 = axon.reshape %k1 to [2, 6, 2, 8] : tensor<2x6x16xf32>
  %kt = axon.transpose %k2 perm = [0, 2, 3, 1] : tensor<2x6x2x8xf32>
  %v2 = axon.reshape %vv1 to [2, 6, 2, 8] : tensor<2x6x16xf32>
  %v = axon.transpose %v2 perm = [0, 2, 1, 3] : tensor<2x6x2x8xf32>
  // Scores, scale by 1/sqrt(8), mask, softmax with max subtraction.
  %sc = axon.matmul %q, %kt : tensor<2x2x6x8xf32>, tensor<2x2x8x6xf32>
  %rootd = axon.constant dense<2.82842708> : tensor<f32>
  %scs = axon.div %sc, %rootd : tensor<2x2x6x6xf32>, tensor<f32>
  %scm = axon.add %scs, %mask : tensor<2x2x6x6xf32>, tensor<1x1x6x6xf32>
  %mx = axon.reduce_max %scm axes = [3] keep_dims : tensor<2x2x6x6xf32>
  %sh = axon.sub %scm, %mx : tensor<2x2x6x6xf32>, tensor<2x2x6x1xf32>
  %ex = axon.exp %sh : tensor<2x2x6x6xf32>
  %sm = axon.reduce_sum %ex axes = [3] keep_dims : tensor<2x2x6x6xf32>
  %p = axon.div %ex, %sm : tensor<2x2x6x6xf32>, tensor<2x2x6x1xf32>
  %o = axon.matmul %p, %v : tensor<2x2x6x6xf32>, tensor<2x2x6x8xf32>
  // Merge heads, output projection, residual.
  %o1 = axon.transpose %o perm = [0, 2, 1, 3] : tensor<2x2x6x8xf32>
  %o2 = axon.reshape %o1 to [2, 6, 16] : tensor<2x6x2x8xf32>
  %po = axon.matmul %o2, %wo : tensor<2x6x16xf32>, tensor<16x16xf32>
  %pob = axon.add %po, %bo : tensor<2x6x16xf32>, tensor<16xf32>
  %r1 = axon.add %x, %pob : tensor<2x6x16xf32>, tensor<2x6x16xf32>
  // Layer norm 2: square as a product and rsqrt.
  %m2 = axon.reduce_mean %r1 axes = [2] keep_dims : tensor<2x6x16xf32>
  %d2 = axon.sub %r1, %m2 : tensor<2x6x16xf32>, tensor<2x6x1xf32>
  %sq2 = axon.mul %d2, %d2 : tensor<2x6x16xf32>, tensor<2x6x16xf32>
  %v2n = axon.reduce_mean %sq2 axes = [2] keep_dims : tensor<2x6x16xf32>
  %ve2 = axon.add %v2n, %eps : tensor<2x6x1xf32>, tensor<f32>
  %rs2 = axon.rsqrt %ve2 : tensor<2x6x1xf32>
  %n2 = axon.mul %d2, %rs2 : tensor<2x6x16xf32>, tensor<2x6x1xf32>
  %y2 = axon.mul %g2, %n2 : tensor<16xf32>, tensor<2x6x16xf32>
  %h2 = axon.add %be2, %y2 : tensor<16xf32>, tensor<2x6x16xf32>
  // MLP with the erf-form GELU PyTorch exports.
  %f1 = axon.matmul %h2, %w1 : tensor<2x6x16xf32>, tensor<16x32xf32>
  %f1b = axon.add %f1, %b1 : tensor<2x6x32xf32>, tensor<32xf32>
  %sqrt2 = axon.constant dense<1.41421354> : tensor<f32>
  %one = axon.constant dense<1.0> : tensor<f32>
  %half = axon.constant dense<0.5> : tensor<f32>
  %ga = axon.div %f1b, %sqrt2 : tensor<2x6x32xf32>, tensor<f32>
  %gb = axon.erf %ga : tensor<2x6x32xf32>
  %gc = axon.add %gb, %one : tensor<2x6x32xf32>, tensor<f32>
  %gd = axon.mul %f1b, %gc : tensor<2x6x32xf32>, tensor<2x6x32xf32>
  %act = axon.mul %gd, %half : tensor<2x6x32xf32>, tensor<f32>
  %f2 = axon.matmul %act, %w2 : tensor<2x6x32xf32>, tensor<32x16xf32>
  %f2b = axon.add %f2, %b2 : tensor<2x6x16xf32>, tensor<16xf32>
  %out = axon.add %r1, %f2b : tensor<2x6x16xf32>, tensor<2x6x16xf32>
  return %out : tensor<2x6x16xf32>
}
