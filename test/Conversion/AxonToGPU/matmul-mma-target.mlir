// mma.sync needs sm_80: pinned for Turing, matmul_mma is an error naming
// the chip (unpinned, matmul-mma.mlir checks the FMA tiles are chosen).
// RUN: axon-opt %s --convert-axon-to-gpu-kernels="chip=sm_75" --verify-diagnostics

func.func @pinned_on_turing(%a: tensor<64x64xf16>) -> tensor<64x64xf16> {
  // expected-error@+1 {{pinned GPU strategy 'matmul_mma' does not apply: mma.sync needs sm_80 or later, the target is sm_75}}
  %0 = axon.matmul %a, %a {axon.strategy = "matmul_mma"} : tensor<64x64xf16>, tensor<64x64xf16>
  return %0 : tensor<64x64xf16>
}
