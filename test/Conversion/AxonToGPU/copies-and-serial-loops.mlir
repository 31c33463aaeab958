// The generic path's helpers: host memref.copy (from concat, pad, inserted
// slices) becomes linalg.copy, which parallel-loop mapping turns into a
// kernel; a host loop nest with no parallel dimension (a full reduction)
// and a lone store (a rank-0 result) run as one-thread parallel loops,
// i.e. kernels, since their data lives on the device.
// RUN: axon-opt %s --split-input-file --axon-gpu-copies-as-kernels | FileCheck %s --check-prefix=COPY
// RUN: axon-opt %s --split-input-file --axon-gpu-serial-loops-as-kernels | FileCheck %s --check-prefix=SERIAL

// COPY-LABEL: func.func @copy
// COPY: linalg.copy ins(%{{.*}} : memref<4x8xf32>) outs(%{{.*}} : memref<4x8xf32>)
// COPY-NOT: memref.copy
func.func @copy(%a: memref<4x8xf32>, %b: memref<4x8xf32>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  return
}

// -----

// SERIAL-LABEL: func.func @sum
// SERIAL: scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c1{{.*}}) step (%c1{{.*}})
// SERIAL-NEXT: scf.for
// SERIAL: memref.store
func.func @sum(%x: memref<16xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %a = memref.load %x[%i] : memref<16xf32>
    %s = memref.load %out[] : memref<f32>
    %t = arith.addf %a, %s : f32
    memref.store %t, %out[] : memref<f32>
  }
  return
}

// -----

// A lone store takes the scalar ops it needs into the kernel with it.
// SERIAL-LABEL: func.func @scalar
// SERIAL: scf.parallel
// SERIAL-NEXT: memref.load
// SERIAL-NEXT: arith.mulf
// SERIAL-NEXT: memref.store
func.func @scalar(%x: memref<f32>, %out: memref<f32>) {
  %a = memref.load %x[] : memref<f32>
  %b = arith.mulf %a, %a : f32
  memref.store %b, %out[] : memref<f32>
  return
}
