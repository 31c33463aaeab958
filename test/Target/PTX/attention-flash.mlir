// PTX of the flash-attention kernel for sm_90a: TMA loads of Q, K and V on
// mbarriers, warpgroup MMAs with f32 accumulators for S and O, the row
// reductions between lane pairs, exponentials, the async-proxy fence before
// the tensor cores read P, f16-pair stores; ptxas (where installed)
// assembles it.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="format=bin" -o /dev/null %}

// CHECK-LABEL: .entry main_k0_attention_flash_d128_q64_s2(
// CHECK: .maxntid 128, 1, 1
// CHECK: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// CHECK: mbarrier.try_wait.parity.shared.b64
// CHECK: wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16
// CHECK: shfl.sync.bfly.b32
// CHECK: ex2.approx
// CHECK: fence.proxy.async.shared::cta
// CHECK: wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16
// CHECK: st.global.b32
func.func @main(%q: tensor<4x256x128xf16>, %k: tensor<4x256x128xf16>, %v: tensor<4x256x128xf16>, %m: tensor<256x256xf16>) -> tensor<4x256x128xf16> {
  %0 = axon.attention %q, %k, %v mask(%m : tensor<256x256xf16>) : tensor<4x256x128xf16>, tensor<4x256x128xf16>, tensor<4x256x128xf16>
  return %0 : tensor<4x256x128xf16>
}
