// One-kernel split K keeps a ticket per output tile in device memory that
// persists between calls (a zero constant uploaded once; each tile's last
// block resets its ticket). Both matmuls here have 4 tiles and share the
// one constant. Repeated calls, with and without the CUDA graph, must keep
// matching the CPU (f32 accumulation rounded to f16: a few f16 ulps).
// REQUIRES: cuda
// RUN: rm -rf %t && mkdir -p %t
// RUN: axon-run %s --target=cpu --random-inputs=17 --quiet --output-dir %t
// RUN: axon-run %s --target=cuda --poison --random-inputs=17 --repeat=6 --dump-ptx --quiet --expect 0=%t/result0.npy --rtol=2e-2 --atol=2e-2 | FileCheck %s
// RUN: axon-run %s --target=cuda --poison --random-inputs=17 --repeat=3 --cuda-graph=false --quiet --expect 0=%t/result0.npy --rtol=2e-2 --atol=2e-2 | FileCheck %s --check-prefix=PLAIN
// CHECK: .entry main_k0_matmul_wgmma_64x128x64_s{{[0-9]+}}_splitk4
// CHECK: atom.{{.*}}add.u32
// CHECK: .entry main_k1_matmul_wgmma_64x128x64_s{{[0-9]+}}_splitk2
// CHECK: result 0: matches
// PLAIN: result 0: matches
func.func @main(%x: tensor<16x1024xf16>, %w1: tensor<1024x512xf16>, %w2: tensor<512x512xf16>) -> tensor<16x512xf16> {
  %h = axon.matmul %x, %w1 activation = relu : tensor<16x1024xf16>, tensor<1024x512xf16>
  %y = axon.matmul %h, %w2 : tensor<16x512xf16>, tensor<512x512xf16>
  return %y : tensor<16x512xf16>
}
