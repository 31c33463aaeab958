// A decode-shaped f16 matmul (16 rows, 4 output tiles of 128 columns)
// splits K four ways in one kernel: each block stores its partial tile,
// fences (membar.gl), takes its tile's ticket with an atomic add, and the
// last block fences again before summing the partials. ptxas (where
// installed) assembles it for sm_90a.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="format=bin" -o /dev/null %}

// CHECK-LABEL: .entry main_k0_matmul_wgmma_64x128x64_s8_splitk4(
// CHECK: wgmma.mma_async
// CHECK: st.global.v4.b32
// CHECK: membar.gl;
// CHECK: bar.sync
// CHECK: atom.global.add.u32
// CHECK: bar.sync
// CHECK: membar.gl;
// CHECK: ld.global.v4.b32
// CHECK: st.global.v4.b32
// CHECK-NOT: .entry
func.func @main(%x: tensor<16x1024xf16>, %w: tensor<1024x512xf16>) -> tensor<16x512xf16> {
  %y = axon.matmul %x, %w activation = relu : tensor<16x1024xf16>, tensor<1024x512xf16>
  return %y : tensor<16x512xf16>
}
