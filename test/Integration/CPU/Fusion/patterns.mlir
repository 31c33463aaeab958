// Each fusion pattern, run unfused (--fuse=false) and fused on the same
// random inputs: the results agree. axon-opt checks that each one fused.
// RUN: axon-opt %s -axon-fuse | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --entry=matmul_epilogues --fuse=false --random-inputs=5 --quiet --output-dir=%t/matmul_epilogues
// RUN: axon-run %s --entry=matmul_epilogues --random-inputs=5 --quiet --expect 0=%t/matmul_epilogues/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=conv_epilogue --fuse=false --random-inputs=5 --quiet --output-dir=%t/conv_epilogue
// RUN: axon-run %s --entry=conv_epilogue --random-inputs=5 --quiet --expect 0=%t/conv_epilogue/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=layer_norms --fuse=false --random-inputs=5 --quiet --output-dir=%t/layer_norms
// RUN: axon-run %s --entry=layer_norms --random-inputs=5 --quiet --expect 0=%t/layer_norms/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=rms_norm --fuse=false --random-inputs=5 --quiet --output-dir=%t/rms_norm
// RUN: axon-run %s --entry=rms_norm --random-inputs=5 --quiet --expect 0=%t/rms_norm/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=gelus --fuse=false --random-inputs=5 --quiet --output-dir=%t/gelus
// RUN: axon-run %s --entry=gelus --random-inputs=5 --quiet --expect 0=%t/gelus/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=softmax --fuse=false --random-inputs=5 --quiet --output-dir=%t/softmax
// RUN: axon-run %s --entry=softmax --random-inputs=5 --quiet --expect 0=%t/softmax/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=silu --fuse=false --random-inputs=5 --quiet --output-dir=%t/silu
// RUN: axon-run %s --entry=silu --random-inputs=5 --quiet --expect 0=%t/silu/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=attention_mask --fuse=false --random-inputs=5 --quiet --output-dir=%t/attention_mask
// RUN: axon-run %s --entry=attention_mask --random-inputs=5 --quiet --expect 0=%t/attention_mask/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=attention_bool_mask --fuse=false --random-inputs=5 --quiet --output-dir=%t/attention_bool_mask
// RUN: axon-run %s --entry=attention_bool_mask --random-inputs=5 --quiet --expect 0=%t/attention_bool_mask/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=transposed_operands --fuse=false --random-inputs=5 --quiet --output-dir=%t/transposed_operands
// RUN: axon-run %s --entry=transposed_operands --random-inputs=5 --quiet --expect 0=%t/transposed_operands/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// RUN: axon-run %s --entry=softmax_unshifted --fuse=false --random-inputs=5 --quiet --output-dir=%t/unshifted
// RUN: axon-run %s --entry=softmax_unshifted --fast-math --random-inputs=5 --quiet --expect 0=%t/unshifted/result0.npy --rtol=1e-5 --atol=2e-6 | FileCheck %s --check-prefix=AGREE
// AGREE: result 0: matches

