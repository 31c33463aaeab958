// The tensor-core strategy exists only for sm_90a: pinned for another chip,
// it is an error naming the chip, not a kernel the GPU cannot run.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels="chip=sm_89" --verify-diagnostics

func.func @pinned_on_ada(%a: tensor<64x64xf16>) -> tensor<64x64xf16> {
  // expected-error@+1 {{pinned GPU strategy 'matmul_wgmma' does not apply: wgmma needs sm_90a, the target is sm_89}}
  %0 = axon.matmul %a, %a {axon.strategy = "matmul_wgmma"} : tensor<64x64xf16>, tensor<64x64xf16>
  return %0 : tensor<64x64xf16>
}
