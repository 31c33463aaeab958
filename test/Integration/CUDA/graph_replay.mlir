// Repeated calls: the first records the device buffers, the second runs on
// the planned arena, the third captures a CUDA graph and the rest replay
// it. Every buffer is poisoned with NaN when allocated (in the graph, too),
// so a replay whose kernels did not run or wrote elsewhere cannot match the
// CPU's result. The same with the graph off and with the plan off.
// Memory, by hand: inputs 64x128 + 128x96 + 96x96 f32 = 116 KiB (0.11 MiB);
// four 64x96 f32 intermediates of 24 KiB, each freed after its consumer, so
// at most two are alive at once: 48 KiB (0.05 MiB), which the arena holds.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=5 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --random-inputs=5 --poison --repeat=6 --time --quiet --expect 0=%t/result0.npy --rtol=1e-4 --atol=1e-5 | FileCheck %s --check-prefix=GRAPH
// RUN: axon-run %s --target=cuda --random-inputs=5 --poison --repeat=4 --time --quiet --cuda-graph=false --expect 0=%t/result0.npy --rtol=1e-4 --atol=1e-5 | FileCheck %s --check-prefix=PLAN
// RUN: axon-run %s --target=cuda --random-inputs=5 --poison --repeat=3 --time --quiet --plan-memory=false --expect 0=%t/result0.npy --rtol=1e-4 --atol=1e-5 | FileCheck %s --check-prefix=DIRECT
// GRAPH: result 0: matches
// GRAPH: entry {{[0-9.]+}} ms (CUDA graph replay, mean of 3)
// GRAPH: memory: peak 0.16 MiB on the device: inputs 0.11 MiB, constants 0.00 MiB, intermediates 0.05 MiB (arena for 4 buffers; at most 0.05 MiB alive at once)
// GRAPH-NOT: note:
// PLAN: result 0: matches
// PLAN: entry {{[0-9.]+}} ms (kernel launches on the memory plan, mean of 3)
// DIRECT: result 0: matches
// DIRECT: entry {{[0-9.]+}} ms (kernel launches, mean of 2)
// DIRECT: intermediates 0.05 MiB
// DIRECT-NOT: arena
func.func @main(%x: tensor<64x128xf32>, %w: tensor<128x96xf32>, %w2: tensor<96x96xf32>) -> tensor<64x96xf32> {
  %m1 = axon.matmul %x, %w : tensor<64x128xf32>, tensor<128x96xf32>
  %s1 = axon.softmax %m1 axis = 1 : tensor<64x96xf32>
  %m2 = axon.matmul %s1, %w2 : tensor<64x96xf32>, tensor<96x96xf32>
  %s2 = axon.softmax %m2 axis = 1 : tensor<64x96xf32>
  return %s2 : tensor<64x96xf32>
}