// CHECK-LABEL: func.func @matmul_epilogues
// CHECK: axon.matmul %arg0, %arg1 bias(%arg2 : tensor<16xf32>) activation = relu
// CHECK: activation = gelu_tanh
// CHECK: activation = silu
// CHECK: activation = clip clip_min = -5.000000e-01 clip_max = 5.000000e-01
// CHECK: axon.concat
func.func @matmul_epilogues(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<16x16xf32> {
  %0 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = axon.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
  %2 = axon.relu %1 : tensor<4x16xf32>
  %3 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %4 = axon.gelu %3 approximate = tanh : tensor<4x16xf32>
  %5 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %6 = axon.silu %5 : tensor<4x16xf32>
  %7 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %8 = axon.clip %7 min = -0.5 max = 0.5 : tensor<4x16xf32>
  %r = axon.concat %2, %4, %6, %8 axis = 0 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
  return %r : tensor<16x16xf32>
}

// CHECK-LABEL: func.func @conv_epilogue
// CHECK: axon.conv2d %arg0, %arg1 bias(%{{.*}} : tensor<4xf32>) padding = [1, 1, 1, 1] activation = sigmoid
func.func @conv_epilogue(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %0 = axon.conv2d %x, %w padding = [1, 1, 1, 1] : tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>
  %1 = axon.add %0, %b : tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>
  %2 = axon.sigmoid %1 : tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @layer_norms
// CHECK: axon.layer_norm %arg0 scale(%{{.*}} : tensor<16xf32>) bias(%{{.*}} : tensor<16xf32>) axes = [1]
// CHECK: axon.layer_norm %arg0 axes = [0, 1] epsilon = 0.00999999977
func.func @layer_norms(%x: tensor<3x16xf32>, %g: tensor<1x16xf32>, %b: tensor<16xf32>) -> tensor<6x16xf32> {
  %two = axon.constant dense<2.0> : tensor<f32>
  %eps = axon.constant dense<1.0e-5> : tensor<f32>
  %m = axon.reduce_mean %x axes = [1] keep_dims : tensor<3x16xf32>
  %d = axon.sub %x, %m : tensor<3x16xf32>, tensor<3x1xf32>
  %sq = axon.pow %d, %two : tensor<3x16xf32>, tensor<f32>
  %v = axon.reduce_mean %sq axes = [1] keep_dims : tensor<3x16xf32>
  %ve = axon.add %v, %eps : tensor<3x1xf32>, tensor<f32>
  %s = axon.sqrt %ve : tensor<3x1xf32>
  %n = axon.div %d, %s : tensor<3x16xf32>, tensor<3x1xf32>
  %y = axon.mul %n, %g : tensor<3x16xf32>, tensor<1x16xf32>
  %z = axon.add %y, %b : tensor<3x16xf32>, tensor<16xf32>
  %eps2 = axon.constant dense<1.0e-2> : tensor<f32>
  %m2 = axon.reduce_mean %x axes = [0, 1] keep_dims : tensor<3x16xf32>
  %d2 = axon.sub %x, %m2 : tensor<3x16xf32>, tensor<1x1xf32>
  %sq2 = axon.mul %d2, %d2 : tensor<3x16xf32>, tensor<3x16xf32>
  %v2 = axon.reduce_mean %sq2 axes = [0, 1] keep_dims : tensor<3x16xf32>
  %ve2 = axon.add %v2, %eps2 : tensor<1x1xf32>, tensor<f32>
  %r2 = axon.rsqrt %ve2 : tensor<1x1xf32>
  %n2 = axon.mul %d2, %r2 : tensor<3x16xf32>, tensor<1x1xf32>
  %r = axon.concat %z, %n2 axis = 0 : tensor<3x16xf32>, tensor<3x16xf32>
  return %r : tensor<6x16xf32>
}

// CHECK-LABEL: func.func @rms_norm
// CHECK: axon.rms_norm %arg0 scale(%arg1 : tensor<16xf32>) axes = [1]
func.func @rms_norm(%x: tensor<3x16xf32>, %w: tensor<16xf32>) -> tensor<3x16xf32> {
  %sq = axon.mul %x, %x : tensor<3x16xf32>, tensor<3x16xf32>
  %ms = axon.reduce_mean %sq axes = [1] keep_dims : tensor<3x16xf32>
  %eps = axon.constant dense<1.0e-6> : tensor<f32>
  %a = axon.add %ms, %eps : tensor<3x1xf32>, tensor<f32>
  %r = axon.sqrt %a : tensor<3x1xf32>
  %n = axon.div %x, %r : tensor<3x16xf32>, tensor<3x1xf32>
  %y = axon.mul %n, %w : tensor<3x16xf32>, tensor<16xf32>
  return %y : tensor<3x16xf32>
}

// CHECK-LABEL: func.func @gelus
// CHECK: axon.gelu %arg0 : tensor<32xf32>
// CHECK: axon.gelu %arg0 approximate = tanh : tensor<32xf32>
func.func @gelus(%x: tensor<32xf32>) -> tensor<64xf32> {
  %sqrt2 = axon.constant dense<1.41421354> : tensor<f32>
  %one = axon.constant dense<1.0> : tensor<f32>
  %half = axon.constant dense<0.5> : tensor<f32>
  %0 = axon.div %x, %sqrt2 : tensor<32xf32>, tensor<f32>
  %1 = axon.erf %0 : tensor<32xf32>
  %2 = axon.add %1, %one : tensor<32xf32>, tensor<f32>
  %3 = axon.mul %x, %half : tensor<32xf32>, tensor<f32>
  %4 = axon.mul %3, %2 : tensor<32xf32>, tensor<32xf32>
  %c = axon.constant dense<0.044715> : tensor<f32>
  %k = axon.constant dense<0.797884583> : tensor<f32>
  %xx = axon.mul %x, %x : tensor<32xf32>, tensor<32xf32>
  %x3 = axon.mul %xx, %x : tensor<32xf32>, tensor<32xf32>
  %5 = axon.mul %x3, %c : tensor<32xf32>, tensor<f32>
  %6 = axon.add %5, %x : tensor<32xf32>, tensor<32xf32>
  %7 = axon.mul %k, %6 : tensor<f32>, tensor<32xf32>
  %8 = axon.tanh %7 : tensor<32xf32>
  %9 = axon.add %one, %8 : tensor<f32>, tensor<32xf32>
  %10 = axon.mul %x, %9 : tensor<32xf32>, tensor<32xf32>
  %11 = axon.mul %10, %half : tensor<32xf32>, tensor<f32>
  %r = axon.concat %4, %11 axis = 0 : tensor<32xf32>, tensor<32xf32>
  return %r : tensor<64xf32>
}

// CHECK-LABEL: func.func @softmax
// CHECK: axon.softmax %arg0 axis = 0
func.func @softmax(%x: tensor<5x7xf32>) -> tensor<5x7xf32> {
  %m = axon.reduce_max %x axes = [0] keep_dims : tensor<5x7xf32>
  %s = axon.sub %x, %m : tensor<5x7xf32>, tensor<1x7xf32>
  %e = axon.exp %s : tensor<5x7xf32>
  %t = axon.reduce_sum %e axes = [0] keep_dims : tensor<5x7xf32>
  %p = axon.div %e, %t : tensor<5x7xf32>, tensor<1x7xf32>
  return %p : tensor<5x7xf32>
}

// CHECK-LABEL: func.func @softmax_unshifted
func.func @softmax_unshifted(%x: tensor<5x7xf32>) -> tensor<5x7xf32> {
  %e = axon.exp %x : tensor<5x7xf32>
  %t = axon.reduce_sum %e axes = [1] keep_dims : tensor<5x7xf32>
  %p = axon.div %e, %t : tensor<5x7xf32>, tensor<5x1xf32>
  return %p : tensor<5x7xf32>
}

// CHECK-LABEL: func.func @silu
// CHECK: axon.silu %arg0
func.func @silu(%x: tensor<16xf32>) -> tensor<16xf32> {
  %s = axon.sigmoid %x : tensor<16xf32>
  %0 = axon.mul %s, %x : tensor<16xf32>, tensor<16xf32>
  return %0 : tensor<16xf32>
}

// CHECK-LABEL: func.func @attention_mask
// CHECK: axon.attention %arg0, %arg1, %arg2 mask(%arg3 : tensor<1x4x6xf32>) scale = 5.000000e-01
func.func @attention_mask(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x3xf32>, %mask: tensor<1x4x6xf32>) -> tensor<2x4x3xf32> {
  %kt = axon.transpose %k perm = [0, 2, 1] : tensor<2x6x8xf32>
  %s = axon.matmul %q, %kt : tensor<2x4x8xf32>, tensor<2x8x6xf32>
  %c = axon.constant dense<0.5> : tensor<f32>
  %sc = axon.mul %c, %s : tensor<f32>, tensor<2x4x6xf32>
  %m = axon.add %mask, %sc : tensor<1x4x6xf32>, tensor<2x4x6xf32>
  %p = axon.softmax %m axis = 2 : tensor<2x4x6xf32>
  %o = axon.matmul %p, %v : tensor<2x4x6xf32>, tensor<2x6x3xf32>
  return %o : tensor<2x4x3xf32>
}

// CHECK-LABEL: func.func @attention_bool_mask
// CHECK: axon.attention %arg0, %arg1, %arg2 mask(%{{.*}} : tensor<4x6xi1>) scale = 1.000000e+00
func.func @attention_bool_mask(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>, %r: tensor<4x6xf32>) -> tensor<4x8xf32> {
  // Keep the keys where r > -0.5, and always key 0.
  %t = axon.constant dense<-0.5> : tensor<f32>
  %keep0 = axon.cmp gt, %r, %t : tensor<4x6xf32>, tensor<f32>
  %first = axon.constant dense<[[true, false, false, false, false, false]]> : tensor<1x6xi1>
  %fz = axon.cast %first : tensor<1x6xi1> to tensor<1x6xf32>
  %rz = axon.cast %keep0 : tensor<4x6xi1> to tensor<4x6xf32>
  %any = axon.max %rz, %fz : tensor<4x6xf32>, tensor<1x6xf32>
  %zero = axon.constant dense<0.0> : tensor<f32>
  %keep = axon.cmp gt, %any, %zero : tensor<4x6xf32>, tensor<f32>
  %s = axon.matmul %q, %k transpose_rhs : tensor<4x8xf32>, tensor<6x8xf32>
  %ninf = axon.constant dense<0xFF800000> : tensor<f32>
  %m = axon.select %keep, %s, %ninf : tensor<4x6xi1>, tensor<4x6xf32>, tensor<f32>
  %p = axon.softmax %m axis = 1 : tensor<4x6xf32>
  %o = axon.matmul %p, %v : tensor<4x6xf32>, tensor<6x8xf32>
  return %o : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @transposed_operands
// CHECK: axon.matmul %arg0, %arg1 transpose_lhs transpose_rhs
func.func @transposed_operands(%a: tensor<8x4xf32>, %b: tensor<5x8xf32>) -> tensor<4x5xf32> {
  %at = axon.transpose %a perm = [1, 0] : tensor<8x4xf32>
  %bt = axon.transpose %b perm = [1, 0] : tensor<5x8xf32>
  %0 = axon.matmul %at, %bt : tensor<4x8xf32>, tensor<8x5xf32>
  return %0 : tensor<4x5xf32>
}
