// Kernel formation picks a strategy per op and names it in `axon.strategy`
// (and in the kernel's name); what has no strategy becomes generic loop
// kernels. Tensor data lives in device memory: results are gpu.alloc,
// constants are copied to the device, temporaries are freed, and nothing
// but buffer management and launches stays on the host.
// RUN: axon-opt %s --axon-to-gpu-kernels --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @strategies
// CHECK: gpu.alloc {{ *}}() : memref<256x512xf32>
// CHECK: gpu.launch {{.*}}threads({{.*}}) in ({{.*}} = %c256{{.*}}workgroup
// CHECK: axon.config = {bk = 8 : i64, bm = 64 : i64, bn = 64 : i64, tm = 4 : i64, tn = 4 : i64}, axon.strategy = "matmul_tiled_64x64x8_reg4x4"}
// CHECK: vector.load {{.*}} {alignment = 16 : i64} : memref<131072xf32>, vector<4xf32>
// CHECK: gpu.shuffle xor
// CHECK: gpu.barrier
// CHECK: axon.strategy = "row_softmax"
// CHECK: axon.strategy = "row_layer_norm"
// CHECK: axon.strategy = "row_rms_norm"
// CHECK: axon.strategy = "elementwise_vec4"
// CHECK: axon.strategy = "reduce_columns"
// The temporary matmul result is freed; returned buffers are not.
// CHECK: gpu.dealloc
// CHECK-NOT: gpu.dealloc
// CHECK: return
func.func @strategies(%a: tensor<256x64xf32>, %b: tensor<64x512xf32>, %g: tensor<512xf32>)
    -> (tensor<256x512xf32>, tensor<256x512xf32>, tensor<256x512xf32>, tensor<256x512xf32>, tensor<512xf32>) {
  %m = axon.matmul %a, %b : tensor<256x64xf32>, tensor<64x512xf32>
  %s = axon.softmax %m axis = 1 : tensor<256x512xf32>
  %n = axon.layer_norm %m scale(%g : tensor<512xf32>) axes = [1] : tensor<256x512xf32>
  %r = axon.rms_norm %m scale(%g : tensor<512xf32>) axes = [1] : tensor<256x512xf32>
  %e = axon.tanh %m : tensor<256x512xf32>
  %c = axon.reduce_sum %m axes = [0] : tensor<256x512xf32>
  return %s, %n, %r, %e, %c : tensor<256x512xf32>, tensor<256x512xf32>, tensor<256x512xf32>, tensor<256x512xf32>, tensor<512xf32>
}

// -----

// Ops outside a strategy's cases take the generic path: softmax over a
// non-last axis, integer matmul; booleans are not vectorized.
// CHECK-LABEL: func.func @fallbacks
// CHECK-NOT: row_softmax
// CHECK-NOT: matmul_tiled
// CHECK: axon.strategy = "loops"
// CHECK: axon.strategy = "elementwise_vec1"
func.func @fallbacks(%x: tensor<16x32xf32>, %i: tensor<8x8xi32>) -> (tensor<16x32xf32>, tensor<8x8xi32>, tensor<16x32xi1>) {
  %s = axon.softmax %x axis = 0 : tensor<16x32xf32>
  %m = axon.matmul %i, %i : tensor<8x8xi32>, tensor<8x8xi32>
  %c = axon.cmp gt, %x, %s : tensor<16x32xf32>, tensor<16x32xf32>
  return %s, %m, %c : tensor<16x32xf32>, tensor<8x8xi32>, tensor<16x32xi1>
}

// -----

// A constant is read through its device copy, which the runtime uploads
// once (cached across calls) and which the function does not free.
// CHECK: func.func private @axonDeviceConstant_0(memref<4x8xf32>, index, index) -> memref<4x8xf32> attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @constants
// CHECK: %[[G:.*]] = memref.get_global @__constant_4x8xf32
// CHECK: %[[D:.*]] = call @axonDeviceConstant_0(%[[G]], %c128, %c2)
// CHECK: memref.collapse_shape %[[D]]
// CHECK: gpu.launch
// CHECK-NOT: gpu.dealloc
// CHECK: return
func.func @constants(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = axon.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]> : tensor<4x8xf32>
  %0 = axon.mul %x, %w : tensor<4x8xf32>, tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
