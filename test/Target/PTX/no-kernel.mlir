// Programs whose loop nests the GPU pipeline does not map yet say so.
// RUN: not axon-translate --axon-to-ptx %s 2>&1 | FileCheck %s
// CHECK: error: --axon-to-ptx: the program produced no GPU kernel (only elementwise loop nests map to the GPU so far)
func.func @main(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %0 = axon.softmax %x axis = 1 : tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}
