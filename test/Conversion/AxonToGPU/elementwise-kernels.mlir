// axon-gpu-elementwise-kernels: a fused all-parallel linalg.generic becomes
// one kernel computing 4 elements per thread with 16-byte accesses; a
// broadcast operand is read along its own innermost dim; a pinned config
// (here 2 groups per thread, scalar accesses) is used as given.
// RUN: axon-opt %s --axon-gpu-elementwise-kernels --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @relu_bias
// CHECK: gpu.launch
// CHECK: vector.load {{.*}} : memref<16384xf32>, vector<4xf32>
// CHECK: vector.load {{.*}} : memref<256xf32>, vector<4xf32>
// CHECK: arith.maximumf {{.*}} : vector<4xf32>
// CHECK: vector.store {{.*}} : memref<16384xf32>, vector<4xf32>
// CHECK: axon.config = {threads = 256 : i64, unroll = 1 : i64, vec = 4 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "elementwise_vec4"
// CHECK-NOT: linalg.generic
#map = affine_map<(d0, d1) -> (d0, d1)>
#bcast = affine_map<(d0, d1) -> (0, d1)>
func.func @relu_bias(%x: tensor<64x256xf32>, %b: tensor<1x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %0 = linalg.generic {indexing_maps = [#map, #bcast, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<64x256xf32>, tensor<1x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @pinned
// CHECK-COUNT-2: memref.load
// CHECK: axon.config = {threads = 128 : i64, unroll = 2 : i64, vec = 1 : i64}, {{(axon.family = "[a-z_]+", )?(axon.flops = [0-9]+ : i64, )?}}axon.strategy = "elementwise_vec1"
func.func @pinned(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %e = tensor.empty() : tensor<1024xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<1024xf32>) outs(%e : tensor<1024xf32>)
      attrs = {axon.config = {threads = 128, vec = 1, unroll = 2}} {
  ^bb0(%a: f32, %o: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<1024xf32>
  return %0 : tensor<1024xf32>
}

// -----

// A reduction is not elementwise: it stays for the generic path.
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduction_stays
// CHECK: linalg.generic
// CHECK-NOT: gpu.launch
func.func @reduction_stays(%x: tensor<8x16xf32>, %init: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x16xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
