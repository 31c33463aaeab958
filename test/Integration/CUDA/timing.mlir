// --time on the GPU reports the copies, the entry (how it ran: the first
// call records the memory plan, the second runs on it, the third captures a
// CUDA graph) and the device's span of it, the kernels (CUDA events, in
// calls of their own) and the device memory; kernel names carry their strategy.
// REQUIRES: cuda
// RUN: axon-run %s --target=cuda --random-inputs=3 --quiet --time --repeat=3 | FileCheck %s
// CHECK: time: compile {{.*}} ms, first run {{.*}} ms, run {{.*}} ms (mean of 1)
// CHECK: gpu: {{.*}}; inputs to device {{.*}} ms, entry {{.*}} ms (CUDA graph captured, mean of 1), device span {{[0-9.]+}} ms, kernels {{.*}} ms (mean of 3 profiled calls, timed one by one), results to host {{.*}} ms
// CHECK: memory: peak {{.*}} MiB on the device: inputs 0.02 MiB, constants 0.00 MiB, intermediates 0.03 MiB (arena for 2 buffers; at most 0.03 MiB alive at once)
// CHECK-DAG: kernel main_k0_matmul_tiled_64x64x8_reg4x4: {{.*}} ms (mean of 3)
// CHECK-DAG: kernel main_k1_row_softmax: {{.*}} ms (mean of 3)
func.func @main(%q: tensor<64x32xf32>, %k: tensor<32x64xf32>) -> tensor<64x64xf32> {
  %s = axon.matmul %q, %k : tensor<64x32xf32>, tensor<32x64xf32>
  %p = axon.softmax %s axis = 1 : tensor<64x64xf32>
  return %p : tensor<64x64xf32>
}
