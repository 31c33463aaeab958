// Round trip of every axon op: custom form, and custom -> generic -> custom.
// RUN: axon-opt %s | axon-opt | FileCheck %s
// RUN: axon-opt %s --mlir-print-op-generic | axon-opt | FileCheck %s

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xi1>, tensor<2xbf16>) {
  // CHECK: axon.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = axon.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: axon.constant dense<7> : tensor<2x2xi64>
  %1 = axon.constant dense<7> : tensor<2x2xi64>
  // CHECK: axon.constant dense<[true, false, true]> : tensor<3xi1>
  %2 = axon.constant dense<[true, false, true]> : tensor<3xi1>
  // CHECK: axon.constant dense<5.000000e-01> : tensor<2xbf16>
  %3 = axon.constant dense<0.5> : tensor<2xbf16>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2x2xi64>, tensor<3xi1>, tensor<2xbf16>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<4x3xf32>, %b: tensor<3xf32>, %i: tensor<2xi32>) {
  // CHECK: axon.add %{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3xf32>
  %0 = axon.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.sub %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<4x3xf32>
  %1 = axon.sub %b, %a : tensor<3xf32>, tensor<4x3xf32>
  // CHECK: axon.mul
  %2 = axon.mul %a, %a : tensor<4x3xf32>, tensor<4x3xf32>
  // CHECK: axon.div
  %3 = axon.div %i, %i : tensor<2xi32>, tensor<2xi32>
  // CHECK: axon.pow
  %4 = axon.pow %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.max
  %5 = axon.max %i, %i : tensor<2xi32>, tensor<2xi32>
  // CHECK: axon.min
  %6 = axon.min %a, %b : tensor<4x3xf32>, tensor<3xf32>
  return
}

// CHECK-LABEL: func.func @compare_select
func.func @compare_select(%a: tensor<4x3xf32>, %b: tensor<3xf32>, %c: tensor<4x1xi1>) {
  // CHECK: axon.cmp eq, %{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3xf32>
  %0 = axon.cmp eq, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.cmp ne
  %1 = axon.cmp ne, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.cmp lt
  %2 = axon.cmp lt, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.cmp le
  %3 = axon.cmp le, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.cmp gt
  %4 = axon.cmp gt, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.cmp ge
  %5 = axon.cmp ge, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: axon.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x1xi1>, tensor<4x3xf32>, tensor<3xf32>
  %6 = axon.select %c, %a, %b : tensor<4x1xi1>, tensor<4x3xf32>, tensor<3xf32>
  return
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<2x?xf32>, %i: tensor<4xi64>, %h: tensor<8xf16>) {
  // CHECK: axon.neg %{{.*}} : tensor<2x?xf32>
  %0 = axon.neg %x : tensor<2x?xf32>
  // CHECK: axon.abs %{{.*}} : tensor<4xi64>
  %1 = axon.abs %i : tensor<4xi64>
  // CHECK: axon.exp
  %2 = axon.exp %x : tensor<2x?xf32>
  // CHECK: axon.log
  %3 = axon.log %x : tensor<2x?xf32>
  // CHECK: axon.sqrt
  %4 = axon.sqrt %h : tensor<8xf16>
  // CHECK: axon.rsqrt
  %5 = axon.rsqrt %h : tensor<8xf16>
  // CHECK: axon.tanh
  %6 = axon.tanh %x : tensor<2x?xf32>
  // CHECK: axon.sigmoid
  %7 = axon.sigmoid %x : tensor<2x?xf32>
  // CHECK: axon.relu %{{.*}} : tensor<4xi64>
  %8 = axon.relu %i : tensor<4xi64>
  // CHECK: axon.gelu %{{.*}} : tensor<2x?xf32>
  %9 = axon.gelu %x : tensor<2x?xf32>
  // CHECK: axon.gelu %{{.*}} approximate = tanh : tensor<2x?xf32>
  %10 = axon.gelu %x approximate = tanh : tensor<2x?xf32>
  // CHECK: axon.erf
  %11 = axon.erf %x : tensor<2x?xf32>
  // CHECK: axon.sin
  %s0 = axon.sin %x : tensor<2x?xf32>
  // CHECK: axon.cos
  %s1 = axon.cos %x : tensor<2x?xf32>
  // CHECK: axon.tan
  %s2 = axon.tan %x : tensor<2x?xf32>
  // CHECK: axon.asin
  %s3 = axon.asin %x : tensor<2x?xf32>
  // CHECK: axon.acos
  %s4 = axon.acos %x : tensor<2x?xf32>
  // CHECK: axon.atan
  %s5 = axon.atan %x : tensor<2x?xf32>
  // CHECK: axon.sinh
  %s6 = axon.sinh %x : tensor<2x?xf32>
  // CHECK: axon.cosh
  %s7 = axon.cosh %x : tensor<2x?xf32>
  // CHECK: axon.asinh
  %s8 = axon.asinh %x : tensor<2x?xf32>
  // CHECK: axon.acosh
  %s9 = axon.acosh %x : tensor<2x?xf32>
  // CHECK: axon.atanh
  %s10 = axon.atanh %h : tensor<8xf16>
  // CHECK: axon.floor
  %s11 = axon.floor %x : tensor<2x?xf32>
  // CHECK: axon.ceil
  %s12 = axon.ceil %x : tensor<2x?xf32>
  // CHECK: axon.round
  %s13 = axon.round %x : tensor<2x?xf32>
  // CHECK: axon.clip %{{.*}} min = 0.000000e+00 max = 6.000000e+00 : tensor<2x?xf32>
  %12 = axon.clip %x min = 0.0 max = 6.0 : tensor<2x?xf32>
  // CHECK: axon.clip %{{.*}} max = 1.000000e+00 : tensor<4xi64>
  %13 = axon.clip %i max = 1.0 : tensor<4xi64>
  // CHECK: axon.cast %{{.*}} : tensor<8xf16> to tensor<8xi1>
  %14 = axon.cast %h : tensor<8xf16> to tensor<8xi1>
  return
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<8x16x32xf32>, %b: tensor<64x32xf32>, %c: tensor<32x16xf32>) {
  // CHECK: axon.matmul %{{.*}}, %{{.*}} transpose_rhs : tensor<8x16x32xf32>, tensor<64x32xf32>
  %0 = axon.matmul %a, %b transpose_rhs : tensor<8x16x32xf32>, tensor<64x32xf32>
  // CHECK: axon.matmul %{{.*}}, %{{.*}} transpose_lhs transpose_rhs : tensor<32x16xf32>, tensor<64x32xf32>
  %1 = axon.matmul %c, %b transpose_lhs transpose_rhs : tensor<32x16xf32>, tensor<64x32xf32>
  // CHECK: axon.matmul %{{.*}}, %{{.*}} transpose_lhs : tensor<32x16xf32>, tensor<32x16xf32>
  %2 = axon.matmul %c, %c transpose_lhs : tensor<32x16xf32>, tensor<32x16xf32>
  return
}

