//===- FuseAttention.cpp - Scaled dot-product attention -------------------===//

#include "FusionUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace axon {
namespace {

/// Whether `mm` is a plain matmul (no epilogue).
bool isPlain(MatmulOp mm) {
  return mm && !mm.getBias() && mm.getActivation() == Activation::none;
}

/// softmax(q·kᵀ [· scale | / d] [+ mask | select(mask, ·, -inf)]) · v
///   -> attention(q, k, v, mask, scale).
/// The key transpose is already a matmul flag (FoldTransposeIntoMatmul), and
/// head-layout reshapes/transposes stay outside the attention op.
struct FuseAttention : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp pv, PatternRewriter &rewriter) const override {
    if (!isPlain(pv) || pv.getTransposeLhs() || pv.getTransposeRhs())
      return rewriter.notifyMatchFailure(pv, "not a plain probs x value matmul");
    auto softmax = pv.getLhs().getDefiningOp<SoftmaxOp>();
    if (!softmax ||
        static_cast<int64_t>(softmax.getAxis()) != softmax.getType().getRank() - 1 ||
        !softmax->hasOneUse())
      return rewriter.notifyMatchFailure(pv, "lhs is not a last-axis softmax");
    SmallVector<Operation *> chain = {softmax};
    Value scores = softmax.getInput();

    // Optional mask.
    Value mask;
    if (auto add = scores.getDefiningOp<AddOp>()) {
      Value lhs = add.getLhs(), rhs = add.getRhs();
      // The scores side is the one produced by the matmul or by its scaling.
      auto isScoresSide = [](Value v) {
        return v.getDefiningOp<MatmulOp>() || v.getDefiningOp<MulOp>() ||
               v.getDefiningOp<DivOp>();
      };
      if (isScoresSide(lhs) && !isScoresSide(rhs)) {
        scores = lhs;
        mask = rhs;
      } else if (isScoresSide(rhs) && !isScoresSide(lhs)) {
        scores = rhs;
        mask = lhs;
      } else {
        return rewriter.notifyMatchFailure(pv, "cannot tell scores from mask");
      }
      if (add.getType() != scores.getType())
        return rewriter.notifyMatchFailure(pv, "the mask broadcasts the scores");
      chain.push_back(add);
    } else if (auto select = scores.getDefiningOp<SelectOp>()) {
      std::optional<double> fill = getSplatValue(select.getFalseValue());
      if (!fill || !std::isinf(*fill) || *fill > 0 ||
          select.getType() != select.getTrueValue().getType())
        return rewriter.notifyMatchFailure(pv, "select does not mask with -inf");
      mask = select.getCondition();
      scores = select.getTrueValue();
      chain.push_back(select);
    }

    // Optional scale.
    std::optional<double> scale;
    if (auto mul = scores.getDefiningOp<MulOp>()) {
      auto m = matchEither<MatmulOp>(mul.getLhs(), mul.getRhs());
      if (!m || !(scale = getSplatValue(m->second)) ||
          mul.getType() != m->first.getType())
        return rewriter.notifyMatchFailure(pv, "scores are not scaled by a splat");
      chain.push_back(mul);
      scores = m->first;
    } else if (auto div = scores.getDefiningOp<DivOp>()) {
      std::optional<double> d = getSplatValue(div.getRhs());
      if (!d || *d == 0 || div.getType() != div.getLhs().getType())
        return rewriter.notifyMatchFailure(pv, "scores are not divided by a splat");
      scale = 1.0 / *d;
      chain.push_back(div);
      scores = div.getLhs();
    }

