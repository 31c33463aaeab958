//===- AxonFolders.cpp - Folding and canonicalization of axon ops ---------===//
//
// Folders evaluate ops on constants (see ConstantFolding.h) and remove
// identities that hold bit for bit. Rewrites that could change a result
// (x * 0 with NaN or Inf inputs, x + 0.0 with x = -0.0) are not here: they
// live behind axon-fuse's fast-math option. Folded values follow the lowering's
// semantics exactly (NaN-propagating max/min, truncating casts), so folding
// never changes what a program computes.
//
//===----------------------------------------------------------------------===//

#include "axon/Dialect/Axon/Utils/IntegerBounds.h"
#include "ConstantFolding.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APSInt.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace axon;

namespace {

bool isFloatType(Type t) { return isa<FloatType>(t); }

double toDouble(const APFloat &x) {
  APFloat copy = x;
  bool lost;
  copy.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return copy.convertToDouble();
}

/// A unary float function evaluated in double and rounded once.
template <typename Fn> OpFoldResult foldUnaryMath(Attribute input, Type type, Fn fn) {
  return foldFloats(input, cast<RankedTensorType>(type),
                    [&](ArrayRef<APFloat> x) -> std::optional<APFloat> {
                      return viaDouble(x[0], fn(toDouble(x[0])));
                    });
}

double gelu(double x, bool tanhForm) {
  if (!tanhForm)
    return 0.5 * x * (1 + std::erf(x * M_SQRT1_2));
  return 0.5 * x *
         (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
}
double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

/// Returns `value` if it has the result's type (identities must not change
/// the type through broadcasting).
OpFoldResult sameType(Value value, Type resultType) {
  return value.getType() == resultType ? OpFoldResult(value) : OpFoldResult();
}

/// x + 0 and 0 + x: integer 0, or float -0.0 (x + +0.0 turns -0.0 into +0.0).
bool isAdditiveIdentity(Attribute attr, Type elem) {
  return isFloatType(elem) ? isSplatOf(attr, -0.0) : isSplatOf(attr, 0.0);
}

} // namespace

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

/// Folds a binary op: float and integer evaluators (null = not foldable).
template <typename OpTy>
static OpFoldResult foldBinary(OpTy op, ArrayRef<Attribute> operands,
                               llvm::function_ref<std::optional<APFloat>(const APFloat &, const APFloat &)> f,
                               llvm::function_ref<std::optional<APInt>(const APInt &, const APInt &)> i) {
  RankedTensorType type = op.getType();
  if (isFloatType(type.getElementType())) {
    if (!f)
      return {};
    return foldFloats(operands, type, [&](ArrayRef<APFloat> a) { return f(a[0], a[1]); });
  }
  if (!i)
    return {};
  return foldInts(operands, type, [&](ArrayRef<APInt> a) { return i(a[0], a[1]); });
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  Type elem = getType().getElementType();
  if (isAdditiveIdentity(adaptor.getRhs(), elem))
    if (OpFoldResult r = sameType(getLhs(), getType()))
      return r;
  if (isAdditiveIdentity(adaptor.getLhs(), elem))
    if (OpFoldResult r = sameType(getRhs(), getType()))
      return r;
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a + b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  // x - (+0.0) == x for every x, -0.0 included.
  if (isSplatOf(adaptor.getRhs(), 0.0))
    if (OpFoldResult r = sameType(getLhs(), getType()))
      return r;
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a - b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult r = sameType(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 1.0))
    if (OpFoldResult r = sameType(getRhs(), getType()))
      return r;
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a * b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult r = sameType(getLhs(), getType()))
      return r;
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a / b; },
      // Axon defines x / 0 = 0 and INT_MIN / -1 = INT_MIN (as the lowering).
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        if (b.isZero())
          return APInt::getZero(a.getBitWidth());
        bool overflow = false;
        APInt q = a.sdiv_ov(b, overflow);
        return overflow ? a : q;
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return viaDouble(a, std::pow(toDouble(a), toDouble(b)));
      },
      nullptr);
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return llvm::APIntOps::smax(a, b);
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return llvm::APIntOps::smin(a, b);
      });
}

