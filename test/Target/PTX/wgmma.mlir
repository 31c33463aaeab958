// PTX of the tensor-core matmul for sm_90a: one 384-thread block per
// 128x256 tile, TMA bulk-tensor copies completing on mbarriers, warpgroup
// MMAs (64x256x16, f32 accumulators) with one group kept in flight, the
// consumers' named barrier and 16-byte result stores; ptxas (where
// installed) assembles it for sm_90a.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="format=bin" -o /dev/null %}

// CHECK: .target sm_90a
// CHECK-LABEL: .entry mm_k0_matmul_wgmma_128x256x64_s4(
// CHECK: .maxntid 384, 1, 1
// CHECK: mbarrier.init.shared.b64
// CHECK: mbarrier.try_wait.parity.shared.b64
// CHECK: mbarrier.arrive.expect_tx.shared.b64
// CHECK: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// CHECK: wgmma.fence.sync.aligned
// CHECK-COUNT-4: wgmma.mma_async.sync.aligned.m64n256k16.f32.f16.f16
// CHECK: wgmma.commit_group.sync.aligned
// CHECK: wgmma.wait_group.sync.aligned 1
// CHECK: mbarrier.arrive.shared.b64
// CHECK: wgmma.wait_group.sync.aligned 0
// CHECK: bar.sync 1, 256
// CHECK: max.NaN.f32
// CHECK: st.global.v4.b32
func.func @mm(%a: tensor<4096x4096xf16>, %b: tensor<4096x4096xf16>, %bias: tensor<4096xf16>) -> tensor<4096x4096xf16> {
  %0 = axon.matmul %a, %b bias(%bias : tensor<4096xf16>) activation = relu : tensor<4096x4096xf16>, tensor<4096x4096xf16>
  return %0 : tensor<4096x4096xf16>
}
