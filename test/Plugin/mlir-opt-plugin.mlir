// Stock mlir-opt parses, verifies and prints axon ops once it loads the plugin.
// REQUIRES: plugin
// RUN: %mlir-opt --load-dialect-plugin=%axon_plugin %s | FileCheck %s
// RUN: not %mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// NOPLUGIN: error: Dialect `axon' not found for custom op 'axon.matmul'

// CHECK-LABEL: func.func @mlp
func.func @mlp(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  // CHECK: axon.matmul %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>
  %0 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  // CHECK: axon.add %{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16xf32>
  %1 = axon.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
  // CHECK: axon.relu %{{.*}} : tensor<4x16xf32>
  %2 = axon.relu %1 : tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}
