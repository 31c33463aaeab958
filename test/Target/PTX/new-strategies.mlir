// PTX of the strategy framework's kernels: the implicit-GEMM convolution
// stages tiles in shared memory and accumulates with FMAs; the tiled
// transpose goes through shared memory; the column reduction and the
// vectorized copies move 16 bytes per access; ptxas (where installed)
// accepts all of them for sm_90a.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="format=bin" -o /dev/null %}

// CHECK-LABEL: .entry conv_k0_conv_igemm_64x64x16_reg4x4(
// CHECK: ld.global
// CHECK: st.shared.{{[bf]}}32
// CHECK: bar.sync
// CHECK: ld.shared.v4.{{[bf]}}32
// CHECK: fma.rn.f32
// CHECK: st.global
func.func @conv(%x: tensor<2x16x20x20xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<32xf32>) -> tensor<2x32x20x20xf32> {
  %0 = axon.conv2d %x, %w bias(%b : tensor<32xf32>) padding = [1, 1, 1, 1] activation = relu : tensor<2x16x20x20xf32>, tensor<32x16x3x3xf32>
  return %0 : tensor<2x32x20x20xf32>
}

// CHECK-LABEL: .entry transpose_k0_transpose_tiled_32(
// CHECK: st.shared.{{[bf]}}32
// CHECK: bar.sync
// CHECK: ld.shared.{{[bf]}}32
func.func @transpose(%x: tensor<96x160xf32>) -> tensor<160x96xf32> {
  %0 = axon.transpose %x perm = [1, 0] : tensor<96x160xf32>
  return %0 : tensor<160x96xf32>
}

// CHECK-LABEL: .entry reduce_k0_reduce_columns(
// CHECK: ld.global.v4.{{[bf]}}32
// CHECK: bar.sync
// CHECK-LABEL: .entry reduce_k1_reduce_rows(
// CHECK: shfl.sync.bfly
func.func @reduce(%x: tensor<64x256xf32>) -> (tensor<256xf32>, tensor<64xf32>) {
  %0 = axon.reduce_sum %x axes = [0] : tensor<64x256xf32>
  %1 = axon.reduce_max %x axes = [1] : tensor<64x256xf32>
  return %0, %1 : tensor<256xf32>, tensor<64xf32>
}

// CHECK-LABEL: .entry slice_k0_slice_copy_vec4(
// CHECK: ld.global.v4.{{[bf]}}32
// CHECK: st.global.v4.{{[bf]}}32
func.func @slice(%x: tensor<8x2304xf32>) -> tensor<8x768xf32> {
  %0 = axon.slice %x starts = [0, 768] ends = [8, 1536] steps = [1, 1] : tensor<8x2304xf32>
  return %0 : tensor<8x768xf32>
}
