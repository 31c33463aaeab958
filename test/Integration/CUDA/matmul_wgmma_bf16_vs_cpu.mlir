// bf16 on the tensor cores (no numpy bf16 for a generated case): ragged
// shapes with a bias and an erf GELU, checked against the CPU path, which
// computes in f32 and rounds to bf16 (tolerance: a few bf16 ulps).
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=11 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --poison --random-inputs=11 --dump-ptx --quiet --expect 0=%t/result0.npy --rtol=2e-2 --atol=2e-2 | FileCheck %s
// CHECK: .entry main_k0_matmul_wgmma
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.bf16.bf16
// CHECK: result 0: matches
func.func @main(%a: tensor<257x392xbf16>, %b: tensor<392x136xbf16>, %bias: tensor<136xbf16>) -> tensor<257x136xbf16> {
  %0 = axon.matmul %a, %b bias(%bias : tensor<136xbf16>) activation = gelu : tensor<257x392xbf16>, tensor<392x136xbf16>
  return %0 : tensor<257x136xbf16>
}
