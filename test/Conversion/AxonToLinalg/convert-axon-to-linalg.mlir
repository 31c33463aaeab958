// RUN: axon-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(convert-axon-to-linalg))' | FileCheck %s

// Broadcasting is carried by the indexing maps of one linalg.generic.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK:   arith.addf
func.func @add_broadcast(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = axon.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Dynamic sizes come from tensor.dim of a non-broadcast operand.
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[D:.*]] = tensor.dim %arg0, %c0
// CHECK: tensor.empty(%[[D]]) : tensor<?x3xf32>
func.func @dynamic(%a: tensor<?x3xf32>, %b: tensor<1x3xf32>) -> tensor<?x3xf32> {
  %0 = axon.mul %a, %b : tensor<?x3xf32>, tensor<1x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// f16 math runs in f32.
// CHECK-LABEL: func.func @half_exp
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: math.exp %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @half_exp(%a: tensor<8xf16>) -> tensor<8xf16> {
  %0 = axon.exp %a : tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// CHECK-LABEL: func.func @matmuls
// CHECK: linalg.fill
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<4x8xf32>, tensor<8x16xf32>)
// CHECK: linalg.batch_matmul ins(%arg2, %arg3 : tensor<2x4x8xf32>, tensor<2x8x16xf32>)
// A transposed operand becomes a contraction with a permuted map.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
func.func @matmuls(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<2x4x8xf32>, %d: tensor<2x8x16xf32>, %e: tensor<16x8xf32>) {
  %0 = axon.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = axon.matmul %c, %d : tensor<2x4x8xf32>, tensor<2x8x16xf32>
  %2 = axon.matmul %a, %e transpose_rhs : tensor<4x8xf32>, tensor<16x8xf32>
  return
}

// -----

// CHECK-LABEL: func.func @convs
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.generic
// CHECK:   arith.addf
// CHECK: linalg.conv_2d_ngchw_gfchw
func.func @convs(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>, %wg: tensor<6x2x3x3xf32>) {
  %0 = axon.conv2d %x, %w bias(%b : tensor<6xf32>) strides = [2, 2] padding = [1, 1, 1, 1] : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>
  %1 = axon.conv2d %x, %wg groups = 2 : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>
  return
}

// -----

// CHECK-LABEL: func.func @pools
// CHECK: linalg.pooling_nchw_max
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.divf
func.func @pools(%x: tensor<1x4x8x8xf32>) {
  %0 = axon.max_pool2d %x kernel = [2, 2] strides = [2, 2] : tensor<1x4x8x8xf32>
  %1 = axon.avg_pool2d %x kernel = [2, 2] : tensor<1x4x8x8xf32>
  return
}

// -----

// CHECK-LABEL: func.func @reductions
// CHECK: linalg.reduce ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3xf32>) dimensions = [0, 2]
// CHECK: tensor.expand_shape {{.*}} : tensor<3xf32> into tensor<1x3x1xf32>
func.func @reductions(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = axon.reduce_sum %x axes = [0, 2] keep_dims : tensor<2x3x4xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// Softmax: max, shifted exp, sum, divide.
// CHECK-LABEL: func.func @softmax
// CHECK: linalg.reduce
// CHECK:   arith.maximumf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: linalg.reduce
// CHECK:   arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = axon.softmax %x axis = 1 : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @shapes
// CHECK: linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
// CHECK: tensor.extract_slice %arg0[0, 1, 0] [2, 1, 2] [1, 1, 2]
// CHECK: tensor.pad
func.func @shapes(%x: tensor<2x3x4xf32>) {
  %0 = axon.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32>
  %1 = axon.reshape %x to [-1, 4] : tensor<2x3x4xf32>
  %2 = axon.concat %x, %x axis = 0 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %3 = axon.slice %x starts = [0, 1, 0] ends = [2, 2, 4] steps = [1, 1, 2] : tensor<2x3x4xf32>
  %4 = axon.pad %x low = [0, 1, 0] high = [0, 0, 1] : tensor<2x3x4xf32>
  return
}

// -----

// Reshapes that collapse or expand groups of dims stay views, also with a
// dynamic dim (an ONNX Flatten of a dynamic batch); others take a shape
// tensor.
// CHECK-LABEL: func.func @reshapes
// CHECK: tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<?x3xf32> into tensor<?xf32>
// CHECK: %[[N:.*]] = arith.divui
// CHECK: tensor.expand_shape %arg1 {{\[}}[0, 1]] output_shape [%[[N]], 4] : tensor<?xf32> into tensor<?x4xf32>
// CHECK: tensor.reshape %arg2
func.func @reshapes(%a: tensor<?x3xf32>, %b: tensor<?xf32>, %c: tensor<4x6xf32>) {
  %0 = axon.reshape %a to [-1] : tensor<?x3xf32>
  %1 = axon.reshape %b to [-1, 4] : tensor<?xf32>
  %2 = axon.reshape %c to [6, 4] : tensor<4x6xf32>
  return
}

// -----

// Attention becomes matmul, scale, softmax and matmul.
// CHECK-LABEL: func.func @attention
// CHECK-NOT: axon.
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: math.exp
// CHECK: linalg.batch_matmul
func.func @attention(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x8xf32>) -> tensor<2x4x8xf32> {
  %0 = axon.attention %q, %k, %v : tensor<2x4x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>
  return %0 : tensor<2x4x8xf32>
}
