// axon-gpu-modules-to-binaries compiles the kernel modules concurrently but
// rewrites the IR in module order: the binaries come out in the order of the
// modules, with the same contents as a single-threaded compile.
// RUN: axon-opt %s -axon-to-nvvm | FileCheck %s
// (The objects record how long the back end took: that part differs.)
// RUN: axon-opt %s -axon-to-nvvm -mlir-disable-threading | sed -e 's/TimeInMs = [0-9]*/TimeInMs/g' > %t.serial.mlir
// RUN: axon-opt %s -axon-to-nvvm | sed -e 's/TimeInMs = [0-9]*/TimeInMs/g' > %t.parallel.mlir
// RUN: diff %t.serial.mlir %t.parallel.mlir
// With ptxas, format=auto gives cubins (the driver then has no PTX to
// compile when the program loads).
// RUN: %if ptxas %{ axon-opt %s -axon-to-nvvm="format=auto" | FileCheck %s --check-prefix=AUTO %}

// CHECK-NOT: gpu.module
// CHECK: gpu.binary @first_k0_elementwise_vec4 {{.*}}assembly = "{{.*}}.entry first_k0_elementwise_vec4
// CHECK: gpu.binary @second_k0_row_softmax {{.*}}assembly = "{{.*}}.entry second_k0_row_softmax
// CHECK: gpu.binary @third_k0_matmul_tiled
// CHECK-NOT: gpu.binary

// AUTO-COUNT-3: gpu.binary @{{.*}} bin = "\7FELF

// The pass's own errors: an unknown format and a module without a target.
// RUN: not axon-opt %s -axon-to-nvvm="format=ptx" 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: error: unknown GPU object format 'ptx' (expected isa, bin, fatbin or llvm)
// RUN: not axon-opt %S/Inputs/module-without-target.mlir -axon-gpu-modules-to-binaries 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: error: kernel module 'untargeted' has no target attribute

func.func @first(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %y = axon.relu %x : tensor<1024xf32>
  return %y : tensor<1024xf32>
}

func.func @second(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %y = axon.softmax %x axis = 1 : tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}

func.func @third(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>) -> tensor<64x64xf32> {
  %c = axon.matmul %a, %b : tensor<64x32xf32>, tensor<32x64xf32>
  return %c : tensor<64x64xf32>
}
