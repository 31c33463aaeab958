// PTX of the warp-level tensor-core matmul (`matmul_mma`) for chips without
// wgmma: f16 and bf16 as m16n8k16 MMAs for sm_80; f32 only with
// --ptx-allow-tf32, rounded to TF32 (cvt.rna) as it is staged and multiplied
// as m16n8k8 MMAs. Fragments are 32-bit shared loads. ptxas (where
// installed) assembles each for its chip.
// RUN: axon-translate --axon-to-ptx --ptx-chip=sm_80 %s | FileCheck %s --check-prefix=SM80
// RUN: axon-translate --axon-to-ptx --ptx-chip=sm_90a --ptx-allow-tf32 %s | FileCheck %s --check-prefix=TF32
// RUN: axon-translate --axon-to-ptx --ptx-chip=sm_90a %s | FileCheck %s --check-prefix=EXACT
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="chip=sm_80 format=bin" -o /dev/null %}
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="chip=sm_90a allow-tf32=true format=bin" -o /dev/null %}

// SM80: .target sm_80
// SM80-LABEL: .entry f16_k0_matmul_mma_64x64x32_warp32x32(
// SM80: .maxntid 128, 1, 1
// SM80: ld.shared.b32
// SM80-COUNT-16: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// SM80: bar.sync 0
// SM80: max.NaN.f32
// SM80-LABEL: .entry bf16_k0_matmul_mma_64x64x32_warp32x32(
// SM80-COUNT-16: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// SM80-LABEL: .entry tf32_k0_matmul_tiled
// SM80-NOT: cvt.rna

// TF32-LABEL: .entry f16_k0_matmul_wgmma
// TF32-LABEL: .entry tf32_k0_matmul_mma_64x64x16_warp32x32(
// TF32: cvt.rna.tf32.f32
// TF32-COUNT-16: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32

// EXACT-LABEL: .entry tf32_k0_matmul_tiled
// EXACT-NOT: mma.sync
func.func @f16(%a: tensor<300x200xf16>, %b: tensor<200x136xf16>, %bias: tensor<136xf16>) -> tensor<300x136xf16> {
  %0 = axon.matmul %a, %b bias(%bias : tensor<136xf16>) activation = relu : tensor<300x200xf16>, tensor<200x136xf16>
  return %0 : tensor<300x136xf16>
}
func.func @bf16(%a: tensor<256x256xbf16>, %b: tensor<256x256xbf16>) -> tensor<256x256xbf16> {
  %0 = axon.matmul %a, %b : tensor<256x256xbf16>, tensor<256x256xbf16>
  return %0 : tensor<256x256xbf16>
}
func.func @tf32(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = axon.matmul %a, %b : tensor<256x256xf32>, tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}
