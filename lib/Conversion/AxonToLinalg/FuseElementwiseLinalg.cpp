//===- FuseElementwiseLinalg.cpp - Bounded elementwise linalg fusion ------===//

#include "axon/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace axon {
#define GEN_PASS_DEF_AXONFUSEELEMENTWISELINALG
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace axon {
namespace {

int64_t bodySize(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic ? static_cast<int64_t>(generic.getBody()->getOperations().size()) : 0;
}

struct FuseElementwiseLinalg
    : public impl::AxonFuseElementwiseLinalgBase<FuseElementwiseLinalg> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    int64_t limit = maxBodyOps;
    // As upstream's pass: producers with one use; plus the size bound.
    linalg::ControlFusionFn control = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse())
        return false;
      return bodySize(producer) + bodySize(fused->getOwner()) <= limit;
    };
    // A producer fused into a consumer that reads each of its elements many
    // times (a matmul's operand, a broadcast) would be recomputed each time:
    // fuse only where the consumer reads it through a permutation.
    linalg::ControlFusionFn elementwise = [control](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      if (consumer && !consumer.getMatchingIndexingMap(fused).isPermutation())
        return false;
      return control(fused);
    };
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, elementwise);
    // Reshapes stay out of contractions: expanded through a matmul they
    // split its M or N dimension in several, which no matmul kernel takes.
    linalg::ControlFusionFn reshapes = [control](OpOperand *fused) {
      for (Operation *op : {fused->getOwner(), fused->get().getDefiningOp()})
        if (auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op))
          if (linalgOp.getNumReductionLoops() > 0)
            return false;
      return control(fused);
    };
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, reshapes);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true); // as upstream, for compile time
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
} // namespace axon
