// f16/bf16 matmuls on sm_90a take the tensor-core strategy: TMA descriptors
// built on the host over 2-D views of the operands, a producer warpgroup
// that streams tiles into a ring of mbarrier-guarded shared buffers, and
// consumer warpgroups issuing warpgroup MMAs with the epilogue after.
// RUN: axon-opt %s --axon-to-gpu-kernels --split-input-file | FileCheck %s
// RUN: axon-opt %s --axon-to-gpu-kernels="chip=sm_80" --split-input-file | FileCheck %s --check-prefix=SM80

// CHECK-LABEL: func.func @linear
// CHECK: memref.reinterpret_cast {{.*}} sizes: [%{{.*}}, 1024], strides: [1024, 1]
// CHECK: nvgpu.tma.create.descriptor {{.*}} box[%c128, %c64] : memref<*xf16> -> <tensor = memref<128x64xf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = l2promo_256b, oob = zero, interleave = none>
// CHECK: nvgpu.tma.create.descriptor {{.*}} box[%c64, %c64] : memref<*xf16> -> <tensor = memref<64x64xf16
// The dynamic batch folds into M: the grid's y extent is computed.
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c{{[0-9]+}}, {{.*}} = %{{[0-9]+}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c384{{.*}} dynamic_shared_memory_size
// CHECK: nvgpu.mbarrier.create
// CHECK: nvgpu.mbarrier.init
// CHECK: gpu.barrier
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvgpu.mbarrier.arrive.expect_tx
// CHECK: nvgpu.tma.async.load
// CHECK: nvgpu.warpgroup.mma.init.accumulator -> <fragmented = vector<64x{{[0-9]+}}xf32>>
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvgpu.warpgroup.generate.descriptor
// CHECK: nvgpu.warpgroup.mma {{.*}} {transposeB}
// CHECK: nvgpu.mbarrier.arrive
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvgpu.warpgroup.mma.store
// The epilogue: bias, GELU, 16-byte stores of f16.
// CHECK: arith.addf
// CHECK: math.erf
// CHECK: vector.store {{.*}} vector<8xf16>
// CHECK: axon.config = {bm = 128 : i64, bn = {{[0-9]+}} : i64, stages = {{[0-9]+}} : i64}, axon.strategy = "matmul_wgmma_128x
// SM80-LABEL: func.func @linear
// SM80-NOT: nvgpu
// SM80: axon.strategy = "matmul_mma_128x128x32_warp64x32
func.func @linear(%x: tensor<?x128x1024xf16>, %w: tensor<1024x768xf16>, %b: tensor<768xf16>) -> tensor<?x128x768xf16> {
  %0 = axon.matmul %x, %w bias(%b : tensor<768xf16>) activation = gelu : tensor<?x128x1024xf16>, tensor<1024x768xf16>
  return %0 : tensor<?x128x768xf16>
}

// -----

// Few rows: one consumer warpgroup (64-row tiles, 256 threads). 64 tiles
// of 64 columns would leave half the chip idle: 32 tiles of 128 columns,
// K split four ways (128 blocks), reduced in the same kernel.
// CHECK-LABEL: func.func @decode
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c32, {{.*}} = %c1, {{.*}} = %c4) threads({{.*}}) in ({{.*}} = %c256
// CHECK: axon.strategy = "matmul_wgmma_64x128x64_s8_splitk4"
func.func @decode(%x: tensor<16x4096xbf16>, %w: tensor<4096x4096xbf16>) -> tensor<16x4096xbf16> {
  %0 = axon.matmul %x, %w : tensor<16x4096xbf16>, tensor<4096x4096xbf16>
  return %0 : tensor<16x4096xbf16>
}

// -----

// 16 tiles would leave most of 132 SMs idle: K is split (as many slices as
// fill the chip, each at least 4 k-tiles deep). With static sizes it is one
// kernel: each split writes its f32 partial tile to its own slice of the
// workspace (16 x 16x1024), takes a ticket for its tile (8 tiles: a zero
// constant the runtime uploads once), and the last block of a tile sums
// the slices and applies the epilogue.
// CHECK-LABEL: func.func @narrow
// CHECK-DAG: %[[WS:.*]] = gpu.alloc {{.*}} : memref<262144xf32>
// CHECK-DAG: %[[T:.*]] = call @axonDeviceConstant_{{[0-9]+}}({{.*}}) : (memref<8xi32>, index, index) -> memref<8xi32>
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c8, {{.*}} = %c1, {{.*}} = %c16) threads({{.*}}) in ({{.*}} = %c256
// CHECK: vector.store {{.*}}, %[[WS]]
// CHECK: nvvm.memory.barrier <gpu>
// CHECK: memref.atomic_rmw addi {{.*}}, %[[T]]
// CHECK: vector.load %[[WS]]
// CHECK: axon.strategy = "matmul_wgmma_64x128x64_s8_splitk16"
// CHECK-NOT: axon.strategy = "matmul_wgmma_splitk
// CHECK: gpu.dealloc %[[WS]]
func.func @narrow(%x: tensor<16x4096xbf16>, %w: tensor<4096x1024xbf16>) -> tensor<16x1024xbf16> {
  %0 = axon.matmul %x, %w : tensor<16x4096xbf16>, tensor<4096x1024xbf16>
  return %0 : tensor<16x1024xbf16>
}

// -----

// A transposed B[N, K] is k-contiguous like A: one bn x 64 box per step and
// four 16-deep MMAs whose descriptors start 32 bytes apart.
// CHECK-LABEL: func.func @scores
// CHECK: nvgpu.tma.create.descriptor {{.*}} box[%c64{{.*}}, %c64{{.*}}] : memref<*xf16> -> <tensor = memref<64x64xf16
// CHECK: %[[KMAP:.*]] = nvgpu.tma.create.descriptor {{.*}} box[%c64{{.*}}, %c64{{.*}}] : memref<*xf16> -> <tensor = memref<64x64xf16
// CHECK: nvgpu.tma.async.load %[[KMAP]]
// CHECK-NOT: nvgpu.tma.async.load %[[KMAP]]
// CHECK-COUNT-4: nvgpu.warpgroup.mma {{.*}} : <tensor = memref<64x16xf16, #gpu.address_space<workgroup>>>, <tensor = memref<16x64xf16, #gpu.address_space<workgroup>>>
// CHECK-NOT: transposeB
func.func @scores(%q: tensor<16x64x64xf16>, %k: tensor<16x1024x64xf16>) -> tensor<16x64x1024xf16> {
  %0 = axon.matmul %q, %k transpose_rhs : tensor<16x64x64xf16>, tensor<16x1024x64xf16>
  return %0 : tensor<16x64x1024xf16>
}

// -----

// Outside the strategy: a transposed lhs, N not a multiple of 8; they run
// on the warp-level tensor cores instead.
// CHECK-LABEL: func.func @declined
// CHECK-NOT: nvgpu
// CHECK: axon.strategy = "matmul_mma
// CHECK: axon.strategy = "matmul_mma
func.func @declined(%a: tensor<64x64xf16>, %b: tensor<64x60xf16>) -> (tensor<64x64xf16>, tensor<64x60xf16>) {
  %0 = axon.matmul %a, %a transpose_lhs : tensor<64x64xf16>, tensor<64x64xf16>
  %1 = axon.matmul %a, %b : tensor<64x64xf16>, tensor<64x60xf16>
  return %0, %1 : tensor<64x64xf16>, tensor<64x60xf16>
}
