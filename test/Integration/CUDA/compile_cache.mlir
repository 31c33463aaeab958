// The compile cache on the GPU: a second run links the stored host object
// (kernels embedded) and maps the stored constants instead of compiling;
// its results match the CPU's (poisoned device buffers), the kernel table
// survives (the profile names each kernel's strategy), and the cached
// program runs through the memory plan and CUDA graph replay like a fresh one.
// The 8x32 f32 weight (1 KiB) is passed as data, not compiled in.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=4 --quiet --no-cache --output-dir %t/cpu
// RUN: axon-run %s --target=cuda --random-inputs=4 --quiet --poison --time --cache-dir=%t/cache --expect 0=%t/cpu/result0.npy --rtol=1e-5 --atol=1e-6 | FileCheck %s --check-prefix=COLD
// COLD: result 0: matches
// COLD: constants: 1 (0.00 MiB) passed to the JIT as data
// COLD: cache: miss, stored
// RUN: axon-run %s --target=cuda --random-inputs=4 --quiet --poison --time --repeat=5 --profile --cache-dir=%t/cache --expect 0=%t/cpu/result0.npy --rtol=1e-5 --atol=1e-6 | FileCheck %s --check-prefix=HIT
// HIT: result 0: matches
// HIT: compile: parse 0.0 ms, axon passes 0.0 ms, code generation 0.0 ms (2 kernels), host JIT 0.0 ms
// HIT: constants: 1 (0.00 MiB) passed to the JIT as data
// HIT: cache: hit
// HIT: gpu: {{.*}}(CUDA graph replay, mean of
// HIT-DAG: main_k0_matmul_tiled{{.*}} [matmul_tiled
// HIT-DAG: main_k1_row_softmax [row_softmax:
func.func @main(%a: tensor<64x8xf32>) -> tensor<64x32xf32> {
  %w = axon.constant dense<[[-1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75], [-0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5], [0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0], [0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25], [1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5], [-1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25], [-0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25], [0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5, 1.25, -0.25, 1.5, 0.0, -1.5, 0.25, -1.25, 0.5, -1.0, 0.75, -0.75, 1.0, -0.5]]> : tensor<8x32xf32>
  %m = axon.matmul %a, %w : tensor<64x8xf32>, tensor<8x32xf32>
  %s = axon.softmax %m axis = 1 : tensor<64x32xf32>
  return %s : tensor<64x32xf32>
}
