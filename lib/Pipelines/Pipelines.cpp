//===- Pipelines.cpp - Axon's compilation pipelines -----------------------===//

#include "axon/Pipelines/Pipelines.h"
#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/OptimizeForNVVM.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <cstdlib>

using namespace mlir;

namespace axon {

/// How GPU kernels are formed, when they are.
struct GpuFormation {
  std::string chip;
  bool reportFallbacks;
  bool allowTf32;
  std::string tuningCache;
};

/// [axon-fuse], [GPU kernel formation], convert-axon-to-linalg and the
/// cleanups after it: the front of every pipeline.
template <typename Options>
static void addLinalgLowering(OpPassManager &pm, const Options &options,
                              std::optional<GpuFormation> gpu) {
  if (options.runtimeChecks)
    pm.addPass(createAxonInsertRuntimeChecks());
  OpPassManager &func = pm.nest<func::FuncOp>();
  if (options.fuse) {
    AxonFuseOptions fuse;
    fuse.fastMath = options.fastMath;
    func.addPass(createAxonFuse(fuse));
  }
  if (gpu)
    func.addPass(createConvertAxonToGPUKernels(
        {gpu->chip, gpu->reportFallbacks, gpu->allowTf32, gpu->tuningCache}));
  func.addPass(createConvertAxonToLinalg());
  func.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    func.addPass(createAxonFuseElementwiseLinalg());
  func.addPass(createCSEPass());
  if (gpu)
    func.addPass(createAxonGPUElementwiseKernels({gpu->chip, gpu->reportFallbacks}));
}

/// Whole-program bufferization; entry points take and return plain
/// (identity layout) memrefs, which is what axon-run passes and reads.
static void addBufferization(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
}

void buildAxonToLinalgPipeline(OpPassManager &pm,
                               const AxonToLinalgOptions &options) {
  addLinalgLowering(pm, options, std::nullopt);
}

void buildAxonToLLVMCPUPipeline(OpPassManager &pm,
                                const AxonToLLVMCPUOptions &options) {
  addLinalgLowering(pm, options, std::nullopt);
  buildLinalgToLLVMCPUPipeline(pm, options);
}

void buildLinalgToLLVMCPUPipeline(OpPassManager &pm,
                                  const AxonToLLVMCPUOptions &options) {
  if (options.vectorize) {
    AxonCPUVectorizeContractionsOptions contractions;
    contractions.vectorBits = options.vectorBits;
    pm.addNestedPass<func::FuncOp>(createAxonCPUVectorizeContractions(contractions));
    pm.addNestedPass<func::FuncOp>(createAxonCPUParallelizeOps());
  }
  addBufferization(pm);
  bufferization::buildBufferDeallocationPipeline(pm);

  // Thread blocks: OpenMP worksharing loops, or sequential loops.
  if (options.openmp) {
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
    pm.addPass(createConvertSCFToOpenMPPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
  }
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Register tiles: masks and n-D transfers to 1-D vector operations.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMaskPass());
  pm.addPass(createConvertVectorToSCFPass(VectorTransferToSCFOptions().enableFullUnroll()));
  // expand-strided-metadata produces affine.apply: lower affine after it.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Inlines the memref.alloca_scope that scf-to-openmp wraps each parallel
  // body in (it holds no alloca here), which must be gone before the loops
  // in it become blocks.
  if (options.openmp)
    pm.addPass(createCanonicalizerPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createConvertMathToLibmPass());
  // vector.contract as outer products: one broadcast FMA per row of A.
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering = vector::VectorContractLowering::OuterProduct;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  if (options.openmp)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

/// MLIR's NVVM serializer finds ptxas and libdevice through CUDA_ROOT,
/// CUDA_HOME or CUDA_PATH only. The `toolkit` option sets CUDA_HOME; without
/// it and without those variables, /usr/local/cuda is used when it has
/// libdevice (else kernels calling libdevice functions fail to link).
static void selectToolkit(const std::string &toolkit) {
  if (!toolkit.empty()) {
    ::setenv("CUDA_HOME", toolkit.c_str(), /*overwrite=*/1);
    return;
  }
  if (std::getenv("CUDA_ROOT") || std::getenv("CUDA_HOME") || std::getenv("CUDA_PATH"))
    return;
  if (llvm::sys::fs::exists("/usr/local/cuda/nvvm/libdevice"))
    ::setenv("CUDA_HOME", "/usr/local/cuda", /*overwrite=*/0);
}

void buildAxonToGPUKernelsPipeline(OpPassManager &pm, const AxonToNVVMOptions &options) {
  std::optional<GpuFormation> gpu;
  if (options.formKernels)
    gpu = GpuFormation{options.chip, options.reportFallbacks, options.allowTf32,
                       options.tuningCache};
  addLinalgLowering(pm, options, gpu);
  addBufferization(pm);

  // What has no strategy: loop nests -> tiled parallel loops -> gpu.launch.
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createAxonGPUCopiesAsKernels());
  func.addPass(createConvertLinalgToParallelLoopsPass());
  func.addPass(createParallelLoopTilingPass({options.blockSize}));
  // Folds the tile arithmetic so the mapped loops have launch bounds.
  func.addPass(createCanonicalizerPass());
  // After canonicalization, which would fold its one-iteration loops away.
  func.addPass(createAxonGPUSerialLoopsAsKernels());
  func.addPass(createGpuMapParallelLoopsPass());
  func.addPass(createConvertParallelLoopToGpuPass());
  pm.addPass(createAxonGPUDeviceMemory());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  pm.addPass(createAxonGPUKernelTable());
}

/// `auto` is a cubin when ptxas can be found (the toolkit selected above,
/// then PATH): the driver would otherwise compile the PTX itself, one module
/// after another, when the program is loaded.
static std::string resolveObjectFormat(llvm::StringRef format) {
  if (format != "auto")
    return format.str();
  for (const char *var : {"CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"})
    if (const char *dir = std::getenv(var)) {
      llvm::SmallString<128> ptxas(dir);
      llvm::sys::path::append(ptxas, "bin", "ptxas");
      if (llvm::sys::fs::can_execute(ptxas))
        return "bin";
    }
  return llvm::sys::Process::FindInEnvPath("PATH", "ptxas") ? "bin" : "isa";
}

/// Outlined kernels and their host side to LLVM: the kernel modules through
/// NVVM to objects (compiled in parallel), the host through gpu-to-llvm.
static void addKernelCodegen(OpPassManager &pm, const AxonToNVVMOptions &options) {
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Kernel modules: nested pipelines run on the modules in parallel.
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createStripDebugInfoPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(LLVM::createNVVMOptimizeForTargetPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());

  pm.addPass(createGpuToLLVMConversionPass());
  AxonGPUModulesToBinariesOptions binaries;
  binaries.format = resolveObjectFormat(options.format);
  binaries.toolkit = options.toolkit;
  pm.addPass(createAxonGPUModulesToBinaries(binaries));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void buildAxonToNVVMPipeline(OpPassManager &pm, const AxonToNVVMOptions &options) {
  buildAxonToGPUKernelsPipeline(pm, options);
  buildGPUKernelsToNVVMPipeline(pm, options);
}

void buildGPUKernelsToNVVMPipeline(OpPassManager &pm, const AxonToNVVMOptions &options) {
  // Tensor-core kernels pass TMA descriptors from host to device: their
  // nvgpu types become pointers while host and kernel are still one body.
  pm.addPass(createConvertNVGPUToNVVMPass());
  // Sizes and strides known at compile time become kernel constants (not
  // parameters), so index divisions by them are strength-reduced.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  // One stream, launches ordered by async tokens instead of a sync each.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

  selectToolkit(options.toolkit);
  addKernelCodegen(pm, options);
}

bool isValidGpuChip(llvm::StringRef chip) {
  if (!chip.consume_front("sm_"))
    return false;
  chip.consume_back("a") || chip.consume_back("f");
  unsigned version;
  return !chip.empty() && llvm::all_of(chip, llvm::isDigit) && !chip.getAsInteger(10, version) &&
         version >= 20;
}

/// Registers `builder` as a pipeline that must be anchored on builtin.module
/// (its passes nest func.func themselves): nested elsewhere, e.g. under
/// func.func, it is an error naming the pipeline instead of a fatal error in
/// the pass manager.
template <typename Options>
static void registerModulePipeline(StringRef arg, StringRef description,
                                   void (*builder)(OpPassManager &, const Options &)) {
  std::string name = arg.str();
  registerPassPipeline(
      arg, description,
      [builder, name](OpPassManager &pm, StringRef optionsText,
                      function_ref<LogicalResult(const Twine &)> errorHandler) {
        StringRef anchor = pm.getOpAnchorName();
        if (anchor != ModuleOp::getOperationName() && anchor != OpPassManager::getAnyOpAnchorName())
          return errorHandler("the '" + name + "' pipeline runs on builtin.module, not nested "
                              "under '" + anchor + "'");
        Options options;
        if (failed(options.parseFromString(optionsText)))
          return failure();
        builder(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) { optHandler(Options()); });
}

void registerAxonPipelines() {
  registerModulePipeline<AxonToNVVMOptions>(
      "axon-to-nvvm",
      "Compile axon (or linalg on tensors) to host LLVM IR launching NVVM kernels",
      buildAxonToNVVMPipeline);
  registerModulePipeline<AxonToNVVMOptions>(
      "axon-to-gpu-kernels",
      "The first half of axon-to-nvvm: kernels formed and mapped to gpu.launch "
      "on device buffers (for inspecting strategies)",
      buildAxonToGPUKernelsPipeline);
  registerModulePipeline<AxonToNVVMOptions>(
      "gpu-kernels-to-nvvm",
      "The second half of axon-to-nvvm: kernels to NVVM objects (compiled in "
      "parallel), host code to the LLVM dialect",
      buildGPUKernelsToNVVMPipeline);
  registerModulePipeline<AxonToLLVMCPUOptions>(
      "linalg-to-llvm-cpu",
      "The second half of axon-to-llvm-cpu: bufferize and lower to the LLVM dialect",
      buildLinalgToLLVMCPUPipeline);
  registerModulePipeline<AxonToLinalgOptions>(
      "axon-to-linalg", "Lower the axon dialect to linalg on tensors", buildAxonToLinalgPipeline);
  registerModulePipeline<AxonToLLVMCPUOptions>(
      "axon-to-llvm-cpu",
      "Compile axon (or linalg on tensors) to the LLVM dialect for the CPU",
      buildAxonToLLVMCPUPipeline);
}

} // namespace axon
