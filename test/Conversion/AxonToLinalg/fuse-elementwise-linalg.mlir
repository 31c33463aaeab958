// axon-fuse-elementwise-linalg fuses a producer with one use into its
// consumer, like upstream's pass, but starts a new generic once the fused
// body would pass max-body-ops (a long chain then compiles in linear time;
// reliability probe, P_perf_quadratic_chain).
// RUN: axon-opt %s -convert-axon-to-linalg -axon-fuse-elementwise-linalg | FileCheck %s --check-prefix=ALL
// RUN: axon-opt %s -convert-axon-to-linalg -axon-fuse-elementwise-linalg="max-body-ops=6" | FileCheck %s --check-prefix=BOUND
// ALL-COUNT-1: linalg.generic
// ALL-NOT: linalg.generic
// Bodies: exp/add are 2 ops with the yield, each fusion adds 1; 2+2, then
// +2 up to 6 with 4 ops fused; the 5th would make 7: two generics of 4 ops.
// BOUND-COUNT-2: linalg.generic
// BOUND-NOT: linalg.generic
func.func @chain(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = axon.exp %a : tensor<4xf32>
  %1 = axon.add %0, %a : tensor<4xf32>, tensor<4xf32>
  %2 = axon.exp %1 : tensor<4xf32>
  %3 = axon.add %2, %a : tensor<4xf32>, tensor<4xf32>
  %4 = axon.exp %3 : tensor<4xf32>
  %5 = axon.add %4, %a : tensor<4xf32>, tensor<4xf32>
  %6 = axon.exp %5 : tensor<4xf32>
  %7 = axon.add %6, %a : tensor<4xf32>, tensor<4xf32>
  return %7 : tensor<4xf32>
}
