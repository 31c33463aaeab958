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

// Rows known only at run time (a pinned split): the partial tiles are added
// atomically into a workspace zeroed by a kernel of its own, and a third
// kernel applies the epilogue.
// CHECK-LABEL: func.func @narrow_dynamic
// CHECK: %[[WS:.*]] = gpu.alloc{{.*}} : memref<?xf32>
// CHECK: axon.strategy = "matmul_wgmma_splitk_zero"
// CHECK: memref.atomic_rmw addf {{.*}}, %[[WS]]
// CHECK: axon.strategy = "matmul_wgmma_64x128x64_s4_splitk4"
// CHECK: axon.strategy = "matmul_wgmma_splitk_epilogue"
// CHECK: gpu.dealloc %[[WS]]
func.func @narrow_dynamic(%x: tensor<?x4096xbf16>, %w: tensor<4096x1024xbf16>) -> tensor<?x1024xbf16> {
  %0 = axon.matmul %x, %w {axon.config = {bm = 64, bn = 128, stages = 4, splitk = 4}} : tensor<?x4096xbf16>, tensor<4096x1024xbf16>
  return %0 : tensor<?x1024xbf16>
}
