// The plugin brings the verifiers along: stock mlir-opt reports axon errors.
// REQUIRES: plugin
// RUN: %mlir-opt --load-dialect-plugin=%axon_plugin %s -verify-diagnostics

func.func @f(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{'axon.transpose' op 'perm' is not a permutation: 1 appears twice}}
  %0 = axon.transpose %a perm = [1, 1] : tensor<2x3xf32>
  return
}