OpFoldResult CmpOp::fold(FoldAdaptor adaptor) {
  CmpPredicate pred = getPredicate();
  Builder b(getContext());
  return foldMixed(adaptor.getOperands(), getType(), [&](ArrayRef<Attribute> a) -> Attribute {
    bool result = false;
    if (auto lf = dyn_cast<FloatAttr>(a[0])) {
      APFloat::cmpResult c = lf.getValue().compare(cast<FloatAttr>(a[1]).getValue());
      bool unordered = c == APFloat::cmpUnordered;
      switch (pred) {
      case CmpPredicate::eq: result = c == APFloat::cmpEqual; break;
      case CmpPredicate::ne: result = unordered || c != APFloat::cmpEqual; break;
      case CmpPredicate::lt: result = c == APFloat::cmpLessThan; break;
      case CmpPredicate::le: result = c == APFloat::cmpLessThan || c == APFloat::cmpEqual; break;
      case CmpPredicate::gt: result = c == APFloat::cmpGreaterThan; break;
      case CmpPredicate::ge: result = c == APFloat::cmpGreaterThan || c == APFloat::cmpEqual; break;
      }
    } else {
      APInt l = cast<IntegerAttr>(a[0]).getValue(), r = cast<IntegerAttr>(a[1]).getValue();
      bool isBool = l.getBitWidth() == 1;
      switch (pred) {
      case CmpPredicate::eq: result = l == r; break;
      case CmpPredicate::ne: result = l != r; break;
      case CmpPredicate::lt: result = isBool ? l.ult(r) : l.slt(r); break;
      case CmpPredicate::le: result = isBool ? l.ule(r) : l.sle(r); break;
      case CmpPredicate::gt: result = isBool ? l.ugt(r) : l.sgt(r); break;
      case CmpPredicate::ge: result = isBool ? l.uge(r) : l.sge(r); break;
      }
    }
    return b.getBoolAttr(result);
  });
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  // select(c, x, x) -> x.
  if (getTrueValue() == getFalseValue())
    if (OpFoldResult r = sameType(getTrueValue(), getType()))
      return r;
  return foldMixed(adaptor.getOperands(), getType(), [](ArrayRef<Attribute> a) {
    return cast<IntegerAttr>(a[0]).getValue().isOne() ? a[1] : a[2];
  });
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  if (isFloatType(getType().getElementType()))
    return foldFloats(adaptor.getInput(), getType(),
                      [](ArrayRef<APFloat> x) -> std::optional<APFloat> { return -x[0]; });
  return foldInts(adaptor.getInput(), getType(),
                  [](ArrayRef<APInt> x) -> std::optional<APInt> { return -x[0]; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (isFloatType(getType().getElementType()))
    return foldFloats(adaptor.getInput(), getType(),
                      [](ArrayRef<APFloat> x) -> std::optional<APFloat> { return abs(x[0]); });
  return foldInts(adaptor.getInput(), getType(),
                  [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0].abs(); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  if (isFloatType(getType().getElementType()))
    return foldFloats(adaptor.getInput(), getType(),
                      [](ArrayRef<APFloat> x) -> std::optional<APFloat> {
                        return llvm::maximum(x[0], APFloat::getZero(x[0].getSemantics()));
                      });
  return foldInts(adaptor.getInput(), getType(),
                  [](ArrayRef<APInt> x) -> std::optional<APInt> {
                    return x[0].isNegative() ? APInt::getZero(x[0].getBitWidth()) : x[0];
                  });
}

#define AXON_FOLD_MATH(OP, EXPR)                                               \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldUnaryMath(adaptor.getInput(), getType(),                        \
                         [](double x) { return EXPR; });                       \
  }
AXON_FOLD_MATH(ExpOp, std::exp(x))
AXON_FOLD_MATH(LogOp, std::log(x))
AXON_FOLD_MATH(SqrtOp, std::sqrt(x))
AXON_FOLD_MATH(RsqrtOp, 1 / std::sqrt(x))
AXON_FOLD_MATH(TanhOp, std::tanh(x))
AXON_FOLD_MATH(ErfOp, std::erf(x))
AXON_FOLD_MATH(SigmoidOp, sigmoid(x))
AXON_FOLD_MATH(SiluOp, x * sigmoid(x))
AXON_FOLD_MATH(SinOp, std::sin(x))
AXON_FOLD_MATH(CosOp, std::cos(x))
AXON_FOLD_MATH(TanOp, std::tan(x))
AXON_FOLD_MATH(AsinOp, std::asin(x))
AXON_FOLD_MATH(AcosOp, std::acos(x))
AXON_FOLD_MATH(AtanOp, std::atan(x))
AXON_FOLD_MATH(SinhOp, std::sinh(x))
AXON_FOLD_MATH(CoshOp, std::cosh(x))
AXON_FOLD_MATH(AsinhOp, std::asinh(x))
AXON_FOLD_MATH(AcoshOp, std::acosh(x))
AXON_FOLD_MATH(AtanhOp, std::atanh(x))
AXON_FOLD_MATH(FloorOp, std::floor(x))
AXON_FOLD_MATH(CeilOp, std::ceil(x))
AXON_FOLD_MATH(RoundOp, std::nearbyint(x))
#undef AXON_FOLD_MATH

OpFoldResult GeluOp::fold(FoldAdaptor adaptor) {
  bool tanhForm = getApproximate() == GeluApproximation::tanh;
  return foldUnaryMath(adaptor.getInput(), getType(),
                       [&](double x) { return gelu(x, tanhForm); });
}

OpFoldResult ClipOp::fold(FoldAdaptor adaptor) {
  std::optional<APFloat> lo = getMin(), hi = getMax();
  if (!lo && !hi)
    return getInput();
  if (isFloatType(getType().getElementType()))
    return foldFloats(adaptor.getInput(), getType(),
                      [&](ArrayRef<APFloat> x) -> std::optional<APFloat> {
                        APFloat v = x[0];
                        if (lo)
                          v = llvm::maximum(v, viaDouble(v, lo->convertToDouble()));
                        if (hi)
                          v = llvm::minimum(v, viaDouble(v, hi->convertToDouble()));
                        return v;
                      });
  return foldInts(adaptor.getInput(), getType(),
                  [&](ArrayRef<APInt> x) -> std::optional<APInt> {
                    unsigned width = x[0].getBitWidth();
                    int64_t v = width == 1 ? x[0].getZExtValue() : x[0].getSExtValue();
                    if (lo)
                      v = std::max(v, integerClipBound(lo->convertToDouble(), width, true));
                    if (hi)
                      v = std::min(v, integerClipBound(hi->convertToDouble(), width, false));
                    return APInt(width, static_cast<uint64_t>(v), /*isSigned=*/width > 1,
                                 /*implicitTrunc=*/width == 1);
                  });
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  Type to = getType().getElementType();
  Builder b(getContext());
  return foldMixed(adaptor.getInput(), getType(), [&](ArrayRef<Attribute> a) -> Attribute {
    if (auto f = dyn_cast<FloatAttr>(a[0])) {
      APFloat v = f.getValue();
      if (to.isInteger(1))
        return b.getBoolAttr(!v.isZero());
      if (auto toFloat = dyn_cast<FloatType>(to)) {
        bool lost;
        v.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
        return b.getFloatAttr(to, v);
      }
      APSInt i(to.getIntOrFloatBitWidth(), /*isUnsigned=*/false);
      bool exact;
      if (v.convertToInteger(i, APFloat::rmTowardZero, &exact) & APFloat::opInvalidOp)
        return {}; // Out of range: undefined at run time, so left alone.
      return b.getIntegerAttr(to, i);
    }
    APInt v = cast<IntegerAttr>(a[0]).getValue();
    bool isBool = v.getBitWidth() == 1;
    if (to.isInteger(1))
      return b.getBoolAttr(!v.isZero());
    if (auto toFloat = dyn_cast<FloatType>(to)) {
      APFloat result(toFloat.getFloatSemantics());
      result.convertFromAPInt(v, /*IsSigned=*/!isBool, APFloat::rmNearestTiesToEven);
      return b.getFloatAttr(to, result);
    }
    return b.getIntegerAttr(to, isBool ? v.zext(to.getIntOrFloatBitWidth())
                                       : v.sextOrTrunc(to.getIntOrFloatBitWidth()));
  });
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reductions over nothing, or over size-1 dims they keep, return the input.
template <typename OpTy> static OpFoldResult foldTrivialReduction(OpTy op) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  bool unitOnly = llvm::all_of(op.getAxes(), [&](int64_t a) { return type.getDimSize(a) == 1; });
  if (op.getAxes().empty() || (unitOnly && op.getKeepDims()))
    return sameType(op.getInput(), op.getType());
  return {};
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor) { return foldTrivialReduction(*this); }
OpFoldResult ReduceMaxOp::fold(FoldAdaptor) { return foldTrivialReduction(*this); }
OpFoldResult ReduceMinOp::fold(FoldAdaptor) { return foldTrivialReduction(*this); }
OpFoldResult ReduceMeanOp::fold(FoldAdaptor) { return foldTrivialReduction(*this); }
OpFoldResult ReduceProdOp::fold(FoldAdaptor) { return foldTrivialReduction(*this); }

namespace {
/// A reduction over size-1 dims that drops them is a reshape.
template <typename OpTy>
struct UnitReductionToReshape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getInput().getType());
    RankedTensorType result = op.getType();
    if (op.getKeepDims() || op.getAxes().empty() || !result.hasStaticShape() ||
        !llvm::all_of(op.getAxes(), [&](int64_t a) { return type.getDimSize(a) == 1; }))
      return rewriter.notifyMatchFailure(op, "not a reduction over unit dims");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getInput(),
                                           rewriter.getDenseI64ArrayAttr(result.getShape()));
    return success();
  }
};
} // namespace

