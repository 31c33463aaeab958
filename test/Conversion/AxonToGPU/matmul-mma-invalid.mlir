// Pinned matmul_mma choices that cannot apply are errors with the reason.
// RUN: axon-opt %s --split-input-file --convert-axon-to-gpu-kernels="chip=sm_89" --verify-diagnostics

func.func @f32_without_tf32(%a: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error@+1 {{pinned GPU strategy 'matmul_mma' does not apply: f32 stays on exact FMA unless allow-tf32 is set}}
  %0 = axon.matmul %a, %a {axon.strategy = "matmul_mma"} : tensor<64x64xf32>, tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

func.func @bad_warp_tile(%a: tensor<64x64xf16>) -> tensor<64x64xf16> {
  // expected-error@+1 {{is invalid for GPU strategy 'matmul_mma': wm must be a multiple of 16 and wn of 8}}
  %0 = axon.matmul %a, %a {axon.strategy = "matmul_mma", axon.config = {bm = 64, bn = 64, bk = 32, wm = 24, wn = 32}} : tensor<64x64xf16>, tensor<64x64xf16>
  return %0 : tensor<64x64xf16>
}

// -----

func.func @too_much_shared(%a: tensor<64x64xf16>) -> tensor<64x64xf16> {
  // 2 stages x (128 + 128) rows x (128 + 8) halves x 2 bytes:
  // expected-error@+1 {{the two stages need 139264 bytes of shared memory (at most 48 KB)}}
  %0 = axon.matmul %a, %a {axon.strategy = "matmul_mma", axon.config = {bm = 128, bn = 128, bk = 128, wm = 64, wn = 64}} : tensor<64x64xf16>, tensor<64x64xf16>
  return %0 : tensor<64x64xf16>
}
