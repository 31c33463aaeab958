// Pinned tensor-core configurations the heuristic does not choose.
// RUN: axon-opt %s --axon-to-gpu-kernels | FileCheck %s

// Pinned kgroups: two consumer warpgroups take alternate k tiles (384
// threads), each releasing the buffers it read.
// CHECK-LABEL: func.func @kgroups
// CHECK: threads({{.*}}) in ({{.*}} = %c384
// CHECK: nvgpu.mbarrier.init %{{.*}}, %c128
// CHECK: scf.for %{{.*}} = %{{.*}} to %c64 step %c2 iter_args
// CHECK: axon.strategy = "matmul_wgmma_64x64x64_s8_kgroups2"
func.func @kgroups(%x: tensor<16x4096xbf16>, %w: tensor<4096x4096xbf16>) -> tensor<16x4096xbf16> {
  %0 = axon.matmul %x, %w {axon.config = {bm = 64, bn = 64, stages = 8, kgroups = 2}} : tensor<16x4096xbf16>, tensor<4096x4096xbf16>
  return %0 : tensor<16x4096xbf16>
}

