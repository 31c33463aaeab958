// A kernel operand with a static 0 next to a dynamic dim flattens to a
// dynamic 1-D view (reliability probe, AC_); the whole GPU pipeline runs.
// RUN: axon-opt %s -axon-to-gpu-kernels | FileCheck %s
// RUN: axon-opt %s -axon-to-nvvm -o /dev/null
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : memref<5x0x?xf32> into memref<?xf32>
// CHECK: axon.strategy = "elementwise_vec1"
func.func @main(%a0: tensor<5x0x1xf32>, %a1: tensor<5x0x?xf32>) -> tensor<5x0x?xf32> {
  %r = axon.max %a0, %a1 : tensor<5x0x1xf32>, tensor<5x0x?xf32>
  return %r : tensor<5x0x?xf32>
}
