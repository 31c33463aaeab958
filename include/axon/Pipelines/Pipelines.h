//===- Pipelines.h - Axon's compilation pipelines ---------------*- C++ -*-===//
//
// Each pipeline exists twice: as a build function that tools and embedders
// call, and registered for axon-opt (-axon-to-linalg, -axon-to-llvm-cpu), so
// that axon-opt runs exactly what axon-run runs.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_PIPELINES_PIPELINES_H
#define AXON_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace axon {

struct AxonToLinalgOptions
    : public mlir::PassPipelineOptions<AxonToLinalgOptions> {
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Run axon-fuse before lowering"),
                    llvm::cl::init(true)};
  Option<bool> fastMath{*this, "fast-math",
                        llvm::cl::desc("Let axon-fuse apply rewrites that may change results"),
                        llvm::cl::init(false)};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer elementwise linalg ops"),
      llvm::cl::init(true)};
};

struct AxonToLLVMCPUOptions
    : public mlir::PassPipelineOptions<AxonToLLVMCPUOptions> {
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Run axon-fuse before lowering"),
                    llvm::cl::init(true)};
  Option<bool> fastMath{*this, "fast-math",
                        llvm::cl::desc("Let axon-fuse apply rewrites that may change results"),
                        llvm::cl::init(false)};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer elementwise linalg ops"),
      llvm::cl::init(true)};
};

/// axon (tensors) -> [axon-fuse] -> linalg/tensor/arith/math on tensors.
void buildAxonToLinalgPipeline(mlir::OpPassManager &pm,
                               const AxonToLinalgOptions &options);

/// axon or linalg on tensors -> the LLVM dialect, for the CPU JIT: lowers to
/// linalg, bufferizes (function boundaries with identity layouts), inserts
/// deallocations, lowers loops and every dialect to LLVM.
void buildAxonToLLVMCPUPipeline(mlir::OpPassManager &pm,
                                const AxonToLLVMCPUOptions &options);

/// Registers the pipelines above with the pass registry.
void registerAxonPipelines();

} // namespace axon

#endif // AXON_PIPELINES_PIPELINES_H
