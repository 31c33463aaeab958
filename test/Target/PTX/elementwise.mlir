// The GPU path so far: an elementwise chain becomes one kernel (mul and relu
// fused), 256 threads per block, coalesced global loads and stores, PTX 8.0
// for sm_90a. ptxas, where installed, must accept the PTX.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s
// RUN: axon-translate --axon-to-ptx %s --ptx-chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: %if ptxas %{ axon-translate --axon-to-ptx %s > %t.ptx && sed -i '1d' %t.ptx && ptxas -arch=sm_90a %t.ptx -o %t.cubin %}
// RUN: axon-opt %s -axon-to-nvvm | FileCheck %s --check-prefix=HOST

// CHECK: .version 8.0
// CHECK: .target sm_90a
// CHECK: .visible .entry main_kernel(
// CHECK: .maxntid 256, 1, 1
// CHECK: mov.u32 {{.*}}%ctaid.x
// CHECK: mov.u32 {{.*}}%tid.x
// CHECK: ld.global.b32
// CHECK: ld.global.b32
// CHECK: mul.rn.f32
// CHECK: max.NaN.f32
// CHECK: st.global.b32
// CHECK-NOT: .entry

// SM80: .target sm_80

// HOST: llvm.func @main
// HOST: gpu.launch_func @main_kernel::@main_kernel
// HOST: gpu.binary @main_kernel
func.func @main(%x: tensor<1024xf32>, %a: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = axon.mul %x, %a : tensor<1024xf32>, tensor<1024xf32>
  %1 = axon.relu %0 : tensor<1024xf32>
  return %1 : tensor<1024xf32>
}
