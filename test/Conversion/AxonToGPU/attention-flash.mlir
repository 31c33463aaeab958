// f16/bf16 attention on sm_90a is one kernel: Q, K and V by TMA, Q K^T and
// P V on warpgroup MMAs, the online softmax between them in registers, P
// written back in the swizzled layout (then an async-proxy fence). Other
// chips, f32 and unsupported head sizes decompose into matmuls and a softmax.
// RUN: axon-opt %s --axon-to-gpu-kernels --split-input-file | FileCheck %s
// RUN: axon-opt %s --axon-to-gpu-kernels="chip=sm_80" --split-input-file | FileCheck %s --check-prefix=SM80

// CHECK-LABEL: func.func @causal
// CHECK-COUNT-3: nvgpu.tma.create.descriptor
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c8, {{.*}} = %c16, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128
// CHECK: nvgpu.tma.async.load
// CHECK: scf.for {{.*}} iter_args(
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-COUNT-4: nvvm.wgmma.mma_async {{.*}}m = 64, n = 64, k = 16>, D[<f32>, {{.*}}], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: gpu.shuffle xor
// CHECK: math.exp
// CHECK: arith.xori
// CHECK: vector.store {{.*}} vector<2xf16>
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-COUNT-4: nvvm.wgmma.mma_async {{.*}}m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
// CHECK: axon.config = {bkv = 64 : i64, bq = 64 : i64, stages = 2 : i64}, axon.strategy = "attention_flash_d64_q64_s2"
// SM80-LABEL: func.func @causal
// SM80-NOT: attention_flash
// SM80: matmul_mma
// SM80: row_softmax
// SM80: matmul_mma
func.func @causal(%q: tensor<2x8x512x64xf16>, %k: tensor<2x8x512x64xf16>, %v: tensor<2x8x512x64xf16>) -> tensor<2x8x512x64xf16> {
  %0 = axon.attention %q, %k, %v causal : tensor<2x8x512x64xf16>, tensor<2x8x512x64xf16>, tensor<2x8x512x64xf16>
  return %0 : tensor<2x8x512x64xf16>
}

// -----

// A head size of 32 is outside the kernel: the parts run instead.
// CHECK-LABEL: func.func @small_head
// CHECK-NOT: attention_flash
// CHECK: matmul_wgmma
// CHECK: row_softmax
func.func @small_head(%q: tensor<4x128x32xf16>, %k: tensor<4x128x32xf16>, %v: tensor<4x128x32xf16>) -> tensor<4x128x32xf16> {
  %0 = axon.attention %q, %k, %v : tensor<4x128x32xf16>, tensor<4x128x32xf16>, tensor<4x128x32xf16>
  return %0 : tensor<4x128x32xf16>
}
