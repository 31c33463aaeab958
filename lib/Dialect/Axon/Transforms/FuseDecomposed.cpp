//===- FuseDecomposed.cpp - Exporters' decomposed ops back to single ops --===//
//
// Layer norm, RMS norm, GELU and softmax arrive from exporters as chains of
// elementwise ops and reductions. Each pattern matches one chain from its last
// op backwards, checks that every intermediate it removes is used only inside
// the chain, and replaces the chain with the single op.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include <cmath>

using namespace mlir;

namespace axon {
namespace {

/// reduce_mean(v, axes, keep_dims) with `v` as input, or null.
ReduceMeanOp keptMeanOf(Value value) {
  auto mean = value.getDefiningOp<ReduceMeanOp>();
  return mean && mean.getKeepDims() ? mean : ReduceMeanOp();
}

/// Whether `sq` is d*d or pow(d, 2); returns the op.
Operation *squareOf(Value sq, Value d) {
  if (auto mul = sq.getDefiningOp<MulOp>())
    return mul.getLhs() == d && mul.getRhs() == d ? mul.getOperation() : nullptr;
  if (auto pow = sq.getDefiningOp<PowOp>())
    return pow.getLhs() == d && isSplatNear(pow.getRhs(), 2.0) ? pow.getOperation()
                                                              : nullptr;
  return nullptr;
}

/// The pieces of `sqrt(mean(sq) + eps)` (or of its rsqrt) over `axes`.
struct RootOfMean {
  ReduceMeanOp mean;
  AddOp addEps;
  double eps;
};

/// Matches `add(mean, eps)` where mean = reduce_mean(sq, keep_dims).
std::optional<RootOfMean> matchMeanPlusEps(Value value) {
  auto add = value.getDefiningOp<AddOp>();
  if (!add)
    return std::nullopt;
  auto m = matchEither<ReduceMeanOp>(add.getLhs(), add.getRhs());
  if (!m || !m->first.getKeepDims())
    return std::nullopt;
  std::optional<double> eps = getSplatValue(m->second);
  if (!eps || *eps < 0 || cast<RankedTensorType>(m->second.getType()).getNumElements() != 1)
    return std::nullopt;
  return RootOfMean{m->first, add, *eps};
}

/// `numer / sqrt(mean + eps)` or `numer * rsqrt(mean + eps)`: the numerator,
/// the root chain, and the sqrt/rsqrt op.
struct Normalized {
  Value numerator;
  RootOfMean root;
  Operation *sqrtOp;
};

std::optional<Normalized> matchNormalized(Operation *op) {
  if (auto div = dyn_cast<DivOp>(op)) {
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!sqrt)
      return std::nullopt;
    if (auto r = matchMeanPlusEps(sqrt.getInput()))
      return Normalized{div.getLhs(), *r, sqrt};
    return std::nullopt;
  }
  if (auto mul = dyn_cast<MulOp>(op)) {
    auto m = matchEither<RsqrtOp>(mul.getLhs(), mul.getRhs());
    if (!m)
      return std::nullopt;
    if (auto r = matchMeanPlusEps(m->first.getInput()))
      return Normalized{m->second, *r, m->first};
  }
  return std::nullopt;
}

/// (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) -> layer_norm(x).
template <typename RootOp>
struct FuseLayerNorm : OpRewritePattern<RootOp> {
  // Layer norm's last step is also an RMS norm of x - mean(x): try it first.
  explicit FuseLayerNorm(MLIRContext *ctx)
      : OpRewritePattern<RootOp>(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(RootOp root, PatternRewriter &rewriter) const override {
    std::optional<Normalized> n = matchNormalized(root);
    if (!n)
      return rewriter.notifyMatchFailure(root, "not x / sqrt(mean + eps)");
    auto centered = n->numerator.template getDefiningOp<SubOp>();
    if (!centered)
      return rewriter.notifyMatchFailure(root, "numerator is not x - mean");
    Value x = centered.getLhs();
    ReduceMeanOp mean = keptMeanOf(centered.getRhs());
    Operation *sq = squareOf(n->root.mean.getInput(), centered);
    if (!mean || mean.getInput() != x || !sq ||
        mean.getAxes() != n->root.mean.getAxes() || x.getType() != root.getType())
      return rewriter.notifyMatchFailure(root, "not a layer norm chain");
    // Every intermediate must be used only by the chain.
    Operation *rootOp = root;
    if (!usedOnlyBy(mean, {centered}) || !usedOnlyBy(centered, {sq, rootOp}) ||
        !usedOnlyBy(sq->getResult(0), {n->root.mean}) ||
        !usedOnlyBy(n->root.mean, {n->root.addEps}) ||
        !usedOnlyBy(n->root.addEps, {n->sqrtOp}) ||
        !usedOnlyBy(n->sqrtOp->getResult(0), {rootOp}))
      return rewriter.notifyMatchFailure(root, "an intermediate has other users");
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        root, root.getType(), x, /*scale=*/Value(), /*bias=*/Value(), mean.getAxesAttr(),
        rewriter.getF32FloatAttr(n->root.eps));
    return success();
  }
};

/// x / sqrt(mean(x^2) + eps) -> rms_norm(x).
template <typename RootOp>
struct FuseRmsNorm : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(RootOp root, PatternRewriter &rewriter) const override {
    std::optional<Normalized> n = matchNormalized(root);
    if (!n)
      return rewriter.notifyMatchFailure(root, "not x / sqrt(mean + eps)");
    Value x = n->numerator;
    Operation *sq = squareOf(n->root.mean.getInput(), x);
    if (!sq || x.getType() != root.getType())
      return rewriter.notifyMatchFailure(root, "not an RMS norm chain");
    Operation *rootOp = root;
    if (!usedOnlyBy(sq->getResult(0), {n->root.mean}) ||
        !usedOnlyBy(n->root.mean, {n->root.addEps}) ||
        !usedOnlyBy(n->root.addEps, {n->sqrtOp}) ||
        !usedOnlyBy(n->sqrtOp->getResult(0), {rootOp}))
      return rewriter.notifyMatchFailure(root, "an intermediate has other users");
    rewriter.replaceOpWithNewOp<RmsNormOp>(root, root.getType(), x, /*scale=*/Value(),
                                           n->root.mean.getAxesAttr(),
                                           rewriter.getF32FloatAttr(n->root.eps));
    return success();
  }
};