// CHECK-LABEL: func.func @conv_pool
func.func @conv_pool(%x: tensor<1x4x32x32xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>) {
  // CHECK: axon.conv2d %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<8xf32>) strides = [2, 2] padding = [1, 1, 1, 1] dilations = [2, 2] groups = 2 : tensor<1x4x32x32xf32>, tensor<8x2x3x3xf32>
  %0 = axon.conv2d %x, %w bias(%b : tensor<8xf32>) strides = [2, 2] padding = [1, 1, 1, 1] dilations = [2, 2] groups = 2 : tensor<1x4x32x32xf32>, tensor<8x2x3x3xf32>
  // CHECK: axon.max_pool2d %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] ceil_mode : tensor<1x4x32x32xf32>
  %1 = axon.max_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] ceil_mode : tensor<1x4x32x32xf32>
  // CHECK: axon.avg_pool2d %{{.*}} kernel = [2, 2] dilations = [2, 2] count_include_pad : tensor<1x4x32x32xf32>
  %2 = axon.avg_pool2d %x kernel = [2, 2] dilations = [2, 2] count_include_pad : tensor<1x4x32x32xf32>
  // CHECK: axon.global_avg_pool %{{.*}} : tensor<1x4x32x32xf32>
  %3 = axon.global_avg_pool %x : tensor<1x4x32x32xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<5x6xi32>) {
  // CHECK: axon.reduce_sum %{{.*}} axes = [0, 2] : tensor<2x3x4xf32>
  %0 = axon.reduce_sum %x axes = [0, 2] : tensor<2x3x4xf32>
  // CHECK: axon.reduce_max %{{.*}} axes = [1] keep_dims : tensor<5x6xi32>
  %1 = axon.reduce_max %i axes = [1] keep_dims : tensor<5x6xi32>
  // CHECK: axon.reduce_min
  %2 = axon.reduce_min %x axes = [2] : tensor<2x3x4xf32>
  // CHECK: axon.reduce_mean %{{.*}} axes = [] : tensor<2x3x4xf32>
  %3 = axon.reduce_mean %x axes = [] : tensor<2x3x4xf32>
  // CHECK: axon.reduce_prod
  %4 = axon.reduce_prod %i axes = [0, 1] : tensor<5x6xi32>
  // CHECK: axon.argmax %{{.*}} axis = 1 keep_dims : tensor<2x3x4xf32>
  %5 = axon.argmax %x axis = 1 keep_dims : tensor<2x3x4xf32>
  return
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>, %img: tensor<1x8x4x4xf16>, %p: tensor<8xf16>) {
  // CHECK: axon.softmax %{{.*}} axis = 2 : tensor<2x16x64xf32>
  %0 = axon.softmax %x axis = 2 : tensor<2x16x64xf32>
  // CHECK: axon.log_softmax %{{.*}} axis = 0 : tensor<2x16x64xf32>
  %1 = axon.log_softmax %x axis = 0 : tensor<2x16x64xf32>
  // CHECK: axon.layer_norm %{{.*}} scale(%{{.*}} : tensor<64xf32>) bias(%{{.*}} : tensor<64xf32>) axes = [2] : tensor<2x16x64xf32>
  %2 = axon.layer_norm %x scale(%g : tensor<64xf32>) bias(%g : tensor<64xf32>) axes = [2] : tensor<2x16x64xf32>
  // CHECK: axon.layer_norm %{{.*}} bias(%{{.*}} : tensor<64xf32>) axes = [2] epsilon = 1.000000e-03 : tensor<2x16x64xf32>
  %3 = axon.layer_norm %x bias(%g : tensor<64xf32>) axes = [2] epsilon = 1.0e-03 : tensor<2x16x64xf32>
  // CHECK: axon.layer_norm %{{.*}} axes = [1, 2] : tensor<2x16x64xf32>
  %4 = axon.layer_norm %x axes = [1, 2] : tensor<2x16x64xf32>
  // CHECK: axon.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} epsilon = 1.000000e-03 : tensor<1x8x4x4xf16>, tensor<8xf16>
  %5 = axon.batch_norm %img, %p, %p, %p, %p epsilon = 1.0e-3 : tensor<1x8x4x4xf16>, tensor<8xf16>
  return
}

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<2x8x128x64xf16>, %k: tensor<2x8x256x64xf16>, %v: tensor<2x8x256x32xf16>, %m: tensor<128x256xi1>, %am: tensor<1x1x1x256xf16>) {
  // CHECK: axon.attention %{{.*}}, %{{.*}}, %{{.*}} causal : tensor<2x8x128x64xf16>, tensor<2x8x256x64xf16>, tensor<2x8x256x32xf16>
  %0 = axon.attention %q, %k, %v causal : tensor<2x8x128x64xf16>, tensor<2x8x256x64xf16>, tensor<2x8x256x32xf16>
  // CHECK: axon.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<128x256xi1>) scale = 1.250000e-01 : tensor<2x8x128x64xf16>
  %1 = axon.attention %q, %k, %v mask(%m : tensor<128x256xi1>) scale = 0.125 : tensor<2x8x128x64xf16>, tensor<2x8x256x64xf16>, tensor<2x8x256x32xf16>
  // CHECK: axon.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<1x1x1x256xf16>) : tensor<2x8x128x64xf16>
  %2 = axon.attention %q, %k, %v mask(%am : tensor<1x1x1x256xf16>) : tensor<2x8x128x64xf16>, tensor<2x8x256x64xf16>, tensor<2x8x256x32xf16>
  return
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %ids: tensor<7xi64>, %d: tensor<?x4xi32>) {
  // CHECK: axon.transpose %{{.*}} perm = [2, 0, 1] : tensor<2x3x4xf32>
  %0 = axon.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32>
  // CHECK: axon.reshape %{{.*}} to [4, -1] : tensor<2x3x4xf32>
  %1 = axon.reshape %x to [4, -1] : tensor<2x3x4xf32>
  // CHECK: axon.reshape %{{.*}} to [-1] : tensor<?x4xi32>
  %2 = axon.reshape %d to [-1] : tensor<?x4xi32>
  // CHECK: axon.broadcast_to %{{.*}} : tensor<2x3x4xf32> to tensor<5x2x3x4xf32>
  %3 = axon.broadcast_to %x : tensor<2x3x4xf32> to tensor<5x2x3x4xf32>
  // CHECK: axon.concat %{{.*}}, %{{.*}}, %{{.*}} axis = 1 : tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x3x4xf32>
  %4 = axon.concat %x, %y, %x axis = 1 : tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x3x4xf32>
  // CHECK: axon.slice %{{.*}} starts = [0, -1, 0] ends = [2, -4, 4] steps = [1, -1, 2] : tensor<2x3x4xf32>
  %5 = axon.slice %x starts = [0, -1, 0] ends = [2, -4, 4] steps = [1, -1, 2] : tensor<2x3x4xf32>
  // CHECK: axon.gather %{{.*}}[%{{.*}}] axis = 1 : tensor<2x3x4xf32>, tensor<7xi64>
  %6 = axon.gather %x[%ids] axis = 1 : tensor<2x3x4xf32>, tensor<7xi64>
  // CHECK: axon.pad %{{.*}} low = [0, 1, 0] high = [1, 0, 2] value = 5.000000e-01 : tensor<2x3x4xf32>
  %7 = axon.pad %x low = [0, 1, 0] high = [1, 0, 2] value = 0.5 : tensor<2x3x4xf32>
  // CHECK: axon.pad %{{.*}} low = [1, 1, 1] high = [1, 2, 1] mode = reflect : tensor<2x3x4xf32>
  %8 = axon.pad %x low = [1, 1, 1] high = [1, 2, 1] mode = reflect : tensor<2x3x4xf32>
  // CHECK: axon.pad %{{.*}} low = [0, 3] high = [0, 0] mode = edge : tensor<?x4xi32>
  %9 = axon.pad %d low = [0, 3] high = [0, 0] mode = edge : tensor<?x4xi32>
  return
}
