// An op of an unregistered dialect is left alone by the lowering (no crash);
// the full pipelines then report it as an error naming the op (reliability
// probe, R_).
// RUN: axon-opt %s --allow-unregistered-dialect -convert-axon-to-linalg | FileCheck %s
// RUN: not axon-opt %s --allow-unregistered-dialect -axon-to-llvm-cpu 2>&1 | FileCheck %s --check-prefix=CPU
// CHECK: "foo.bar"(%{{.*}}) : (tensor<2xf32>) -> tensor<2xf32>
// CPU: error: op was not bufferized
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "foo.bar"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
