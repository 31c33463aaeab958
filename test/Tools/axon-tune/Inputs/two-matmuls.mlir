// Two f16 matmuls of different shapes and a softmax (not tunable).
func.func @main(%a: tensor<256x512xf16>, %b: tensor<512x384xf16>,
                %c: tensor<64x256xf16>) -> (tensor<256x384xf16>, tensor<64x384xf16>) {
  %0 = axon.matmul %a, %b : tensor<256x512xf16>, tensor<512x384xf16>
  %1 = axon.softmax %0 axis = 1 : tensor<256x384xf16>
  %2 = axon.matmul %c, %1 : tensor<64x256xf16>, tensor<256x384xf16>
  return %0, %2 : tensor<256x384xf16>, tensor<64x384xf16>
}
