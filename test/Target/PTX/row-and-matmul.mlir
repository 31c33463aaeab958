// The row strategy reduces with warp shuffles (shfl.sync.bfly) and one round
// through shared memory (bar.sync), reading rows with 16-byte loads; the
// matmul strategy stages tiles in shared memory and accumulates with FMAs.
// RUN: axon-translate --axon-to-ptx %s | FileCheck %s

// CHECK-LABEL: .entry main_k0_matmul_tiled_64x64x8_reg4x4(
// CHECK: .shared
// CHECK: ld.global
// CHECK: st.shared
// CHECK: bar.sync
// CHECK: ld.shared
// CHECK: fma.rn.f32
// CHECK: st.global

// CHECK-LABEL: .entry main_k1_row_softmax(
// CHECK: .maxntid 256, 1, 1
// CHECK: ld.global.v4.b32
// CHECK: shfl.sync.bfly.b32
// CHECK: bar.sync
// CHECK: ex2.approx
// CHECK: st.global.v4.b32

// CHECK-LABEL: .entry main_k2_row_layer_norm(
// CHECK: shfl.sync.bfly.b32
// CHECK: rsqrt.approx
// CHECK: st.global.v4.b32
func.func @main(%a: tensor<64x32xf32>, %b: tensor<32x2048xf32>, %g: tensor<2048xf32>)
    -> (tensor<64x2048xf32>, tensor<64x2048xf32>) {
  %0 = axon.matmul %a, %b : tensor<64x32xf32>, tensor<32x2048xf32>
  %1 = axon.softmax %0 axis = 1 : tensor<64x2048xf32>
  %2 = axon.layer_norm %0 scale(%g : tensor<2048xf32>) axes = [1] : tensor<64x2048xf32>
  return %1, %2 : tensor<64x2048xf32>, tensor<64x2048xf32>
}
