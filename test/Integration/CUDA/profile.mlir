// --profile on the GPU: each kernel with its time, rates, roofline fraction,
// strategy and config, then the time by strategy; --profile-json writes the
// same with the compiler's counts (by hand: the 128x64 @ 64x32 f32 matmul
// does 2*128*32*64 = 524288 FLOPs and moves (8192 + 2048 + 4096) * 4 =
// 57344 bytes; the softmax over 128x32 f32: 5 per element = 20480 FLOPs,
// (4096 + 4096) * 4 = 32768 bytes). Given ceilings are printed as given.
// REQUIRES: cuda
// RUN: axon-run %s --target=cuda --random-inputs=3 --quiet --repeat=3 --profile --profile-json=%t.json --peak-gbs=1000 --peak-tflops=100 --peak-fma-tflops=10 | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// CHECK: profile: {{.*}}, 2 kernels, {{[0-9.]+}} ms of kernels per call (mean of 3 profiled calls)
// CHECK: ceilings: 1000.0 GB/s (given), 100.0 TFLOP/s tensor cores, 10.0 TFLOP/s FMA (given)
// CHECK-DAG: {{[0-9.]+%}}  main_k0_matmul_tiled_64x64x8_reg4x4 [matmul_tiled_64x64x8_reg4x4: bk=8,bm=64,bn=64,tm=4,tn=4]
// CHECK-DAG: {{[0-9.]+%}}  main_k1_row_softmax [row_softmax: threads={{[0-9]+}},vec={{[0-9]+}}]
// CHECK: by strategy:
// CHECK-DAG: matmul_tiled (1 kernels)
// CHECK-DAG: row (1 kernels)
// JSON-DAG: "bytes": 57344,
// JSON-DAG: "flops": 524288,
// JSON-DAG: "family": "matmul_tiled",
// JSON-DAG: "bytes": 32768,
// JSON-DAG: "flops": 20480,
// JSON-DAG: "family": "row",
// JSON-DAG: "gbs": 1000,
// JSON-DAG: "tensor_tflops": 100{{$}}
func.func @main(%a: tensor<128x64xf32>, %b: tensor<64x32xf32>) -> tensor<128x32xf32> {
  %m = axon.matmul %a, %b : tensor<128x64xf32>, tensor<64x32xf32>
  %s = axon.softmax %m axis = 1 : tensor<128x32xf32>
  return %s : tensor<128x32xf32>
}
