// The same library is a pass plugin: stock mlir-opt runs axon-fuse and the
// axon-to-linalg pipeline. (mlir-opt builds its pass flags before it loads
// plugins, so plugin passes are named in --pass-pipeline, as upstream's
// standalone plugin test does.)
// REQUIRES: plugin
// RUN: %mlir-opt --load-dialect-plugin=%axon_plugin --load-pass-plugin=%axon_plugin --pass-pipeline="builtin.module(func.func(axon-fuse))" %s | FileCheck %s --check-prefix=FUSE
// RUN: %mlir-opt --load-dialect-plugin=%axon_plugin --load-pass-plugin=%axon_plugin --pass-pipeline="builtin.module(axon-to-linalg)" %s | FileCheck %s --check-prefix=LINALG
// RUN: not %mlir-opt --load-dialect-plugin=%axon_plugin --pass-pipeline="builtin.module(func.func(axon-fuse))" %s 2>&1 | FileCheck %s --check-prefix=NOPASSES

// FUSE-LABEL: func.func @mlp
// FUSE-NEXT: %[[R:.*]] = axon.matmul %arg0, %arg1 bias(%arg2 : tensor<16xf32>) activation = relu : tensor<4x8xf32>, tensor<8x16xf32>
// FUSE-NEXT: return %[[R]]
// LINALG-LABEL: func.func @mlp
// LINALG-NOT: axon.
// LINALG: linalg.matmul
// LINALG: arith.maximumf
// NOPASSES: 'axon-fuse' does not refer to a registered pass or pass pipeline
func.func @mlp(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = axon.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = axon.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
  %2 = axon.relu %1 : tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}
