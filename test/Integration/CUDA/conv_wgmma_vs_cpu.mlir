// f16 and bf16 convolutions on the tensor cores (conv_wgmma) against the CPU
// path, which computes in f32 and rounds once. Both GEMM layouts: NHWC
// (results 0-2: ragged GEMM rows, asymmetric padding, stride and dilation in
// the window gather, bias per column, a split-K 7x7 map) and NCHW (results
// 3-5: the bias per row, a 1x1 convolution reading its input directly, and
// a split K whose last block applies the row bias). Outputs poisoned first.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=3 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --no-cache --poison --random-inputs=3 --dump-ptx --quiet --expect 0=%t/result0.npy --expect 1=%t/result1.npy --expect 2=%t/result2.npy --expect 3=%t/result3.npy --expect 4=%t/result4.npy --expect 5=%t/result5.npy --rtol=2e-2 --atol=2e-2 | FileCheck %s
// CHECK: .entry main_k{{[0-9]+}}_im2col_conv_wgmma
// CHECK: .entry main_k{{[0-9]+}}_conv_wgmma
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.f16.f16
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.bf16.bf16
// CHECK-DAG: result 0: matches
// CHECK-DAG: result 1: matches
// CHECK-DAG: result 2: matches
// CHECK-DAG: result 3: matches
// CHECK-DAG: result 4: matches
// CHECK-DAG: result 5: matches
func.func @main(%x: tensor<2x16x17x19xf16>, %w: tensor<24x16x3x3xf16>, %b: tensor<24xf16>,
                %y: tensor<1x32x13x13xbf16>, %v: tensor<40x32x1x1xbf16>,
                %u: tensor<1x64x7x7xf16>, %t: tensor<64x64x3x3xf16>,
                %s: tensor<2x64x10x12xf16>, %r: tensor<40x64x3x3xf16>, %rb: tensor<40xf16>,
                %q: tensor<3x128x4x6xbf16>, %o: tensor<24x128x1x1xbf16>, %ob: tensor<24xbf16>,
                %m: tensor<1x32x8x8xf16>, %l: tensor<16x32x3x3xf16>, %lb: tensor<16xf16>)
    -> (tensor<2x24x8x9xf16>, tensor<1x40x7x7xbf16>, tensor<1x64x7x7xf16>,
        tensor<2x40x10x12xf16>, tensor<3x24x4x6xbf16>, tensor<1x16x8x8xf16>) {
  %0 = axon.conv2d %x, %w bias(%b : tensor<24xf16>) strides = [2, 2] padding = [1, 2, 0, 1] dilations = [1, 2] activation = relu : tensor<2x16x17x19xf16>, tensor<24x16x3x3xf16>
  %1 = axon.conv2d %y, %v strides = [2, 2] activation = gelu : tensor<1x32x13x13xbf16>, tensor<40x32x1x1xbf16>
  %2 = axon.conv2d %u, %t padding = [1, 1, 1, 1] {axon.config = {bm = 64, bn = 64, stages = 8, splitk = 4}} : tensor<1x64x7x7xf16>, tensor<64x64x3x3xf16>
  %3 = axon.conv2d %s, %r bias(%rb : tensor<40xf16>) padding = [1, 1, 1, 1] activation = relu : tensor<2x64x10x12xf16>, tensor<40x64x3x3xf16>
  %4 = axon.conv2d %q, %o bias(%ob : tensor<24xbf16>) : tensor<3x128x4x6xbf16>, tensor<24x128x1x1xbf16>
  %5 = axon.conv2d %m, %l bias(%lb : tensor<16xf16>) padding = [1, 1, 1, 1] {axon.config = {bm = 64, bn = 64, stages = 8, splitk = 4}} : tensor<1x32x8x8xf16>, tensor<16x32x3x3xf16>
  return %0, %1, %2, %3, %4, %5 : tensor<2x24x8x9xf16>, tensor<1x40x7x7xbf16>, tensor<1x64x7x7xf16>, tensor<2x40x10x12xf16>, tensor<3x24x4x6xbf16>, tensor<1x16x8x8xf16>
}
