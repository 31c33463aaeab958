//===- FuseEpilogues.cpp - Bias, activation and transpose into matmul/conv ===//

#include "FusionUtils.h"

using namespace mlir;

namespace axon {
namespace {

/// Whether `op` (matmul or conv) has no epilogue yet and only one user, so
/// that rewriting it cannot duplicate work.
template <typename OpTy> bool isBareProducer(OpTy op) {
  return op && !op.getBias() && op.getActivation() == Activation::none &&
         op->hasOneUse();
}

/// Replaces `add` by a copy of `producer` (placed at the add, where the bias
/// is available) that takes `bias`; the producer had no other user.
template <typename OpTy>
void replaceWithBias(PatternRewriter &rewriter, OpTy producer, AddOp add, Value bias) {
  rewriter.setInsertionPoint(add);
  auto fused = cast<OpTy>(rewriter.clone(*producer));
  fused.getBiasMutable().assign(bias);
  rewriter.replaceOp(add, fused.getResult());
  rewriter.eraseOp(producer);
}

/// matmul(a, b) + bias -> matmul(a, b, bias), for a bias that runs along the
/// last dim ([N], or [1, ..., 1, N]) and does not broadcast the result.
struct FuseMatmulBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    auto match = matchEither<MatmulOp>(add.getLhs(), add.getRhs());
    if (!match || !isBareProducer(match->first))
      return rewriter.notifyMatchFailure(add, "no bare single-use matmul operand");
    auto [mm, bias] = *match;
    RankedTensorType type = mm.getType();
    auto biasType = cast<RankedTensorType>(bias.getType());
    SmallVector<int64_t> biasShape = dropLeadingOnes(biasType.getShape());
    int64_t n = type.getShape().back();
    if (add.getType() != type || biasShape.size() > 1 ||
        (biasShape.size() == 1 && biasShape[0] != n) || ShapedType::isDynamic(n))
      return rewriter.notifyMatchFailure(add, "bias does not run along the last dim");
    Value bias1d = biasShape.empty()
                       ? BroadcastToOp::create(rewriter, add.getLoc(),
                                               RankedTensorType::get({n}, type.getElementType()),
                                               reshapeTo(rewriter, add.getLoc(), bias, {}))
                             .getResult()
                       : reshapeTo(rewriter, add.getLoc(), bias, {n});
    replaceWithBias(rewriter, mm, add, bias1d);
    return success();
  }
};

/// conv2d(x, w) + bias -> conv2d(x, w, bias), for a bias of shape [F, 1, 1]
/// or [1, F, 1, 1] (per output channel).
struct FuseConvBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    auto match = matchEither<Conv2dOp>(add.getLhs(), add.getRhs());
    if (!match || !isBareProducer(match->first))
      return rewriter.notifyMatchFailure(add, "no bare single-use conv operand");
    auto [conv, bias] = *match;
    auto biasType = cast<RankedTensorType>(bias.getType());
    SmallVector<int64_t> shape = dropLeadingOnes(biasType.getShape());
    int64_t f = conv.getType().getDimSize(1);
    if (add.getType() != conv.getType() || shape != SmallVector<int64_t>{f, 1, 1} ||
        ShapedType::isDynamic(f))
      return rewriter.notifyMatchFailure(add, "bias is not per output channel");
    replaceWithBias(rewriter, conv, add, reshapeTo(rewriter, add.getLoc(), bias, {f}));
    return success();
  }
};

