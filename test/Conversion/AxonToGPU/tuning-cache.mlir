// Kernel formation reads a tuning cache (written by axon-tune): a listed
// problem gets the measured config, an unlisted one the heuristic's, an
// entry of another strategy version is ignored and an entry the strategy
// rejects is a warning (the heuristic's config is used).
// RUN: axon-opt %s --pass-pipeline="builtin.module(axon-to-gpu-kernels{tuning-cache=%S/Inputs/tuning-cache.json})" 2>&1 | FileCheck %s
// Without the cache every op gets the heuristic's config.
// RUN: axon-opt %s --axon-to-gpu-kernels | FileCheck %s --check-prefix=HEURISTIC

// CHECK: warning: tuned config {bm = 96 : i64, bn = 64 : i64, stages = 4 : i64} from '{{.*}}tuning-cache.json' is invalid for GPU strategy 'matmul_wgmma' (bm must be 64 or 128 (one or two consumer warpgroups)); using the heuristic's

// CHECK-LABEL: func.func @tuned
// CHECK: axon.config = {bm = 64 : i64, bn = 128 : i64, stages = 3 : i64}
// CHECK-SAME: axon.strategy = "matmul_wgmma_64x128x64_s3"
// HEURISTIC-LABEL: func.func @tuned
// HEURISTIC: axon.config = {bm = 128 : i64, bn = 128 : i64, splitk = 2 : i64, stages = 6 : i64}
func.func @tuned(%a: tensor<256x512xf16>, %b: tensor<512x384xf16>) -> tensor<256x384xf16> {
  %0 = axon.matmul %a, %b : tensor<256x512xf16>, tensor<512x384xf16>
  return %0 : tensor<256x384xf16>
}

// The cache's entry for this problem was recorded for strategy version 99.
// CHECK-LABEL: func.func @stale
// CHECK: axon.config = {bm = 64 : i64, bn = 64 : i64, stages = 8 : i64}
func.func @stale(%a: tensor<64x256xf16>, %b: tensor<256x384xf16>) -> tensor<64x384xf16> {
  %0 = axon.matmul %a, %b : tensor<64x256xf16>, tensor<256x384xf16>
  return %0 : tensor<64x384xf16>
}

// CHECK-LABEL: func.func @rejected
// CHECK: axon.config = {bm = 128 : i64, bn = 64 : i64
func.func @rejected(%a: tensor<128x128xf16>, %b: tensor<128x128xf16>) -> tensor<128x128xf16> {
  %0 = axon.matmul %a, %b : tensor<128x128xf16>, tensor<128x128xf16>
  return %0 : tensor<128x128xf16>
}

// Listed for another chip only.
// CHECK-LABEL: func.func @other_chip
// CHECK: axon.config = {bk = 8 : i64, bm = 64 : i64, bn = 64 : i64, tm = 4 : i64, tn = 4 : i64}
func.func @other_chip(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %0 = axon.matmul %a, %b : tensor<512x512xf32>, tensor<512x512xf32>
  return %0 : tensor<512x512xf32>
}