#define AXON_REDUCE_CANONICALIZE(OP)                                            \
  void OP::getCanonicalizationPatterns(RewritePatternSet &patterns,            \
                                       MLIRContext *context) {                 \
    patterns.add<UnitReductionToReshape<OP>>(context);                         \
  }
AXON_REDUCE_CANONICALIZE(ReduceSumOp)
AXON_REDUCE_CANONICALIZE(ReduceMaxOp)
AXON_REDUCE_CANONICALIZE(ReduceMinOp)
AXON_REDUCE_CANONICALIZE(ReduceMeanOp)
AXON_REDUCE_CANONICALIZE(ReduceProdOp)
#undef AXON_REDUCE_CANONICALIZE

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  auto source = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!source)
    return {};
  SmallVector<int64_t> strides = stridesOf(getInput().getType().getShape());
  return gatherElements(source, getType(), [&](ArrayRef<int64_t> index) {
    int64_t linear = 0;
    for (auto [i, p] : llvm::enumerate(perm))
      linear += index[i] * strides[p];
    return linear;
  });
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1[p2[i]]).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> composed;
    for (int64_t p : op.getPerm())
      composed.push_back(inner.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, inner.getInput(),
                                             rewriter.getDenseI64ArrayAttr(composed));
    return success();
  }
};

