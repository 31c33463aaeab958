// An elementwise chain becomes ONE kernel (mul and relu fused) with the
// elementwise_vec4 strategy: each thread moves 16 bytes per operand
// (ld.global.v4 / st.global.v4), 256 threads per block, PTX 8.0 for sm_90a.
// ptxas, where installed, must accept the PTX.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s
// RUN: axon-translate --axon-to-ptx %s --ptx-chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: %if ptxas %{ axon-translate --axon-to-ptx %s > %t.ptx && sed -i '1d' %t.ptx && ptxas -arch=sm_90a %t.ptx -o %t.cubin %}
// RUN: axon-opt %s -axon-to-nvvm | FileCheck %s --check-prefix=HOST
// With ptxas (found through the toolkit), format=bin embeds a cubin.
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="format=bin" | FileCheck %s --check-prefix=CUBIN %}

// CHECK: .version 8.0
// CHECK: .target sm_90a
// CHECK: .visible .entry main_k0_elementwise_vec4(
// CHECK: .maxntid 256, 1, 1
// CHECK-DAG: mov.u32 {{.*}}%ctaid.x
// CHECK-DAG: mov.u32 {{.*}}%tid.x
// CHECK: ld.global.v4.b32
// CHECK: ld.global.v4.b32
// CHECK: mul.rn.f32
// CHECK: max.NaN.f32
// CHECK: st.global.v4.b32
// CHECK-NOT: .entry

// SM80: .target sm_80

// CUBIN: gpu.binary @main_k0_elementwise_vec4 {{.*}}ISAToBinaryTimeInMs{{.*}} bin = "\7FELF

// The host allocates the result on the device and launches on one stream.
// HOST: llvm.func @main
// HOST: llvm.call @mgpuStreamCreate
// HOST: llvm.call @mgpuMemAlloc
// HOST: gpu.launch_func <%{{.*}} : !llvm.ptr> @main_k0_elementwise_vec4::@main_k0_elementwise_vec4
// HOST: llvm.call @mgpuStreamSynchronize
// HOST: gpu.binary @main_k0_elementwise_vec4
func.func @main(%x: tensor<8192xf32>, %a: tensor<8192xf32>) -> tensor<8192xf32> {
  %0 = axon.mul %x, %a : tensor<8192xf32>, tensor<8192xf32>
  %1 = axon.relu %0 : tensor<8192xf32>
  return %1 : tensor<8192xf32>
}
