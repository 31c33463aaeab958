//===- AxonFusePass.cpp - The axon-fuse pass ------------------------------===//

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace axon {
#define GEN_PASS_DEF_AXONFUSE
#include "axon/Dialect/Axon/Transforms/Passes.h.inc"

void populateEpilogueFusionPatterns(mlir::RewritePatternSet &patterns);
void populateDecomposedFusionPatterns(mlir::RewritePatternSet &patterns,
                                      bool fastMath);
void populateAttentionFusionPatterns(mlir::RewritePatternSet &patterns);

namespace {
#include "FusePatterns.inc"
} // namespace
} // namespace axon

using namespace mlir;
using namespace axon;

void axon::populateAxonFusionPatterns(RewritePatternSet &patterns) {
  populateWithGenerated(patterns);
  populateEpilogueFusionPatterns(patterns);
  populateDecomposedFusionPatterns(patterns, /*fastMath=*/false);
  populateAttentionFusionPatterns(patterns);
}

namespace {

struct AxonFusePass : axon::impl::AxonFuseBase<AxonFusePass> {
  using AxonFuseBase::AxonFuseBase;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    populateWithGenerated(set);
    populateEpilogueFusionPatterns(set);
    populateDecomposedFusionPatterns(set, fastMath);
    populateAttentionFusionPatterns(set);
    if (fastMath)
      populateAxonFastMathPatterns(set);
    // Canonicalization runs alongside: composed transposes and folded
    // identities expose more fusions.
    for (RegisteredOperationName op : context->getRegisteredOperations())
      if (op.getDialect().getNamespace() == AxonDialect::getDialectNamespace())
        op.getCanonicalizationPatterns(set, context);
    patterns = std::make_shared<FrozenRewritePatternSet>(std::move(set));
    return success();
  }

  void runOnOperation() override {
    if (failed(applyPatternsGreedily(getOperation(), *patterns)))
      getOperation().emitWarning("axon-fuse did not converge");
  }

  std::shared_ptr<FrozenRewritePatternSet> patterns;
};

} // namespace
