// A kernel module with no target attribute (input of parallel-binaries.mlir).
module attributes {gpu.container_module} {
  gpu.module @untargeted {
  }
}
