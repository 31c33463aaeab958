// Reductions over contiguous axes: rows (innermost) by blocks with warp
// shuffles, columns by coalesced thread columns; few outputs split the
// reduced extent into a workspace and a second launch reduces the partials.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels | FileCheck %s

// CHECK-LABEL: func.func @reductions
// Sum over axis 0 (8192 outputs): split 16 ways, then the partials.
// CHECK: %[[WS:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: vector.load {{.*}} vector<4xf32>
// CHECK: axon.config = {splits = 16 : i64, threads = 256 : i64, vec = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "reduce_columns"
// CHECK: memref.load %[[WS]]
// CHECK: axon.strategy = "reduce_columns"
// Max over the last axis: one block per row.
// CHECK: gpu.shuffle xor
// CHECK: arith.maximumf
// CHECK: axon.config = {splits = 1 : i64, threads = 256 : i64, vec = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "reduce_rows"
// A full mean: two row stages, the second divides by the count.
// CHECK: axon.strategy = "reduce_rows"
// CHECK: arith.divf
// CHECK: axon.strategy = "reduce_rows"
func.func @reductions(%x: tensor<4096x8192xf32>) -> (tensor<8192xf32>, tensor<4096xf32>, tensor<f32>) {
  %0 = axon.reduce_sum %x axes = [0] : tensor<4096x8192xf32>
  %1 = axon.reduce_max %x axes = [1] : tensor<4096x8192xf32>
  %2 = axon.reduce_mean %x axes = [0, 1] : tensor<4096x8192xf32>
  return %0, %1, %2 : tensor<8192xf32>, tensor<4096xf32>, tensor<f32>
}
