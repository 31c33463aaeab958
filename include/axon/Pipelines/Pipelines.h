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

/// The options every pipeline shares: how axon ops are fused and lowered
/// to linalg.
template <typename Derived>
struct AxonLoweringOptions : public mlir::PassPipelineOptions<Derived> {
  template <typename T> using Option = mlir::detail::PassOptions::Option<T>;
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
  Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Check the shape rules of dynamic dimensions at run time "
                     "(calls axonRuntimeCheckFailed on a mismatch)"),
      llvm::cl::init(true)};
};

struct AxonToLinalgOptions : public AxonLoweringOptions<AxonToLinalgOptions> {};

struct AxonToLLVMCPUOptions : public AxonLoweringOptions<AxonToLLVMCPUOptions> {
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize matmul-like ops into register-blocked FMA "
                     "loops (axon-cpu-vectorize-contractions) and split the other ops "
                     "into thread tasks (axon-cpu-parallelize-ops); false lowers "
                     "everything to plain loops"),
      llvm::cl::init(true)};
  Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width the tiles are shaped for (512: AVX-512, "
                     "256: AVX2, 128: SSE/NEON)"),
      llvm::cl::init(512)};
  Option<bool> openmp{
      *this, "openmp",
      llvm::cl::desc("Run thread blocks in parallel through OpenMP (the program "
                     "then needs libomp); false runs them one after another"),
      llvm::cl::init(false)};
};

struct AxonToNVVMOptions : public AxonLoweringOptions<AxonToNVVMOptions> {
  Option<std::string> chip{*this, "chip", llvm::cl::desc("GPU architecture"),
                           llvm::cl::init("sm_90a")};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX ISA version as a target feature"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> format{*this, "format",
                             llvm::cl::desc("isa (PTX), bin (cubin, needs ptxas), fatbin, or auto "
                                            "(bin when ptxas is found, else isa)"),
                             llvm::cl::init("isa")};
  Option<int> optLevel{*this, "opt-level", llvm::cl::desc("NVPTX optimization level"),
                       llvm::cl::init(3)};
  Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit (ptxas, libdevice); default $CUDA_HOME, else "
                     "/usr/local/cuda when it has libdevice"),
      llvm::cl::init("")};
  Option<int64_t> blockSize{*this, "block-size",
                            llvm::cl::desc("Threads per block for generic loop kernels"),
                            llvm::cl::init(256)};
  Option<bool> formKernels{
      *this, "form-kernels",
      llvm::cl::desc("Use Axon's kernel strategies (row, matmul, elementwise); "
                     "false compiles everything through generic loop kernels"),
      llvm::cl::init(true)};
  Option<bool> reportFallbacks{
      *this, "report-fallbacks",
      llvm::cl::desc("Emit a remark for each op that no kernel strategy handles "
                     "(it runs as a generic loops kernel)"),
      llvm::cl::init(false)};
  Option<bool> allowTf32{
      *this, "allow-tf32",
      llvm::cl::desc("Run f32 matmuls on the TF32 tensor cores (sm_80 and "
                     "later); off keeps them exact on FMA units, as torch does"),
      llvm::cl::init(false)};
  Option<std::string> tuningCache{
      *this, "tuning-cache",
      llvm::cl::desc("Kernel configs measured by axon-tune (a tuning cache file); "
                     "problems it does not list keep the heuristic's"),
      llvm::cl::init("")};
};

/// axon (tensors) -> [axon-fuse] -> linalg/tensor/arith/math on tensors.
void buildAxonToLinalgPipeline(mlir::OpPassManager &pm,
                               const AxonToLinalgOptions &options);

/// axon or linalg on tensors -> the LLVM dialect, for the CPU JIT: lowers to
/// linalg, bufferizes (function boundaries with identity layouts), inserts
/// deallocations, lowers loops and every dialect to LLVM.
void buildAxonToLLVMCPUPipeline(mlir::OpPassManager &pm,
                                const AxonToLLVMCPUOptions &options);
/// The second half of axon-to-llvm-cpu: what axon-to-linalg produced ->
/// the LLVM dialect (tools time the halves apart).
void buildLinalgToLLVMCPUPipeline(mlir::OpPassManager &pm,
                                  const AxonToLLVMCPUOptions &options);

/// axon or linalg on tensors -> host code in the LLVM dialect launching
/// kernels embedded as PTX (or cubin) for NVIDIA GPUs. Kernel formation picks
/// a strategy per op (row reductions, tiled matmul, vectorized elementwise);
/// everything else becomes generic loop kernels of `block-size` threads.
/// Tensor data lives in device memory; host code allocates, copies constants
/// once per call and launches on one stream (async tokens).
void buildAxonToGPUKernelsPipeline(mlir::OpPassManager &pm,
                                   const AxonToNVVMOptions &options);
/// The second half of axon-to-nvvm: kernels outlined into gpu.modules,
/// lowered through NVVM and compiled to objects (the modules in parallel),
/// host code to the LLVM dialect.
void buildGPUKernelsToNVVMPipeline(mlir::OpPassManager &pm,
                                   const AxonToNVVMOptions &options);
/// axon-to-gpu-kernels followed by gpu-kernels-to-nvvm.
void buildAxonToNVVMPipeline(mlir::OpPassManager &pm,
                             const AxonToNVVMOptions &options);

/// Whether `chip` names an NVIDIA architecture the NVVM target accepts
/// (`sm_<digits>` with an optional `a`/`f` suffix); tools check their chip
/// options with it before building a pipeline, since the NVPTX back end
/// crashes on an empty or unknown name.
bool isValidGpuChip(llvm::StringRef chip);

/// Registers the pipelines above with the pass registry.
void registerAxonPipelines();

} // namespace axon

#endif // AXON_PIPELINES_PIPELINES_H
