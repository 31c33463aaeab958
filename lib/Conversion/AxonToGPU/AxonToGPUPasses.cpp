//===- AxonToGPUPasses.cpp - Kernel formation passes ----------------------===//

#include "Strategy.h"
#include "axon/Conversion/AxonToGPU/Tuning.h"
#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Dialect/Axon/Transforms/Decompositions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace axon {
#define GEN_PASS_DEF_CONVERTAXONTOGPUKERNELS
#define GEN_PASS_DEF_AXONGPUELEMENTWISEKERNELS
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace axon {
namespace {

/// Forms kernels for `ops`; reports (with `report`) those left to the
/// generic loops path. Fails when a pinned strategy or config is rejected.
LogicalResult formKernels(ArrayRef<Operation *> ops,
                          const gpu_kernels::GpuTarget &target, bool report,
                          MLIRContext *context) {
  IRRewriter rewriter(context);
  const auto &registry = gpu_kernels::StrategyRegistry::builtin();
  bool failedAny = false;
  for (Operation *op : ops) {
    std::string whyNot;
    switch (gpu_kernels::formKernel(rewriter, op, registry, target, whyNot)) {
    case gpu_kernels::FormOutcome::Formed:
      break;
    case gpu_kernels::FormOutcome::Failed:
      failedAny = true;
      break;
    case gpu_kernels::FormOutcome::NoStrategy:
      if (report)
        op->emitRemark() << "'" << op->getName()
                         << "' falls back to a generic loops kernel: "
                         << (whyNot.empty()
                                 ? std::string("no GPU strategy handles it")
                                 : whyNot);
      break;
    }
  }
  return failure(failedAny);
}

struct ConvertAxonToGPUKernels
    : public impl::ConvertAxonToGPUKernelsBase<ConvertAxonToGPUKernels> {
  using Base::Base;
  LogicalResult initialize(MLIRContext *context) override {
    if (tuningCache.empty())
      return success();
    llvm::Expected<TuningCache> loaded = TuningCache::load(tuningCache);
    if (!loaded)
      return emitError(UnknownLoc::get(context)) << llvm::toString(loaded.takeError());
    tuning = std::make_shared<TuningCache>(std::move(*loaded));
    return success();
  }
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    gpu_kernels::GpuTarget target = gpu_kernels::GpuTarget::forChip(chip);
    target.allowTf32 = allowTf32;
    target.tuning = tuning.get();
    // Attention a strategy takes (flash attention on sm_90a) is one kernel;
    // the rest runs as its parts: two matmuls around a row softmax.
    SmallVector<AttentionOp> attention;
    getOperation().walk([&](AttentionOp op) { attention.push_back(op); });
    for (AttentionOp op : attention) {
      std::string whyNot;
      if (gpu_kernels::formKernel(rewriter, op, gpu_kernels::StrategyRegistry::builtin(), target,
                                  whyNot) == gpu_kernels::FormOutcome::Failed)
        return signalPassFailure();
    }
    if (failed(decomposeAllAttention(rewriter, getOperation())))
      return signalPassFailure();
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (gpu_kernels::needsKernelStrategy(op))
        candidates.push_back(op);
    });
    if (failed(formKernels(candidates, target, reportFallbacks, &getContext())))
      signalPassFailure();
  }

private:
  /// Read once, shared by the pass's copies on each function.
  std::shared_ptr<const TuningCache> tuning;
};

struct AxonGPUElementwiseKernels
    : public impl::AxonGPUElementwiseKernelsBase<AxonGPUElementwiseKernels> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<Operation *> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    if (failed(formKernels(generics, gpu_kernels::GpuTarget::forChip(chip),
                           reportFallbacks, &getContext())))
      signalPassFailure();
  }
};

} // namespace
} // namespace axon
