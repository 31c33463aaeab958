// axon-tune measures every candidate config of the program's two problems
// on the device, keeps the fastest whose result agrees with the heuristic
// config's, and the next compile uses what it wrote: checked by reading the
// config back from kernel formation and by the results against the CPU path.
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-tune %s --cache=%t/tune.json --repeat=5 > %t/tune.txt
// RUN: axon-opt %s --pass-pipeline="builtin.module(axon-to-gpu-kernels{tuning-cache=%t/tune.json})" > %t/tuned.mlir
// RUN: cat %t/tune.txt %t/tuned.mlir | FileCheck %s
// CHECK: 2 tunable problems for sm_90a
// CHECK: [1/2] matmul_wgmma: axon.matmul(tensor<200x392xf16>, tensor<392x136xf16>, tensor<136xf16>)
// CHECK:   heuristic {{{.*}}}: {{[0-9.]+}} us
// CHECK:   best {bm = [[BM:[0-9]+]], bn = [[BN:[0-9]+]], {{.*}}}: {{[0-9.]+}} us (heuristic {{[0-9.]+}} us,
// CHECK: [2/2] conv_igemm: axon.conv2d(tensor<2x32x28x28xf32>, tensor<48x32x3x3xf32>)
// CHECK:   best {bk = [[BK:[0-9]+]], bm = [[CBM:[0-9]+]], bn = [[CBN:[0-9]+]], tm = [[TM:[0-9]+]], tn = [[TN:[0-9]+]]}
// CHECK: wrote 2 entries to {{.*}}tune.json
// CHECK: func.func @main
// CHECK: axon.config = {bm = [[BM]] : i64, bn = [[BN]] : i64,
// CHECK: axon.config = {bk = [[BK]] : i64, bm = [[CBM]] : i64, bn = [[CBN]] : i64, tm = [[TM]] : i64, tn = [[TN]] : i64}
// RUN: axon-run %s --target=cpu --random-inputs=5 --quiet --output-dir %t/cpu
// RUN: axon-run %s --target=cuda --no-cache --poison --tuning-cache=%t/tune.json --random-inputs=5 --quiet --expect 0=%t/cpu/result0.npy --rtol=2e-2 --atol=2e-2 --expect 1=%t/cpu/result1.npy | FileCheck %s --check-prefix=RESULTS
// RESULTS-DAG: result 0: matches
// RESULTS-DAG: result 1: matches
func.func @main(%a: tensor<200x392xf16>, %b: tensor<392x136xf16>, %bias: tensor<136xf16>,
                %x: tensor<2x32x28x28xf32>, %w: tensor<48x32x3x3xf32>)
    -> (tensor<200x136xf16>, tensor<2x48x28x28xf32>) {
  %0 = axon.matmul %a, %b bias(%bias : tensor<136xf16>) activation = relu : tensor<200x392xf16>, tensor<392x136xf16>
  %1 = axon.conv2d %x, %w padding = [1, 1, 1, 1] : tensor<2x32x28x28xf32>, tensor<48x32x3x3xf32>
  return %0, %1 : tensor<200x136xf16>, tensor<2x48x28x28xf32>
}
