//===- FastMath.cpp - Rewrites that may change results --------------------===//
//
// Only axon-fuse{fast-math=true} applies these; each one's difference is
// stated with it.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

using namespace mlir;

namespace axon {
namespace {

/// x * 0 -> 0. Differs when x is NaN or +-Inf (the product is NaN) and in the
/// sign of a zero result.
struct MulByZero : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    RankedTensorType type = mul.getType();
    std::optional<double> l = getSplatValue(mul.getLhs()), r = getSplatValue(mul.getRhs());
    if (!(l && *l == 0) && !(r && *r == 0))
      return rewriter.notifyMatchFailure(mul, "no zero factor");
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(mul, "dynamic result shape");
    Type elem = type.getElementType();
    Attribute zero = isa<FloatType>(elem) ? Attribute(rewriter.getFloatAttr(elem, 0.0))
                                          : Attribute(rewriter.getIntegerAttr(elem, 0));
    rewriter.replaceOpWithNewOp<ConstantOp>(mul, DenseElementsAttr::get(type, zero));
    return success();
  }
};

/// x + 0.0 -> x. Differs for x = -0.0 (the sum is +0.0).
struct AddPositiveZero : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    for (auto [x, other] : {std::make_pair(add.getLhs(), add.getRhs()),
                            std::make_pair(add.getRhs(), add.getLhs())}) {
      std::optional<double> v = getSplatValue(other);
      if (v && *v == 0 && x.getType() == add.getType()) {
        rewriter.replaceOp(add, x);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(add, "no zero operand of the result type");
  }
};

} // namespace

void populateAxonFastMathPatterns(RewritePatternSet &patterns) {
  patterns.add<MulByZero, AddPositiveZero>(patterns.getContext());
}

} // namespace axon
