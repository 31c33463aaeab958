// RUN: axon-opt %s -axon-insert-runtime-checks -split-input-file -verify-diagnostics | FileCheck %s

// A dynamic dim against another: compared before the op, a call on mismatch.
// CHECK-DAG: llvm.mlir.global internal constant @__axon_check_0("'axon.add' at {{.*}}runtime-checks.mlir:{{[0-9]+}}:{{[0-9]+}}: dimension 0 of 'rhs' has size {0} at run time, but dimension 0 of 'lhs' has size {1} (a dynamic dimension does not broadcast)\00")
// CHECK-DAG: func.func private @axonRuntimeCheckFailed(!llvm.ptr, i64, i64)
// CHECK-LABEL: func.func @add
// CHECK-DAG:     %[[L:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?xf32>
// CHECK-DAG:     %[[R:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?xf32>
// CHECK-DAG:     %[[LI:.*]] = arith.index_cast %[[L]] : index to i64
// CHECK-DAG:     %[[RI:.*]] = arith.index_cast %[[R]] : index to i64
// CHECK:         %[[EQ:.*]] = arith.cmpi eq, %[[RI]], %[[LI]] : i64
// CHECK:         %[[BAD:.*]] = arith.xori %[[EQ]], %{{.*}} : i1
// CHECK:         scf.if %[[BAD]] {
// CHECK:           %[[MSG:.*]] = llvm.mlir.addressof @__axon_check_0 : !llvm.ptr
// CHECK:           func.call @axonRuntimeCheckFailed(%[[MSG]], %[[RI]], %[[LI]])
// CHECK:         }
// CHECK:         axon.add %arg0, %arg1
func.func @add(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %0 = axon.add %a, %b : tensor<?xf32>, tensor<?xf32>
  return %0 : tensor<?xf32>
}

// A dynamic dim against a static one is compared with the constant; a
// static 1 stretches and is not checked.
// CHECK-LABEL: func.func @against_static
// CHECK:         %[[D:.*]] = tensor.dim %arg1
// CHECK:         %[[DI:.*]] = arith.index_cast %[[D]]
// CHECK:         arith.cmpi eq, %[[DI]], %c3_i64
// CHECK-COUNT-1: func.call @axonRuntimeCheckFailed
// CHECK:         axon.add
func.func @against_static(%a: tensor<4x3xf32>, %b: tensor<?xf32>, %c: tensor<4x1xf32>) -> tensor<4x3xf32> {
  %0 = axon.add %a, %b : tensor<4x3xf32>, tensor<?xf32>
  %1 = axon.add %0, %c : tensor<4x3xf32>, tensor<4x1xf32>
  return %1 : tensor<4x3xf32>
}

// Static programs are left alone.
// CHECK-LABEL: func.func @static
// CHECK-NOT:     scf.if
// CHECK:         axon.matmul
func.func @static(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = axon.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32>
  return %0 : tensor<2x4xf32>
}

// The contraction size of a matmul, with a transposed rhs.
// CHECK-LABEL: func.func @matmul_t
// CHECK-DAG:     tensor.dim %arg0, %c1
// CHECK-DAG:     tensor.dim %arg1, %c1
// CHECK:         func.call @axonRuntimeCheckFailed
// CHECK-NOT:     func.call @axonRuntimeCheckFailed
// CHECK:         axon.matmul
func.func @matmul_t(%a: tensor<8x?xf32>, %b: tensor<5x?xf32>) -> tensor<8x5xf32> {
  %0 = axon.matmul %a, %b transpose_rhs : tensor<8x?xf32>, tensor<5x?xf32>
  return %0 : tensor<8x5xf32>
}

// -----

// A static result no machine can hold is rejected before any size
// arithmetic can wrap (reliability probe, AD_).
func.func @huge(%a: tensor<2x1x6x6xf32>, %w: tensor<2x1x2x1xf32>) -> tensor<2x2x6x4611686018427387911xf32> {
  // expected-error @below {{'axon.conv2d' op result 'tensor<2x2x6x4611686018427387911xf32>' needs more than 2^62 bytes: no machine can hold it}}
  %r = axon.conv2d %a, %w padding = [0, 4611686018427387904, 2, 1] dilations = [2, 1] : tensor<2x1x6x6xf32>, tensor<2x1x2x1xf32>
  return %r : tensor<2x2x6x4611686018427387911xf32>
}
