// The example model of the README: a two-layer MLP classifier head written in
// the axon dialect the way an exporter emits it, with a duplicated constant
// and a dead op. The quick start cleans it up with axon-opt.
// RUN: axon-opt %s -canonicalize -cse | FileCheck %s

// The two equal constants become one, hoisted to the top; the dead sigmoid goes.
// CHECK-LABEL: func.func @mlp
// CHECK-SAME:    (%[[X:.*]]: tensor<8x784xf32>, %[[W1:.*]]: tensor<784x128xf32>, %[[B1:.*]]: tensor<128xf32>, %[[W2:.*]]: tensor<10x128xf32>, %[[B2:.*]]: tensor<10xf32>)
// CHECK-NEXT:    %[[T:.*]] = axon.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT:    %[[H:.*]] = axon.matmul %[[X]], %[[W1]] : tensor<8x784xf32>, tensor<784x128xf32>
// CHECK-NEXT:    %[[HB:.*]] = axon.add %[[H]], %[[B1]] : tensor<8x128xf32>, tensor<128xf32>
// CHECK-NEXT:    %[[A:.*]] = axon.gelu %[[HB]] : tensor<8x128xf32>
// CHECK-NEXT:    %[[L:.*]] = axon.matmul %[[A]], %[[W2]] transpose_rhs : tensor<8x128xf32>, tensor<10x128xf32>
// CHECK-NEXT:    %[[LB:.*]] = axon.add %[[L]], %[[B2]] : tensor<8x10xf32>, tensor<10xf32>
// CHECK-NEXT:    %[[S:.*]] = axon.mul %[[LB]], %[[T]] : tensor<8x10xf32>, tensor<f32>
// CHECK-NEXT:    %[[S2:.*]] = axon.mul %[[S]], %[[T]] : tensor<8x10xf32>, tensor<f32>
// CHECK-NEXT:    %[[P:.*]] = axon.softmax %[[S2]] axis = 1 : tensor<8x10xf32>
// CHECK-NEXT:    return %[[P]] : tensor<8x10xf32>
func.func @mlp(%x: tensor<8x784xf32>, %w1: tensor<784x128xf32>, %b1: tensor<128xf32>,
               %w2: tensor<10x128xf32>, %b2: tensor<10xf32>) -> tensor<8x10xf32> {
  %h = axon.matmul %x, %w1 : tensor<8x784xf32>, tensor<784x128xf32>
  %hb = axon.add %h, %b1 : tensor<8x128xf32>, tensor<128xf32>
  %unused = axon.sigmoid %hb : tensor<8x128xf32>
  %a = axon.gelu %hb : tensor<8x128xf32>
  %logits = axon.matmul %a, %w2 transpose_rhs : tensor<8x128xf32>, tensor<10x128xf32>
  %lb = axon.add %logits, %b2 : tensor<8x10xf32>, tensor<10xf32>
  %t0 = axon.constant dense<0.5> : tensor<f32>
  %t1 = axon.constant dense<0.5> : tensor<f32>
  %s = axon.mul %lb, %t0 : tensor<8x10xf32>, tensor<f32>
  %s2 = axon.mul %s, %t1 : tensor<8x10xf32>, tensor<f32>
  %p = axon.softmax %s2 axis = 1 : tensor<8x10xf32>
  return %p : tensor<8x10xf32>
}

// The quick start compiles and runs it (numerics are checked against numpy in
// test/Integration/CPU/model_mlp.mlir).
// RUN: axon-run %s --random-inputs=1 | FileCheck %s --check-prefix=EXEC
// EXEC: result 0: float32[8, 10] = [{{.*}}, ... (80 values)]
