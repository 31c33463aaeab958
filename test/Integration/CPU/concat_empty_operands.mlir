// Empty operands of a concat insert nothing, first or last (reliability
// probe, F_): [1, 2, 3] ++ [4] ++ [] and [] ++ [] along axis 0.
// RUN: axon-run %s | FileCheck %s
// CHECK: result 0: float32[4] = [1, 2, 3, 4]
// CHECK: result 1: float32[0, 3] = []
func.func @main() -> (tensor<4xf32>, tensor<0x3xf32>) {
  %a = axon.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = axon.constant dense<[4.0]> : tensor<1xf32>
  %e = axon.constant dense<> : tensor<0xf32>
  %z = axon.constant dense<> : tensor<0x3xf32>
  %0 = axon.concat %e, %a, %b, %e axis = 0 : tensor<0xf32>, tensor<3xf32>, tensor<1xf32>, tensor<0xf32>
  %1 = axon.concat %z, %z axis = 0 : tensor<0x3xf32>, tensor<0x3xf32>
  return %0, %1 : tensor<4xf32>, tensor<0x3xf32>
}
