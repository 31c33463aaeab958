// axon-gpu-device-memory: host allocations become device allocations,
// constants are read through the runtime's cached device copy, temporaries
// are freed after their last use (the returned buffer is not), kernels without
// a strategy are tagged `loops`, and every kernel is named
// <function>_k<index>_<strategy>.
// RUN: axon-opt %s --axon-gpu-device-memory --split-input-file --verify-diagnostics | FileCheck %s

// CHECK: func.func private @axonDeviceConstant_0(memref<4xf32>, index, index) -> memref<4xf32> attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @main
// CHECK: %[[G:.*]] = memref.get_global @w
// CHECK: %[[D:.*]] = call @axonDeviceConstant_0(%[[G]], %c16{{.*}}, %c1{{.*}})
// CHECK: %[[TMP:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: %[[OUT:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.launch {{.*}} module(@main_k0_loops) function(@main_k0_loops)
// CHECK: memref.load %[[D]]
// CHECK: {axon.strategy = "loops"}
// CHECK: module(@main_k1_elementwise_vec1) function(@main_k1_elementwise_vec1)
// CHECK: gpu.dealloc %[[TMP]]
// CHECK-NOT: gpu.dealloc
// CHECK: return %[[OUT]]
memref.global "private" constant @w : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @main(%x: memref<4xf32>) -> memref<4xf32> {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @w : memref<4xf32>
  %tmp = memref.alloc() : memref<4xf32>
  %out = memref.alloc() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %a = memref.load %x[%tx] : memref<4xf32>
    %b = memref.load %w[%tx] : memref<4xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %tmp[%tx] : memref<4xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %a = memref.load %tmp[%tx] : memref<4xf32>
    %s = arith.mulf %a, %a : f32
    memref.store %s, %out[%tx] : memref<4xf32>
    gpu.terminator
  } {axon.strategy = "elementwise_vec1"}
  return %out : memref<4xf32>
}

// -----

// Host code that touches tensor data is an error naming the op.
func.func @host_access(%x: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'memref.load' accesses tensor data on the host; on the GPU that data lives in device memory and no kernel was formed for it}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return %v : f32
}
