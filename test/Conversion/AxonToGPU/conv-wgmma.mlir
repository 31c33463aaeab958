// f16/bf16 convolutions on sm_90a run on the tensor cores through the
// matmul_wgmma main loop. Where OH*OW is a multiple of 8 the GEMM writes NCHW
// (filters x gathered windows, the bias per row); elsewhere it writes NHWC
// (windows x filters^T, the bias per column) and a transpose follows.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels --split-input-file | FileCheck %s
// On sm_80 there is no wgmma: conv_igemm takes them, and a pin is an error.
// RUN: not axon-opt %s --convert-axon-to-gpu-kernels="chip=sm_80" --split-input-file 2>/dev/null | FileCheck %s --check-prefix=SM80
// RUN: not axon-opt %s --convert-axon-to-gpu-kernels="chip=sm_80" --split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=SM80-ERROR

// CHECK-LABEL: func.func @padded_bias_relu
// The gather into [N, C*KH*KW, OH*OW]: 8 consecutive pixels per thread,
// zeros in the padding, one 16-byte store.
// CHECK: gpu.launch
// CHECK: arith.select
// CHECK: vector.from_elements {{.*}} : vector<8xf16>
// CHECK: axon.strategy = "im2col_conv_wgmma"
// CHECK: tensor.expand_shape {{.*}} : tensor<64x576xf16> into tensor<1x64x576xf16>
// The GEMM: [F = 64, K = 576] x [2, K, OH*OW = 784] on the tensor cores, the
// bias per row (filter) and ReLU in the epilogue.
// CHECK: nvgpu.tma.async.load
// CHECK: nvgpu.warpgroup.mma
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: axon.family = "conv_wgmma", axon.flops = 115605504 : i64
// CHECK-SAME: axon.strategy = "conv_wgmma_
// No transpose: the result is NCHW as written.
// CHECK-NOT: transpose
// CHECK: tensor.expand_shape {{.*}} : tensor<2x64x784xf16> into tensor<2x64x28x28xf16>
// SM80-LABEL: func.func @padded_bias_relu
// SM80: axon.strategy = "conv_igemm_
func.func @padded_bias_relu(%x: tensor<2x64x28x28xf16>, %w: tensor<64x64x3x3xf16>, %b: tensor<64xf16>) -> tensor<2x64x28x28xf16> {
  %0 = axon.conv2d %x, %w bias(%b : tensor<64xf16>) padding = [1, 1, 1, 1] activation = relu : tensor<2x64x28x28xf16>, tensor<64x64x3x3xf16>
  return %0 : tensor<2x64x28x28xf16>
}

// -----

// An unstrided 1x1 convolution reads the input itself as the GEMM's B.
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: im2col
// CHECK: tensor.collapse_shape %arg0 {{.*}} : tensor<4x256x8x8xbf16> into tensor<4x256x64xbf16>
// CHECK: axon.strategy = "conv_wgmma_
// CHECK-NOT: transpose
func.func @pointwise(%x: tensor<4x256x8x8xbf16>, %w: tensor<64x256x1x1xbf16>) -> tensor<4x64x8x8xbf16> {
  %0 = axon.conv2d %x, %w : tensor<4x256x8x8xbf16>, tensor<64x256x1x1xbf16>
  return %0 : tensor<4x64x8x8xbf16>
}

// -----

// 7x7 outputs (49 pixels, not a multiple of 8): windows x filters^T, NHWC,
// then a transpose.
// A strided 1x1 bf16 convolution (a ResNet downsample), pinned.
// SM80-ERROR: error: pinned GPU strategy 'conv_wgmma' does not apply: wgmma needs sm_90a, the target is sm_80
// CHECK-LABEL: func.func @strided_pointwise_pinned
// CHECK: vector.from_elements {{.*}} : vector<8xbf16>
// CHECK: axon.strategy = "im2col_conv_wgmma"
// CHECK: axon.config = {bm = 64 : i64, bn = 128 : i64, stages = 3 : i64}
// CHECK-SAME: axon.strategy = "conv_wgmma_64x128x64_s3"
// CHECK: axon.strategy = "transpose_
// CHECK: tensor.expand_shape {{.*}} : tensor<1x512x49xbf16> into tensor<1x512x7x7xbf16>
func.func @strided_pointwise_pinned(%x: tensor<1x256x14x14xbf16>, %w: tensor<512x256x1x1xbf16>) -> tensor<1x512x7x7xbf16> {
  %0 = axon.conv2d %x, %w strides = [2, 2] {axon.strategy = "conv_wgmma", axon.config = {bm = 64, bn = 128, stages = 3}} : tensor<1x256x14x14xbf16>, tensor<512x256x1x1xbf16>
  return %0 : tensor<1x512x7x7xbf16>
}

// -----

// What the tensor-core path declines goes to conv_igemm: C*KH*KW = 147 is
// not a multiple of 8 (a stem convolution), groups, f32.
// CHECK-LABEL: func.func @declined
// CHECK-NOT: conv_wgmma
// CHECK: axon.strategy = "conv_igemm_
// CHECK-NOT: conv_wgmma
// CHECK: axon.strategy = "conv_igemm_
// CHECK-NOT: conv_wgmma
// CHECK: axon.strategy = "conv_igemm_
func.func @declined(%x: tensor<1x3x32x32xf16>, %w: tensor<64x3x7x7xf16>,
                    %y: tensor<1x16x8x8xf16>, %g: tensor<16x8x3x3xf16>,
                    %z: tensor<1x16x8x8xf32>, %h: tensor<16x16x3x3xf32>)
    -> (tensor<1x64x26x26xf16>, tensor<1x16x6x6xf16>, tensor<1x16x6x6xf32>) {
  %0 = axon.conv2d %x, %w : tensor<1x3x32x32xf16>, tensor<64x3x7x7xf16>
  %1 = axon.conv2d %y, %g groups = 2 : tensor<1x16x8x8xf16>, tensor<16x8x3x3xf16>
  %2 = axon.conv2d %z, %h : tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>
  return %0, %1, %2 : tensor<1x64x26x26xf16>, tensor<1x16x6x6xf16>, tensor<1x16x6x6xf32>
}