/// The parameter shape a norm over trailing `axes` of `type` needs, if the
/// axes are trailing (so that a broadcast operand lines up with them).
std::optional<SmallVector<int64_t>> trailingNormShape(RankedTensorType type,
                                                      ArrayRef<int64_t> axes) {
  int64_t rank = type.getRank(), k = axes.size();
  for (int64_t i = 0; i < k; ++i)
    if (axes[i] != rank - k + i)
      return std::nullopt;
  return SmallVector<int64_t>(type.getShape().take_back(k));
}

/// Whether `param` broadcast against a `[..., normShape]` result is exactly a
/// per-normalized-position parameter.
bool isNormParameter(Value param, ArrayRef<int64_t> normShape) {
  SmallVector<int64_t> shape =
      dropLeadingOnes(cast<RankedTensorType>(param.getType()).getShape());
  SmallVector<int64_t> want = dropLeadingOnes(normShape);
  return shape == want && !llvm::any_of(want, ShapedType::isDynamic);
}

/// norm(x) * gamma -> norm(x, scale = gamma), for layer_norm and rms_norm
/// without a scale (and, for layer norm, without a bias: (n + b) * g is not
/// n * g + b).
template <typename NormOp>
struct FuseNormScale : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    auto m = matchEither<NormOp>(mul.getLhs(), mul.getRhs());
    if (!m)
      return rewriter.notifyMatchFailure(mul, "no norm operand");
    auto [norm, gamma] = *m;
    bool hasBias = false;
    if constexpr (std::is_same_v<NormOp, LayerNormOp>)
      hasBias = static_cast<bool>(norm.getBias());
    auto normShape = trailingNormShape(norm.getType(), norm.getAxes());
    if (norm.getScale() || hasBias || !norm->hasOneUse() || !normShape ||
        mul.getType() != norm.getType() || !isNormParameter(gamma, *normShape))
      return rewriter.notifyMatchFailure(mul, "not a per-position scale of a bare norm");
    Value scale = reshapeTo(rewriter, mul.getLoc(), gamma, *normShape);
    auto fused = cast<NormOp>(rewriter.clone(*norm));
    fused.getScaleMutable().assign(scale);
    rewriter.replaceOp(mul, fused.getResult());
    rewriter.eraseOp(norm);
    return success();
  }
};

