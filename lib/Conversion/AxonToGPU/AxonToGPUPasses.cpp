//===- AxonToGPUPasses.cpp - Kernel formation passes ----------------------===//

#include "AxonToGPUKernels.h"
#include "axon/Conversion/Passes.h"

#include "../AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

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

struct ConvertAxonToGPUKernels
    : public impl::ConvertAxonToGPUKernelsBase<ConvertAxonToGPUKernels> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Attention runs as its parts: two matmuls around a row softmax.
    if (failed(decomposeAllAttention(rewriter, getOperation())))
      return signalPassFailure();
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp, RmsNormOp, MatmulOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      rewriter.setInsertionPoint(op);
      if (succeeded(gpu_kernels::formRowKernel(rewriter, op)))
        continue;
      (void)gpu_kernels::formMatmulKernel(rewriter, op);
    }
  }
};

struct AxonGPUElementwiseKernels
    : public impl::AxonGPUElementwiseKernelsBase<AxonGPUElementwiseKernels> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics) {
      rewriter.setInsertionPoint(op);
      (void)gpu_kernels::formElementwiseKernel(rewriter, op);
    }
  }
};

} // namespace
} // namespace axon
