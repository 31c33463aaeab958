// f16 and bf16 convolutions on the tensor cores (conv_wgmma) against the CPU
// path, which computes in f32 and rounds once: ragged GEMM rows (2*8*9 and
// 1*7*7 output pixels, not multiples of the 64-row tiles), asymmetric
// padding, stride and dilation in the window gather, bias and activations
// in the epilogue, a split-K 1x1 downsample. Outputs poisoned first.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=3 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --no-cache --poison --random-inputs=3 --dump-ptx --quiet --expect 0=%t/result0.npy --expect 1=%t/result1.npy --expect 2=%t/result2.npy --rtol=2e-2 --atol=2e-2 | FileCheck %s
// CHECK: .entry main_k{{[0-9]+}}_im2col_conv_wgmma
// CHECK: .entry main_k{{[0-9]+}}_conv_wgmma
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.f16.f16
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.bf16.bf16
// CHECK-DAG: result 0: matches
// CHECK-DAG: result 1: matches
// CHECK-DAG: result 2: matches
func.func @main(%x: tensor<2x16x17x19xf16>, %w: tensor<24x16x3x3xf16>, %b: tensor<24xf16>,
                %y: tensor<1x32x13x13xbf16>, %v: tensor<40x32x1x1xbf16>,
                %u: tensor<1x64x7x7xf16>, %t: tensor<64x64x3x3xf16>)
    -> (tensor<2x24x8x9xf16>, tensor<1x40x7x7xbf16>, tensor<1x64x7x7xf16>) {
  %0 = axon.conv2d %x, %w bias(%b : tensor<24xf16>) strides = [2, 2] padding = [1, 2, 0, 1] dilations = [1, 2] activation = relu : tensor<2x16x17x19xf16>, tensor<24x16x3x3xf16>
  %1 = axon.conv2d %y, %v strides = [2, 2] activation = gelu : tensor<1x32x13x13xbf16>, tensor<40x32x1x1xbf16>
  %2 = axon.conv2d %u, %t padding = [1, 1, 1, 1] {axon.config = {bm = 64, bn = 64, stages = 4, splitk = 4}} : tensor<1x64x7x7xf16>, tensor<64x64x3x3xf16>
  return %0, %1, %2 : tensor<2x24x8x9xf16>, tensor<1x40x7x7xbf16>, tensor<1x64x7x7xf16>
}
