// Axon's pipelines run on builtin.module; nested under func.func they are an
// error naming the pipeline, not a fatal error (reliability probe, X_).
// RUN: not axon-opt %s --pass-pipeline='builtin.module(func.func(axon-to-llvm-cpu))' 2>&1 | FileCheck %s
// RUN: not axon-opt %s --pass-pipeline='builtin.module(func.func(axon-to-nvvm))' 2>&1 | FileCheck %s --check-prefix=NVVM
// RUN: axon-opt %s --pass-pipeline='builtin.module(axon-to-linalg)' | FileCheck %s --check-prefix=OK
// CHECK: error: the 'axon-to-llvm-cpu' pipeline runs on builtin.module, not nested under 'func.func'
// CHECK-NOT: LLVM ERROR
// NVVM: error: the 'axon-to-nvvm' pipeline runs on builtin.module, not nested under 'func.func'
// OK: linalg.generic
func.func @main(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = axon.add %a, %a : tensor<2x3xf32>, tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