/// layer_norm(x, ...) + beta -> layer_norm(x, ..., bias = beta).
struct FuseLayerNormBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    auto m = matchEither<LayerNormOp>(add.getLhs(), add.getRhs());
    if (!m)
      return rewriter.notifyMatchFailure(add, "no layer norm operand");
    auto [norm, beta] = *m;
    auto normShape = trailingNormShape(norm.getType(), norm.getAxes());
    if (norm.getBias() || !norm->hasOneUse() || !normShape ||
        add.getType() != norm.getType() || !isNormParameter(beta, *normShape))
      return rewriter.notifyMatchFailure(add, "not a per-position bias of a norm");
    Value bias = reshapeTo(rewriter, add.getLoc(), beta, *normShape);
    auto fused = cast<LayerNormOp>(rewriter.clone(*norm));
    fused.getBiasMutable().assign(bias);
    rewriter.replaceOp(add, fused.getResult());
    rewriter.eraseOp(norm);
    return success();
  }
};

/// 0.5 * x * (1 + erf(x / sqrt(2)))  and
/// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))  -> gelu(x).
struct FuseGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  /// x / sqrt(2) or x * (1/sqrt(2)) over `x`.
  static bool isScaledForErf(Value v, Value x, Operation *&op) {
    op = v.getDefiningOp();
    if (auto div = v.getDefiningOp<DivOp>())
      return div.getLhs() == x && isSplatNear(div.getRhs(), M_SQRT2);
    if (auto mul = v.getDefiningOp<MulOp>()) {
      auto other = mul.getLhs() == x ? mul.getRhs() : mul.getRhs() == x ? mul.getLhs() : Value();
      return other && isSplatNear(other, M_SQRT1_2);
    }
    return false;
  }

  /// x^3 as pow(x, 3), x*(x*x) or (x*x)*x; collects the ops.
  static bool isCube(Value v, Value x, SmallVectorImpl<Operation *> &ops) {
    if (auto pow = v.getDefiningOp<PowOp>()) {
      ops.push_back(pow);
      return pow.getLhs() == x && isSplatNear(pow.getRhs(), 3.0);
    }
    SmallVector<Value> factors;
    SmallVector<Operation *> muls;
    auto mul = v.getDefiningOp<MulOp>();
    if (!mul)
      return false;
    collectProductFactors(mul, factors, muls);
    ops.append(muls.begin(), muls.end());
    return factors.size() == 3 && llvm::all_of(factors, [&](Value f) { return f == x; });
  }

  /// tanh(sqrt(2/pi) * (x + 0.044715 * x^3)) over `x`; collects the ops.
  static bool isTanhArgument(Value v, Value x, SmallVectorImpl<Operation *> &ops) {
    auto outer = v.getDefiningOp<MulOp>();
    if (!outer)
      return false;
    ops.push_back(outer);
    auto inner = matchEither<AddOp>(outer.getLhs(), outer.getRhs());
    if (!inner || !isSplatNear(inner->second, std::sqrt(2.0 / M_PI)))
      return false;
    AddOp sum = inner->first;
    ops.push_back(sum);
    Value cubic = sum.getLhs() == x ? sum.getRhs() : sum.getRhs() == x ? sum.getLhs() : Value();
    auto scaled = cubic ? cubic.getDefiningOp<MulOp>() : MulOp();
    if (!scaled)
      return false;
    ops.push_back(scaled);
    Value cube = isSplatNear(scaled.getLhs(), 0.044715)   ? scaled.getRhs()
                 : isSplatNear(scaled.getRhs(), 0.044715) ? scaled.getLhs()
                                                          : Value();
    return cube && isCube(cube, x, ops);
  }

  LogicalResult matchAndRewrite(MulOp root, PatternRewriter &rewriter) const override {
    SmallVector<Value> factors;
    SmallVector<Operation *> chain;
    collectProductFactors(root, factors, chain);
    if (factors.size() != 3)
      return rewriter.notifyMatchFailure(root, "not a product of three factors");
    // Find the 0.5 and the (1 + f(x)) factor; the remaining one is x.
    auto half = llvm::find_if(factors, [](Value f) { return isSplatNear(f, 0.5); });
    if (half == factors.end())
      return rewriter.notifyMatchFailure(root, "no 0.5 factor");
    for (Value candidate : factors) {
      auto onePlus = candidate.getDefiningOp<AddOp>();
      if (!onePlus || candidate == *half)
        continue;
      auto inner = matchEither<ErfOp>(onePlus.getLhs(), onePlus.getRhs());
      auto innerTanh = matchEither<TanhOp>(onePlus.getLhs(), onePlus.getRhs());
      Value other = inner ? inner->second : innerTanh ? innerTanh->second : Value();
      if (!other || !isSplatNear(other, 1.0))
        continue;
      Value x;
      for (Value f : factors)
        if (f != *half && f != candidate)
          x = f;
      if (!x || x.getType() != root.getType())
        continue;
      SmallVector<Operation *> ops(chain.begin(), chain.end());
      ops.push_back(onePlus);
      GeluApproximation approx;
      if (inner) {
        Operation *scaleOp;
        if (!isScaledForErf(inner->first.getInput(), x, scaleOp))
          continue;
        ops.append({inner->first, scaleOp});
        approx = GeluApproximation::none;
      } else {
        if (!isTanhArgument(innerTanh->first.getInput(), x, ops))
          continue;
        ops.push_back(innerTanh->first);
        approx = GeluApproximation::tanh;
      }
      // Everything but the root must feed only the chain.
      bool contained = llvm::all_of(ops, [&](Operation *op) {
        return op == root || llvm::all_of(op->getUsers(), [&](Operation *user) {
                 return llvm::is_contained(ops, user);
               });
      });
      if (!contained)
        return rewriter.notifyMatchFailure(root, "an intermediate has other users");
      rewriter.replaceOpWithNewOp<GeluOp>(root, root.getType(), x, approx);
      return success();
    }
    return rewriter.notifyMatchFailure(root, "not a GELU product");
  }
};

