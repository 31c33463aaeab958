// A depthwise conv2d (groups = channels) is a direct kernel: one thread per
// output element, the 3x3 window unrolled with padding masks.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels | FileCheck %s

// CHECK-LABEL: func.func @depthwise
// CHECK: gpu.launch
// CHECK-COUNT-9: math.fma
// CHECK: axon.config = {threads = 256 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "conv_depthwise"
// CHECK-NOT: axon.conv2d
func.func @depthwise(%x: tensor<2x16x20x20xf32>, %w: tensor<16x1x3x3xf32>) -> tensor<2x16x20x20xf32> {
  %0 = axon.conv2d %x, %w padding = [1, 1, 1, 1] groups = 16 : tensor<2x16x20x20xf32>, tensor<16x1x3x3xf32>
  return %0 : tensor<2x16x20x20xf32>
}
