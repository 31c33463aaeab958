//===- Pipelines.cpp - Axon's compilation pipelines -----------------------===//

#include "axon/Pipelines/Pipelines.h"
#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace axon {

void buildAxonToLinalgPipeline(OpPassManager &pm,
                               const AxonToLinalgOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  if (options.fuse) {
    AxonFuseOptions fuse;
    fuse.fastMath = options.fastMath;
    func.addPass(createAxonFuse(fuse));
  }
  func.addPass(createConvertAxonToLinalg());
  func.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    func.addPass(createLinalgElementwiseOpFusionPass());
  func.addPass(createCSEPass());
}

void buildAxonToLLVMCPUPipeline(OpPassManager &pm,
                                const AxonToLLVMCPUOptions &options) {
  AxonToLinalgOptions linalgOptions;
  linalgOptions.fuse = options.fuse;
  linalgOptions.fastMath = options.fastMath;
  linalgOptions.fuseElementwise = options.fuseElementwise;
  buildAxonToLinalgPipeline(pm, linalgOptions);

  // Whole-program bufferization; entry points take and return plain
  // (identity layout) memrefs, which is what axon-run passes and reads.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);

  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  // expand-strided-metadata produces affine.apply: lower affine after it.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void buildAxonToNVVMPipeline(OpPassManager &pm, const AxonToNVVMOptions &options) {
  buildAxonToLinalgPipeline(pm, AxonToLinalgOptions());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));

  // Loop nests -> tiled parallel loops -> gpu.launch: one kernel per nest.
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createConvertLinalgToParallelLoopsPass());
  func.addPass(createParallelLoopTilingPass({options.blockSize}));
  func.addPass(createGpuMapParallelLoopsPass());
  func.addPass(createConvertParallelLoopToGpuPass());
  func.addPass(createCanonicalizerPass());

  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  nvvm.cubinFormat = options.format;
  nvvm.optLevel = options.optLevel;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}

void registerAxonPipelines() {
  PassPipelineRegistration<AxonToNVVMOptions>(
      "axon-to-nvvm",
      "Compile axon (or linalg on tensors) to host LLVM IR launching NVVM kernels",
      buildAxonToNVVMPipeline);
  PassPipelineRegistration<AxonToLinalgOptions>(
      "axon-to-linalg", "Lower the axon dialect to linalg on tensors",
      buildAxonToLinalgPipeline);
  PassPipelineRegistration<AxonToLLVMCPUOptions>(
      "axon-to-llvm-cpu",
      "Compile axon (or linalg on tensors) to the LLVM dialect for the CPU",
      buildAxonToLLVMCPUPipeline);
}

} // namespace axon
