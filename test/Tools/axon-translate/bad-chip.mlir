// A chip that is not an NVIDIA architecture is an error naming the option,
// not a crash in the NVPTX back end (reliability probe 2026-12-01, S_).
// RUN: not axon-translate --axon-to-ptx %s --ptx-chip= 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: --ptx-chip='' is not a GPU architecture (expected e.g. sm_90a, sm_80)
// RUN: not axon-translate --axon-to-ptx %s --ptx-chip=gfx90a 2>&1 | FileCheck %s --check-prefix=AMD
// AMD: error: --ptx-chip='gfx90a' is not a GPU architecture
// RUN: not axon-run %s --target=cuda --gpu-chip=sm_ --random-inputs=1 2>&1 | FileCheck %s --check-prefix=RUNNER
// RUNNER: axon-run: error: --gpu-chip='sm_' is not a GPU architecture
// RUN: axon-translate --axon-to-ptx %s --ptx-chip=sm_80 | FileCheck %s --check-prefix=SM80
// SM80: .target sm_80
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = axon.add %x, %x : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
