// Canonicalization patterns of the axon dialect.
// RUN: axon-opt %s -split-input-file -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @compose_transposes
// CHECK-NEXT: %[[T:.*]] = axon.transpose %arg0 perm = [2, 0, 1] : tensor<2x3x4xf32>
// CHECK-NEXT: return %[[T]]
func.func @compose_transposes(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = axon.transpose %x perm = [1, 0, 2] : tensor<2x3x4xf32>
  %1 = axon.transpose %0 perm = [2, 1, 0] : tensor<3x2x4xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// A transpose undone by another disappears.
// CHECK-LABEL: func.func @cancel_transposes
// CHECK-NEXT: return %arg0
func.func @cancel_transposes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = axon.transpose %x perm = [1, 0] : tensor<2x3xf32>
  %1 = axon.transpose %0 perm = [1, 0] : tensor<3x2xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @compose_reshapes
// CHECK-NEXT: %[[R:.*]] = axon.reshape %arg0 to [4, -1] : tensor<?x2x3xf32>
// CHECK-NEXT: return %[[R]]
func.func @compose_reshapes(%x: tensor<?x2x3xf32>) -> tensor<4x?xf32> {
  %0 = axon.reshape %x to [-1, 6] : tensor<?x2x3xf32>
  %1 = axon.reshape %0 to [4, -1] : tensor<?x6xf32>
  return %1 : tensor<4x?xf32>
}

// -----

// Reducing unit dims without keeping them is a reshape.
// CHECK-LABEL: func.func @unit_reduction
// CHECK-NEXT: %[[R:.*]] = axon.reshape %arg0 to [3] : tensor<1x3x1xf32>
// CHECK-NEXT: return %[[R]]
func.func @unit_reduction(%x: tensor<1x3x1xf32>) -> tensor<3xf32> {
  %0 = axon.reduce_mean %x axes = [0, 2] : tensor<1x3x1xf32>
  return %0 : tensor<3xf32>
}

// -----

// Not when a reduced dim is larger than 1.
// CHECK-LABEL: func.func @real_reduction
// CHECK-NEXT: axon.reduce_sum %arg0 axes = [0, 1]
func.func @real_reduction(%x: tensor<1x3xf32>) -> tensor<f32> {
  %0 = axon.reduce_sum %x axes = [0, 1] : tensor<1x3xf32>
  return %0 : tensor<f32>
}
