// With report-fallbacks, every op that becomes a generic loops kernel gets a
// remark saying why each candidate strategy declined; formed ops get none.
// RUN: axon-opt %s --axon-to-gpu-kernels="report-fallbacks=1" --verify-diagnostics -o /dev/null

func.func @fallbacks(%x: tensor<16x32xf32>, %i: tensor<8x8xi32>, %r: tensor<4x5x6xf32>) -> (tensor<16x32xf32>, tensor<8x8xi32>, tensor<5xf32>, tensor<16x32xf32>) {
  // expected-remark@+1 {{'axon.softmax' falls back to a generic loops kernel: row: softmax over an axis other than the last}}
  %s = axon.softmax %x axis = 0 : tensor<16x32xf32>
  // expected-remark@+1 {{'axon.matmul' falls back to a generic loops kernel: matmul_wgmma: not f16 or bf16; matmul_mma: operands are not f32, f16 or bf16 of one type; matmul_tiled: operands are not f32, f16 or bf16 of one type}}
  %m = axon.matmul %i, %i : tensor<8x8xi32>, tensor<8x8xi32>
  // expected-remark@+1 {{'axon.reduce_sum' falls back to a generic loops kernel: reduce: the reduced axes are not contiguous}}
  %c = axon.reduce_sum %r axes = [0, 2] : tensor<4x5x6xf32>
  %t = axon.tanh %x : tensor<16x32xf32>
  return %s, %m, %c, %t : tensor<16x32xf32>, tensor<8x8xi32>, tensor<5xf32>, tensor<16x32xf32>
}
