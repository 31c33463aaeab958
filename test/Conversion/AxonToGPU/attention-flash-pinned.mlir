// A pinned flash-attention configuration: one warpgroup per block and a
// three-deep K/V ring; configurations outside the kernel are errors.
// RUN: axon-opt %s --axon-to-gpu-kernels --split-input-file --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @pinned
// CHECK: threads({{.*}}) in ({{.*}} = %c128
// CHECK: axon.strategy = "attention_flash_d128_q64_s3"
func.func @pinned(%q: tensor<4x300x128xbf16>, %k: tensor<4x300x128xbf16>, %v: tensor<4x300x128xbf16>) -> tensor<4x300x128xbf16> {
  %0 = axon.attention %q, %k, %v {axon.config = {bq = 64, bkv = 64, stages = 3}} : tensor<4x300x128xbf16>, tensor<4x300x128xbf16>, tensor<4x300x128xbf16>
  return %0 : tensor<4x300x128xbf16>
}

// -----

func.func @too_deep(%q: tensor<4x300x64xf16>, %k: tensor<4x300x64xf16>, %v: tensor<4x300x64xf16>) -> tensor<4x300x64xf16> {
  // expected-error@+1 {{is invalid for GPU strategy 'attention_flash': stages must be 2 or 3}}
  %0 = axon.attention %q, %k, %v {axon.config = {bq = 128, bkv = 64, stages = 4}} : tensor<4x300x64xf16>, tensor<4x300x64xf16>, tensor<4x300x64xf16>
  return %0 : tensor<4x300x64xf16>
}
