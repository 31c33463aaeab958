// Tensor-core kernels take TMA descriptors built from buffer addresses:
// the graph is captured on the third call, after the second has built the
// descriptors of the arena's buffers, and replays must still be right.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=13 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --poison --random-inputs=13 --repeat=5 --time --quiet --expect 0=%t/result0.npy --rtol=2e-2 --atol=2e-2 | FileCheck %s
// CHECK: result 0: matches
// CHECK: entry {{[0-9.]+}} ms (CUDA graph replay, mean of 2)
// CHECK-NOT: note:
// CHECK: kernel main_k{{[0-9]+}}_matmul_wgmma
func.func @main(%a: tensor<200x192xf16>, %b: tensor<192x136xf16>, %c: tensor<136x72xf16>) -> tensor<200x72xf16> {
  %0 = axon.matmul %a, %b activation = relu : tensor<200x192xf16>, tensor<192x136xf16>
  %1 = axon.matmul %0, %c : tensor<200x136xf16>, tensor<136x72xf16>
  return %1 : tensor<200x72xf16>
}
