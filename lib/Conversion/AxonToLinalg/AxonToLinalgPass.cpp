//===- AxonToLinalgPass.cpp - The convert-axon-to-linalg pass -------------===//

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/Transforms/Decompositions.h"
#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

namespace axon {
#define GEN_PASS_DEF_CONVERTAXONTOLINALG
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;
using namespace axon;

namespace {

/// The lowering family of an axon op.
LogicalResult lowerOne(RewriterBase &rewriter, Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<MatmulOp, Conv2dOp, MaxPool2dOp, AvgPool2dOp, GlobalAvgPoolOp>(
          [&](Operation *o) { return lowerStructuredOp(rewriter, o); })
      .Case<ReduceSumOp, ReduceMaxOp, ReduceMinOp, ReduceMeanOp, ReduceProdOp,
            ArgmaxOp, SoftmaxOp, LogSoftmaxOp, LayerNormOp, RmsNormOp,
            BatchNormOp>(
          [&](Operation *o) { return lowerReductionOp(rewriter, o); })
      .Case<TransposeOp, ReshapeOp, ConcatOp, SliceOp, GatherOp, PadOp>(
          [&](Operation *o) { return lowerShapeOp(rewriter, o); })
      .Default([&](Operation *o) { return lowerElementwiseOp(rewriter, o); });
}

struct ConvertAxonToLinalgPass
    : axon::impl::ConvertAxonToLinalgBase<ConvertAxonToLinalgPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Attention first becomes axon ops, which the loop below then lowers.
    if (failed(decomposeAllAttention(rewriter, getOperation())))
      return signalPassFailure();

    SmallVector<Operation *> worklist;
    getOperation().walk([&](Operation *op) {
      if (isa_and_nonnull<AxonDialect>(op->getDialect()))
        worklist.push_back(op);
    });
    for (Operation *op : worklist) {
      std::string name = op->getName().getStringRef().str();
      if (failed(lowerOne(rewriter, op))) {
        // Lowerings that fail explain why; this names any op without one.
        op->emitOpError() << "with types " << op->getOperandTypes() << " -> "
                          << op->getResultTypes()
                          << " has no lowering to linalg";
        return signalPassFailure();
      }
    }
  }
};

} // namespace
