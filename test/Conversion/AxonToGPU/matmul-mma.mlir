// matmul_mma (warp-level mma.sync) is chosen by chip and element type: f16
// and bf16 on sm_80/sm_89 (sm_90a takes them to matmul_wgmma), f32 only with
// allow-tf32. The config is {bm, bn, bk, wm, wn}; pinned choices that do not
// apply are errors naming the reason.
// RUN: axon-opt %s --split-input-file --convert-axon-to-gpu-kernels="chip=sm_89" | FileCheck %s
// RUN: axon-opt %s --split-input-file --convert-axon-to-gpu-kernels="chip=sm_90a allow-tf32=true" | FileCheck %s --check-prefix=TF32
// RUN: axon-opt %s --split-input-file --convert-axon-to-gpu-kernels="chip=sm_89" | FileCheck %s --check-prefix=EXACT
// RUN: axon-opt %s --split-input-file --convert-axon-to-gpu-kernels="chip=sm_75" | FileCheck %s --check-prefix=TURING

// CHECK-LABEL: func @large_f16
// CHECK: gpu.launch
// CHECK-SAME: threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c256, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1
// CHECK-SAME: workgroup(%{{.*}} : memref<10240xf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<10240xf16, #gpu.address_space<workgroup>>)
// CHECK: nvvm.mma.sync
// CHECK-SAME: shape = #nvvm.shape<m = 16, n = 8, k = 16>
// CHECK: axon.config = {bk = 32 : i64, bm = 128 : i64, bn = 128 : i64, wm = 64 : i64, wn = 32 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "matmul_mma_128x128x32_warp64x32"
// TURING-LABEL: func @large_f16
// TURING-NOT: nvvm.mma.sync
// TURING: axon.strategy = "matmul_tiled_128x64x8_reg8x4"
func.func @large_f16(%a: tensor<2048x512xf16>, %b: tensor<512x2048xf16>) -> tensor<2048x2048xf16> {
  %0 = axon.matmul %a, %b : tensor<2048x512xf16>, tensor<512x2048xf16>
  return %0 : tensor<2048x2048xf16>
}

// -----

// TF32-LABEL: func @f32_matmul
// TF32: nvvm.convert.float.to.tf32 %{{.*}} {rnd = #nvvm.fp_rnd_mode<rna>}
// TF32: nvvm.mma.sync
// TF32-SAME: multiplicandAPtxType = #nvvm.mma_type<tf32>
// TF32: axon.strategy = "matmul_mma_64x64x16_warp32x32"
// EXACT-LABEL: func @f32_matmul
// EXACT-NOT: nvvm.mma.sync
// EXACT: axon.strategy = "matmul_tiled_64x64x8_reg4x4"
func.func @f32_matmul(%a: tensor<100x64xf32>, %b: tensor<64x96xf32>) -> tensor<100x96xf32> {
  %0 = axon.matmul %a, %b : tensor<100x64xf32>, tensor<64x96xf32>
  return %0 : tensor<100x96xf32>
}
