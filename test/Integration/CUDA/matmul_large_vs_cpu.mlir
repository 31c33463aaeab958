// The 128x128 tile configuration (pinned: the heuristic picks 64x64 tiles for
// a problem this small) with ragged edges, a bias and an erf GELU epilogue
// (libdevice), checked against the CPU path on the same inputs.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=7 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --random-inputs=7 --dump-ptx --quiet --expect 0=%t/result0.npy --rtol=1e-4 --atol=1e-4 | FileCheck %s
// CHECK: .entry main_k0_matmul_tiled_128x128x8_reg8x8
// CHECK: result 0: matches
func.func @main(%a: tensor<1100x256xf32>, %b: tensor<256x1030xf32>, %bias: tensor<1030xf32>) -> tensor<1100x1030xf32> {
  %0 = axon.matmul %a, %b bias(%bias : tensor<1030xf32>) activation = gelu {axon.config = {bm = 128, bn = 128, bk = 8, tm = 8, tn = 8}} : tensor<1100x256xf32>, tensor<256x1030xf32>
  return %0 : tensor<1100x1030xf32>
}
