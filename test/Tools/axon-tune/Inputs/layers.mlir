// Two identical 3x3 convolutions (one problem), an encoder-shaped f32
// matmul and a causal flash attention.
func.func @main(%x: tensor<8x64x56x56xf32>, %w: tensor<64x64x3x3xf32>,
                %a: tensor<4096x768xf32>, %b: tensor<768x3072xf32>,
                %q: tensor<2x8x512x64xf16>, %k: tensor<2x8x512x64xf16>,
                %v: tensor<2x8x512x64xf16>)
    -> (tensor<8x64x56x56xf32>, tensor<4096x3072xf32>, tensor<2x8x512x64xf16>) {
  %0 = axon.conv2d %x, %w padding = [1, 1, 1, 1] : tensor<8x64x56x56xf32>, tensor<64x64x3x3xf32>
  %1 = axon.conv2d %0, %w padding = [1, 1, 1, 1] : tensor<8x64x56x56xf32>, tensor<64x64x3x3xf32>
  %2 = axon.matmul %a, %b : tensor<4096x768xf32>, tensor<768x3072xf32>
  %3 = axon.attention %q, %k, %v causal : tensor<2x8x512x64xf16>, tensor<2x8x512x64xf16>, tensor<2x8x512x64xf16>
  return %1, %2, %3 : tensor<8x64x56x56xf32>, tensor<4096x3072xf32>, tensor<2x8x512x64xf16>
}