/// An activation op applied to a matmul or conv without one becomes its
/// epilogue.
template <typename ActOp>
struct FuseActivation : OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  static std::optional<Activation> activationOf(ActOp op) {
    if constexpr (std::is_same_v<ActOp, GeluOp>)
      return op.getApproximate() == GeluApproximation::none ? Activation::gelu
                                                            : Activation::gelu_tanh;
    if constexpr (std::is_same_v<ActOp, ReluOp>)
      return Activation::relu;
    if constexpr (std::is_same_v<ActOp, SigmoidOp>)
      return Activation::sigmoid;
    if constexpr (std::is_same_v<ActOp, TanhOp>)
      return Activation::tanh;
    if constexpr (std::is_same_v<ActOp, SiluOp>)
      return Activation::silu;
    if constexpr (std::is_same_v<ActOp, ClipOp>)
      return Activation::clip;
    return std::nullopt;
  }

  template <typename ProducerOp>
  LogicalResult fuseInto(ProducerOp producer, ActOp act, PatternRewriter &rewriter) const {
    if (!producer || producer.getActivation() != Activation::none || !producer->hasOneUse())
      return failure();
    Activation activation = *activationOf(act);
    bool isFloat = isa<FloatType>(producer.getType().getElementType());
    if (!isFloat && activation != Activation::relu && activation != Activation::clip)
      return failure();
    rewriter.modifyOpInPlace(producer, [&] {
      producer.setActivation(activation);
      if constexpr (std::is_same_v<ActOp, ClipOp>) {
        producer.setClipMinAttr(act.getMinAttr());
        producer.setClipMaxAttr(act.getMaxAttr());
      }
    });
    rewriter.replaceOp(act, producer.getResult());
    return success();
  }

  LogicalResult matchAndRewrite(ActOp act, PatternRewriter &rewriter) const override {
    if constexpr (std::is_same_v<ActOp, ClipOp>)
      if (!act.getMin() && !act.getMax())
        return rewriter.notifyMatchFailure(act, "a clip without bounds folds away");
    Value input = act->getOperand(0);
    if (succeeded(fuseInto(input.getDefiningOp<MatmulOp>(), act, rewriter)) ||
        succeeded(fuseInto(input.getDefiningOp<Conv2dOp>(), act, rewriter)))
      return success();
    return rewriter.notifyMatchFailure(act, "input is no bare single-use matmul or conv");
  }
};

/// matmul(transpose(x, p), y) with p swapping the last two dims (after
/// anything else) -> matmul(transpose(x, p'), y) with the flag toggled, where
/// p' keeps the last two in order; the transpose disappears when p' is the
/// identity. Applied only when the last two of p are in decreasing order, so
/// it cannot loop, and only when it does not duplicate a shared transpose.
struct FoldTransposeIntoMatmul : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  static std::optional<Value> absorb(PatternRewriter &rewriter, Value operand) {
    auto t = operand.getDefiningOp<TransposeOp>();
    if (!t)
      return std::nullopt;
    SmallVector<int64_t> perm(t.getPerm());
    int64_t r = perm.size();
    if (r < 2 || perm[r - 1] > perm[r - 2])
      return std::nullopt;
    std::swap(perm[r - 1], perm[r - 2]);
    bool identity = llvm::equal(perm, llvm::seq<int64_t>(0, r));
    if (identity)
      return t.getInput();
    if (!t->hasOneUse())
      return std::nullopt;
    return TransposeOp::create(rewriter, t.getLoc(), t.getInput(),
                               rewriter.getDenseI64ArrayAttr(perm))
        .getResult();
  }

  LogicalResult matchAndRewrite(MatmulOp mm, PatternRewriter &rewriter) const override {
    std::optional<Value> lhs = absorb(rewriter, mm.getLhs());
    std::optional<Value> rhs = absorb(rewriter, mm.getRhs());
    if (!lhs && !rhs)
      return rewriter.notifyMatchFailure(mm, "no operand is a last-dims transpose");
    rewriter.modifyOpInPlace(mm, [&] {
      if (lhs) {
        mm.getLhsMutable().assign(*lhs);
        mm.setTransposeLhs(!mm.getTransposeLhs());
      }
      if (rhs) {
        mm.getRhsMutable().assign(*rhs);
        mm.setTransposeRhs(!mm.getTransposeRhs());
      }
    });
    return success();
  }
};

} // namespace

void populateEpilogueFusionPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<FuseMatmulBias, FuseConvBias, FoldTransposeIntoMatmul,
               FuseActivation<ReluOp>, FuseActivation<GeluOp>,
               FuseActivation<SigmoidOp>, FuseActivation<TanhOp>,
               FuseActivation<SiluOp>, FuseActivation<ClipOp>>(ctx);
}

} // namespace axon