    auto qk = scores.getDefiningOp<MatmulOp>();
    if (!isPlain(qk) || qk.getTransposeLhs() || !qk.getTransposeRhs())
      return rewriter.notifyMatchFailure(pv, "scores are not q x k^T");
    chain.push_back(qk);
    Value q = qk.getLhs(), k = qk.getRhs(), v = pv.getRhs();
    int64_t rank = cast<RankedTensorType>(q.getType()).getRank();
    if (cast<RankedTensorType>(k.getType()).getRank() != rank ||
        cast<RankedTensorType>(v.getType()).getRank() != rank)
      return rewriter.notifyMatchFailure(pv, "q, k and v differ in rank");
    if (scale && !(*scale > 0))
      return rewriter.notifyMatchFailure(pv, "scale is not positive");
    // Each removed op feeds only the next one in the chain.
    for (size_t i = 0; i < chain.size(); ++i) {
      Operation *user = i == 0 ? pv.getOperation() : chain[i - 1];
      if (!usedOnlyBy(chain[i]->getResult(0), {user}))
        return rewriter.notifyMatchFailure(pv, "an intermediate has other users");
    }
    // Without a scale op the scores are unscaled: say so explicitly, since
    // the attention default is 1/sqrt(D).
    FloatAttr scaleAttr = rewriter.getF64FloatAttr(scale.value_or(1.0));
    auto attention = AttentionOp::create(rewriter, pv.getLoc(), pv.getType(), q, k, v,
                                         mask, scaleAttr, /*causal=*/false);
    if (attention.getType() != pv.getType()) {
      rewriter.eraseOp(attention);
      return rewriter.notifyMatchFailure(pv, "attention would infer another type");
    }
    rewriter.replaceOp(pv, attention.getResult());
    return success();
  }
};

/// The float values of a constant: dense, or a resource blob (how the ONNX
/// importer keeps large initializers). Empty when neither.
SmallVector<APFloat> floatValues(ElementsAttr attr, FloatType type) {
  SmallVector<APFloat> values;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    llvm::append_range(values, dense.getValues<APFloat>());
    return values;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob)
    return values;
  ArrayRef<char> raw = blob->getData();
  unsigned bytes = type.getWidth() / 8;
  if (raw.size() != size_t(attr.getNumElements()) * bytes)
    return {};
  for (size_t at = 0; at < raw.size(); at += bytes) {
    uint64_t bits = 0;
    std::memcpy(&bits, raw.data() + at, bytes); // little-endian hosts
    values.emplace_back(type.getFloatSemantics(), APInt(type.getWidth(), bits));
  }
  return values;
}

/// Whether `mask` is a constant [1..., Lq, Lk] that is -inf exactly where
/// key j > query i and 0 elsewhere (what a causal model exports).
bool isCausalMask(Value mask) {
  auto constant = mask.getDefiningOp<ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(mask.getType());
  if (!constant || !type || type.getRank() < 2 || !isa<FloatType>(type.getElementType()) ||
      !llvm::all_of(type.getShape().drop_back(2), [](int64_t d) { return d == 1; }))
    return false;
  SmallVector<APFloat> values =
      floatValues(constant.getValue(), cast<FloatType>(type.getElementType()));
  int64_t lk = type.getShape().back();
  if (int64_t(values.size()) != type.getNumElements())
    return false;
  for (auto [at, value] : llvm::enumerate(values)) {
    int64_t i = int64_t(at) / lk, j = int64_t(at) % lk;
    bool masked = value.isInfinity() && value.isNegative();
    if (j > i ? !masked : !value.isZero())
      return false;
  }
  return true;
}

/// attention(mask = causal constant) -> attention causal: kernels can skip
/// the masked half instead of reading and adding a mask.
struct CausalMaskAsAttribute : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op, PatternRewriter &rewriter) const override {
    if (op.getCausal() || !op.getMask() || !isCausalMask(op.getMask()))
      return rewriter.notifyMatchFailure(op, "no causal constant mask");
    auto causal = AttentionOp::create(rewriter, op.getLoc(), op.getType(), op.getQuery(),
                                      op.getKey(), op.getValue(), Value(), op.getScaleAttr(),
                                      /*causal=*/true);
    rewriter.replaceOp(op, causal.getResult());
    return success();
  }
};

} // namespace

void populateAttentionFusionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseAttention, CausalMaskAsAttribute>(patterns.getContext());
}

} // namespace axon
