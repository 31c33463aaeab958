// Once kernels are formed, the module records each kernel's strategy,
// config and work for profiles (`axon.kernels`). Expected values by hand:
//   matmul 128x64 @ 64x32 f32: 2*M*N*K = 2*128*32*64 = 524288 FLOPs; bytes
//     read and written once: (128*64 + 64*32 + 128*32) * 4 = 57344.
//   softmax of 128x32 f32: 5 per element = 20480 FLOPs; (4096 + 4096) * 4 =
//     32768 bytes.
// RUN: axon-opt %s --axon-to-gpu-kernels --split-input-file | FileCheck %s

// CHECK: module attributes {axon.kernels = {
// CHECK-SAME: main_k0_matmul_tiled{{[_0-9a-z]*}} = {bytes = 57344 : i64, config = {{{[^}]*}}}, family = "matmul_tiled", flops = 524288 : i64, strategy = "matmul_tiled{{[_0-9a-z]*}}"}
// CHECK-SAME: main_k1_row_softmax = {bytes = 32768 : i64, config = {threads = {{[0-9]+}} : i64, vec = {{[0-9]+}} : i64}, family = "row", flops = 20480 : i64, strategy = "row_softmax"}
func.func @main(%a: tensor<128x64xf32>, %b: tensor<64x32xf32>) -> tensor<128x32xf32> {
  %m = axon.matmul %a, %b : tensor<128x64xf32>, tensor<64x32xf32>
  %s = axon.softmax %m axis = 1 : tensor<128x32xf32>
  return %s : tensor<128x32xf32>
}

// -----

// Kernels no strategy formed (loop nests) have no FLOP count (-1) and count
// the device buffers they touch: argmax over rows of 8x16 f32 fills an 8xf32
// running maximum (32 bytes) and an 8xi64 index (64 bytes), then reads the
// 8x16 input (512 bytes) with both: 608 bytes.
// CHECK: module attributes {axon.kernels = {
// CHECK-SAME: main_k0_loops = {bytes = 32 : i64, family = "loops", flops = -1 : i64, strategy = "loops"}
// CHECK-SAME: main_k1_loops = {bytes = 64 : i64, family = "loops", flops = -1 : i64, strategy = "loops"}
// CHECK-SAME: main_k2_loops = {bytes = 608 : i64, family = "loops", flops = -1 : i64, strategy = "loops"}
// CHECK-NOT: axon.flops
// CHECK-NOT: axon.family
func.func @main(%a: tensor<8x16xf32>) -> tensor<8xi64> {
  %r = axon.argmax %a axis = 1 : tensor<8x16xf32>
  return %r : tensor<8xi64>
}