/// reshape(reshape(x)) -> reshape(x).
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op, PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    auto replacement = ReshapeOp::create(rewriter, op.getLoc(), inner.getInput(),
                                         op.getNewShapeAttr());
    if (replacement.getType() != op.getType()) {
      rewriter.eraseOp(replacement);
      return rewriter.notifyMatchFailure(op, "composed reshape infers another type");
    }
    rewriter.replaceOp(op, replacement);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposes>(context);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // The same type is the identity: a spec has at most one -1, whose size
  // the element count then fixes.
  if (getInput().getType() == getType() && getType().getNumDynamicDims() <= 1)
    return getInput();
  auto source = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!source || !withinFoldLimit(getType()))
    return {};
  return source.reshape(getType());
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposeReshapes>(context);
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto source = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!source || !getType().hasStaticShape())
    return {};
  RankedTensorType from = getInput().getType();
  SmallVector<int64_t> strides = stridesOf(from.getShape());
  int64_t offset = getType().getRank() - from.getRank();
  return gatherElements(source, getType(), [&](ArrayRef<int64_t> index) {
    int64_t linear = 0;
    for (int64_t d = 0; d < from.getRank(); ++d)
      if (from.getDimSize(d) != 1)
        linear += index[d + offset] * strides[d];
    return linear;
  });
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return sameType(getInputs()[0], getType());
  if (!getType().hasStaticShape())
    return {};
  SmallVector<DenseElementsAttr> sources;
  for (Attribute a : adaptor.getInputs()) {
    auto d = dyn_cast_or_null<DenseElementsAttr>(a);
    if (!d)
      return {};
    sources.push_back(d);
  }
  if (!withinFoldLimit(getType()))
    return {};
  // Gather from the concatenation of all sources' values.
  int64_t axis = getAxis();
  SmallVector<Attribute> all;
  SmallVector<int64_t> bases, starts;
  int64_t start = 0;
  for (DenseElementsAttr d : sources) {
    bases.push_back(all.size());
    starts.push_back(start);
    start += cast<RankedTensorType>(d.getType()).getDimSize(axis);
    for (int64_t i = 0, e = d.getNumElements(); i < e; ++i)
      all.push_back(d.isSplat() ? d.getSplatValue<Attribute>() : d.getValues<Attribute>()[i]);
  }
  auto flat = DenseElementsAttr::get(
      RankedTensorType::get({static_cast<int64_t>(all.size())}, getType().getElementType()), all);
  return gatherElements(flat, getType(), [&](ArrayRef<int64_t> index) {
    size_t k = llvm::upper_bound(starts, index[axis]) - starts.begin() - 1;
    auto shape = cast<RankedTensorType>(sources[k].getType()).getShape();
    SmallVector<int64_t> strides = stridesOf(shape);
    int64_t linear = 0;
    for (auto [d, i] : llvm::enumerate(index))
      linear += (static_cast<int64_t>(d) == axis ? i - starts[k] : i) * strides[d];
    return bases[k] + linear;
  });
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType from = getInput().getType();
  if (from == getType() && from.hasStaticShape() &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }) &&
      llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }))
    return getInput();
  auto source = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!source || !from.hasStaticShape())
    return {};
  SmallVector<int64_t> strides = stridesOf(from.getShape()), first;
  for (int64_t d = 0; d < from.getRank(); ++d) {
    int64_t n = from.getDimSize(d), s = getStarts()[d];
    if (s < 0)
      s = s < -n ? (getSteps()[d] > 0 ? 0 : -1) : s + n;
    first.push_back(getSteps()[d] > 0 ? std::min(s, n) : std::min(s, n - 1));
  }
  return gatherElements(source, getType(), [&](ArrayRef<int64_t> index) {
    int64_t linear = 0;
    for (auto [d, i] : llvm::enumerate(index))
      linear += (first[d] + i * getSteps()[d]) * strides[d];
    return linear;
  });
}