/// exp(x - max(x)) / sum(exp(x - max(x))) over one axis -> softmax(x). The
/// max-free form exp(x) / sum(exp(x)) overflows where softmax does not, so it
/// is rewritten only with fast-math.
struct FuseSoftmax : OpRewritePattern<DivOp> {
  FuseSoftmax(MLIRContext *ctx, bool allowUnshifted)
      : OpRewritePattern(ctx), allowUnshifted(allowUnshifted) {}

  LogicalResult matchAndRewrite(DivOp div, PatternRewriter &rewriter) const override {
    auto exp = div.getLhs().getDefiningOp<ExpOp>();
    auto sum = div.getRhs().getDefiningOp<ReduceSumOp>();
    if (!exp || !sum || sum.getInput() != exp || !sum.getKeepDims() ||
        sum.getAxes().size() != 1 || div.getType() != exp.getType())
      return rewriter.notifyMatchFailure(div, "not exp / sum(exp) over one axis");
    int64_t axis = sum.getAxes()[0];
    Value x = exp.getInput();
    SmallVector<Operation *> removed = {exp, sum};
    if (auto sub = x.getDefiningOp<SubOp>()) {
      auto max = sub.getRhs().getDefiningOp<ReduceMaxOp>();
      if (max && max.getInput() == sub.getLhs() && max.getKeepDims() &&
          max.getAxes() == sum.getAxes() && sub.getType() == sub.getLhs().getType()) {
        if (!usedOnlyBy(max, {sub}) || !usedOnlyBy(sub, {exp}))
          return rewriter.notifyMatchFailure(div, "the shift has other users");
        x = sub.getLhs();
      } else if (!allowUnshifted) {
        return rewriter.notifyMatchFailure(div, "unshifted softmax needs fast-math");
      }
    } else if (!allowUnshifted) {
      return rewriter.notifyMatchFailure(div, "unshifted softmax needs fast-math");
    }
    Operation *divOp = div;
    if (!usedOnlyBy(exp, {sum, divOp}) || !usedOnlyBy(sum, {divOp}))
      return rewriter.notifyMatchFailure(div, "exp or sum has other users");
    rewriter.replaceOpWithNewOp<SoftmaxOp>(div, div.getType(), x,
                                           rewriter.getI64IntegerAttr(axis));
    return success();
  }

  bool allowUnshifted;
};

} // namespace

void populateDecomposedFusionPatterns(RewritePatternSet &patterns, bool fastMath) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<FuseLayerNorm<DivOp>, FuseLayerNorm<MulOp>, FuseRmsNorm<DivOp>,
               FuseRmsNorm<MulOp>, FuseNormScale<LayerNormOp>,
               FuseNormScale<RmsNormOp>, FuseLayerNormBias, FuseGelu>(ctx);
  patterns.add<FuseSoftmax>(ctx, fastMath);
}

} // namespace axon
