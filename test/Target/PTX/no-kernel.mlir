// A program that computes nothing has no kernel to print; host code that
// would read tensor elements directly (here a tensor.extract feeding host
// arithmetic) is an error naming the op, since the data lives on the GPU.
// RUN: not axon-translate --axon-to-ptx %s --split-input-file 2>&1 | FileCheck %s
// CHECK: error: --axon-to-ptx: the program produced no GPU kernel (it computes nothing on tensor data)
func.func @main(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  return %x : tensor<64x128xf32>
}

// -----

// CHECK: error: 'memref.load' accesses tensor data on the host; on the GPU that data lives in device memory and no kernel was formed for it
func.func @main(%x: tensor<4xf32>) -> index {
  %c0 = arith.constant 0 : index
  %e = tensor.extract %x[%c0] : tensor<4xf32>
  %i = arith.fptosi %e : f32 to i64
  %r = arith.index_cast %i : i64 to index
  return %r : index
}
