// Constants are uploaded once and reused by later calls (--repeat): every
// call must still see them, including a returned constant, whose device
// copy the runner must not free.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=11 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --random-inputs=11 --repeat=4 --quiet --expect 0=%t/result0.npy --expect 1=%t/result1.npy | FileCheck %s
// CHECK: result 0: matches
// CHECK: result 1: matches
func.func @main(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<4xf32>) {
  %w = axon.constant dense<[0.5, -1.0, 2.0, 4.0]> : tensor<4xf32>
  %b = axon.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %0 = axon.mul %x, %w : tensor<3x4xf32>, tensor<4xf32>
  %1 = axon.add %0, %b : tensor<3x4xf32>, tensor<3x4xf32>
  return %1, %w : tensor<3x4xf32>, tensor<4xf32>
}
