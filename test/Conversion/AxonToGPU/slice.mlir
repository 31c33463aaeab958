// Slices with positive steps are strided copies: 16-byte vectors when the
// innermost step is 1 and the start and sizes keep them aligned.
// RUN: axon-opt %s --convert-axon-to-gpu-kernels | FileCheck %s

// The q/k/v split of a fused projection: the k part starts at 768.
// CHECK-LABEL: func.func @qkv_split
// CHECK: %[[BASE:.*]] = arith.constant 768 : index
// CHECK: gpu.launch
// CHECK: vector.load {{.*}} : memref<{{[0-9]+}}xf32>, vector<4xf32>
// CHECK: axon.config = {threads = 256 : i64, vec = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "slice_copy_vec4"
func.func @qkv_split(%x: tensor<8x512x2304xf32>) -> tensor<8x512x768xf32> {
  %0 = axon.slice %x starts = [0, 0, 768] ends = [8, 512, 1536] steps = [1, 1, 1] : tensor<8x512x2304xf32>
  return %0 : tensor<8x512x768xf32>
}

// A strided, negative-start slice copies element by element.
// CHECK-LABEL: func.func @strided
// CHECK: axon.strategy = "slice_copy_vec1"
func.func @strided(%x: tensor<6x10xf32>) -> tensor<3x4xf32> {
  %0 = axon.slice %x starts = [1, -9] ends = [6, 9] steps = [2, 2] : tensor<6x10xf32>
  return %0 : tensor<3x4xf32>
}

// Negative steps stay on the generic path.
// CHECK-LABEL: func.func @reversed
// CHECK-NOT: slice_copy
func.func @reversed(%x: tensor<6x10xf32>) -> tensor<6x10xf32> {
  %0 = axon.slice %x starts = [0, -1] ends = [6, -11] steps = [1, -1] : tensor<6x10xf32>
  return %0 : tensor<6x10xf32>
}
