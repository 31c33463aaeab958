// --time on the GPU reports the copies, the entry and each kernel (CUDA
// events) separately; kernel names carry their strategy.
// REQUIRES: cuda
// RUN: axon-run %s --target=cuda --random-inputs=3 --quiet --time --repeat=3 | FileCheck %s
// CHECK: time: compile {{.*}} ms, first run {{.*}} ms, run {{.*}} ms (mean of 2)
// CHECK: gpu: {{.*}}; inputs to device {{.*}} ms, entry {{.*}} ms (kernels {{.*}} ms), results to host {{.*}} ms
// CHECK-DAG: kernel main_k0_matmul_tiled_64x64x8_reg4x4: {{.*}} ms (mean of 2)
// CHECK-DAG: kernel main_k1_row_softmax: {{.*}} ms (mean of 2)
func.func @main(%q: tensor<64x32xf32>, %k: tensor<32x64xf32>) -> tensor<64x64xf32> {
  %s = axon.matmul %q, %k : tensor<64x32xf32>, tensor<32x64xf32>
  %p = axon.softmax %s axis = 1 : tensor<64x64xf32>
  return %p : tensor<64x64xf32>
}
