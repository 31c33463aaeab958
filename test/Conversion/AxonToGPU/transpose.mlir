// Transposes are copies: a head split keeps the innermost dim and moves
// 16-byte vectors; moving the innermost dim goes through padded 32x33
// shared-memory tiles.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels | FileCheck %s

// CHECK-LABEL: func.func @head_split
// CHECK: vector.load {{.*}} : memref<3072xf32>, vector<4xf32>
// CHECK: vector.store
// CHECK: axon.config = {threads = 256 : i64, vec = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "permute_copy_vec4"
func.func @head_split(%x: tensor<4x6x8x16xf32>) -> tensor<4x8x6x16xf32> {
  %0 = axon.transpose %x perm = [0, 2, 1, 3] : tensor<4x6x8x16xf32>
  return %0 : tensor<4x8x6x16xf32>
}

// CHECK-LABEL: func.func @full_reverse
// CHECK: workgroup(%{{.*}} : memref<1056xf32, #gpu.address_space<workgroup>>)
// CHECK: gpu.barrier
// CHECK: axon.config = {rows = 8 : i64, tile = 32 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "transpose_tiled_32"
func.func @full_reverse(%x: tensor<4x6x8x16xf32>) -> tensor<16x8x6x4xf32> {
  %0 = axon.transpose %x perm = [3, 2, 1, 0] : tensor<4x6x8x16xf32>
  return %0 : tensor<16x8x6x4xf32>
}
