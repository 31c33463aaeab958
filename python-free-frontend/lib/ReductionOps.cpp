//===- ReductionOps.cpp - ONNX reductions and arg-reductions --------------===//

#include "ImportContext.h"

#include <numeric>

#include <limits>

using namespace mlir;

namespace axon::onnx_frontend {
namespace {

/// The axes a reduction node names: the `axes` attribute, or from opset
/// `axesInputOpset` on the optional second input; none means all axes unless
/// noop_with_empty_axes. Normalized, sorted, unique.
FailureOr<SmallVector<int64_t>> reductionAxes(Node &n, int axesInputOpset, bool &noop) {
  int64_t rank = n.inputType(0).getRank();
  bool given;
  FailureOr<SmallVector<int64_t>> axes = readAxes(n, rank, axesInputOpset, given);
  if (failed(axes))
    return failure();
  noop = axes->empty() && n.intAttr("noop_with_empty_axes", 0) != 0;
  if (axes->empty() && !noop)
    for (int64_t d = 0; d < rank; ++d)
      axes->push_back(d);
  llvm::sort(*axes);
  axes->erase(std::unique(axes->begin(), axes->end()), axes->end());
  return axes;
}

/// A reduction with an optional elementwise prologue and epilogue, e.g.
/// ReduceL2 = sqrt(reduce_sum(x * x)).
template <typename ReduceOp, int AxesInputOpset>
LogicalResult reduce(Node &n, llvm::function_ref<Value(Value)> before = nullptr,
                     llvm::function_ref<Value(Value)> after = nullptr) {
  bool noop = false;
  FailureOr<SmallVector<int64_t>> axes = reductionAxes(n, AxesInputOpset, noop);
  if (failed(axes))
    return failure();
  Value x = n.input(0);
  if (before)
    x = before(x);
  Value y = n.create<ReduceOp>(x, n.b().getDenseI64ArrayAttr(*axes),
                             n.intAttr("keepdims", 1) != 0);
  if (after)
    y = after(y);
  n.setOutput(0, y);
  return success();
}

// ReduceSum took its axes as an input from opset 13; the others from 18.
template <typename ReduceOp> LogicalResult plain(Node &n) {
  return reduce<ReduceOp, std::is_same_v<ReduceOp, ReduceSumOp> ? 13 : 18>(n);
}

LogicalResult sumSquare(Node &n) {
  return reduce<ReduceSumOp, 18>(n, [&](Value x) -> Value {
    return n.create<MulOp>(x, x);
  });
}

LogicalResult l1(Node &n) {
  return reduce<ReduceSumOp, 18>(n, [&](Value x) -> Value {
    return n.create<AbsOp>(x);
  });
}

LogicalResult l2(Node &n) {
  return reduce<ReduceSumOp, 18>(
      n, [&](Value x) -> Value { return n.create<MulOp>(x, x); },
      [&](Value y) -> Value { return n.create<SqrtOp>(y); });
}

LogicalResult logSum(Node &n) {
  return reduce<ReduceSumOp, 18>(n, nullptr, [&](Value y) -> Value {
    return n.create<LogOp>(y);
  });
}

LogicalResult logSumExp(Node &n) {
  return reduce<ReduceSumOp, 18>(
      n, [&](Value x) -> Value { return n.create<ExpOp>(x); },
      [&](Value y) -> Value { return n.create<LogOp>(y); });
}

/// ArgMax, and ArgMin as the ArgMax of the negation.
template <bool IsMin> LogicalResult arg(Node &n) {
  RankedTensorType type = n.inputType(0);
  FailureOr<int64_t> axis = normalizeAxis(n, n.intAttr("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  Value x = n.input(0);
  if (IsMin)
    x = n.create<NegOp>(x);
  bool last = n.intAttr("select_last_index", 0) != 0;
  int64_t size = type.getDimSize(*axis);
  if (last) {
    // The last maximum is the first one of the reversed axis.
    if (ShapedType::isDynamic(size))
      return n.error() << "select_last_index needs a static axis";
    int64_t rank = type.getRank();
    SmallVector<int64_t> starts(rank, 0), ends(rank, std::numeric_limits<int64_t>::max()),
        steps(rank, 1);
    starts[*axis] = -1;
    ends[*axis] = std::numeric_limits<int64_t>::min();
    steps[*axis] = -1;
    Builder &b = n.b();
    x = n.create<SliceOp>(x, b.getDenseI64ArrayAttr(starts),
                        b.getDenseI64ArrayAttr(ends), b.getDenseI64ArrayAttr(steps));
  }
  Value index = n.create<ArgmaxOp>(x, *axis, n.intAttr("keepdims", 1) != 0);
  if (last)
    index = n.create<SubOp>(n.scalar(n.b().getI64Type(), size - 1), index);
  n.setOutput(0, index);
  return success();
}

/// Hardmax: 1 at the first maximum along `axis`, 0 elsewhere, as
/// cast(argmax(x) == iota) (opset 13: any axis; before, the input is
/// coerced to 2-D at `axis`).
LogicalResult hardmax(Node &n) {
  RankedTensorType type = n.inputType(0);
  if (!type.hasStaticShape())
    return n.error() << "needs a static shape";
  Value x = n.input(0);
  int64_t rank = type.getRank();
  FailureOr<int64_t> axis = normalizeAxis(n, n.intAttr("axis", n.opset() >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return failure();
  if (n.opset() < 13) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < *axis ? outer : inner) *= type.getDimSize(d);
    x = n.create<ReshapeOp>(x, n.b().getDenseI64ArrayAttr({outer, inner}));
    axis = 1;
  }
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t size = xType.getDimSize(*axis);
  SmallVector<int64_t> iotaShape(xType.getRank(), 1);
  iotaShape[*axis] = size;
  SmallVector<int64_t> iota(size);
  std::iota(iota.begin(), iota.end(), 0);
  Value positions = n.create<ConstantOp>(DenseElementsAttr::get(
      RankedTensorType::get(iotaShape, n.b().getI64Type()), ArrayRef<int64_t>(iota)));
  Value index = n.create<ArgmaxOp>(x, *axis, /*keepdims=*/true);
  Value hit = n.create<CmpOp>(CmpPredicate::eq, index, positions);
  // [.., 1 at axis, ..] == [1.., size at axis, ..1] has x's shape.
  Value y = n.create<CastOp>(xType, hit);
  if (n.opset() < 13)
    y = n.create<ReshapeOp>(y, n.b().getDenseI64ArrayAttr(type.getShape()));
  n.setOutput(0, y);
  return success();
}

/// MeanVarianceNormalization: (x - mean) / sqrt(var + 1e-9) over `axes`
/// (default [0, 2, 3]).
LogicalResult meanVarianceNormalization(Node &n) {
  Value x = n.input(0);
  RankedTensorType type = n.inputType(0);
  SmallVector<int64_t> axes = n.intsAttr("axes");
  if (!n.hasAttr("axes"))
    axes = {0, 2, 3};
  for (int64_t &a : axes) {
    FailureOr<int64_t> axis = normalizeAxis(n, a, type.getRank());
    if (failed(axis))
      return failure();
    a = *axis;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  auto axesAttr = n.b().getDenseI64ArrayAttr(axes);
  Type e = type.getElementType();
  Value mean = n.create<ReduceMeanOp>(x, axesAttr, true);
  Value centered = n.create<SubOp>(x, mean);
  Value var = n.create<ReduceMeanOp>(n.create<MulOp>(centered, centered), axesAttr, true);
  Value std = n.create<SqrtOp>(n.create<AddOp>(var, n.scalar(e, 1e-9)));
  n.setOutput(0, n.create<DivOp>(centered, std));
  return success();
}

} // namespace

void appendReductionImporters(std::vector<OpImporter> &t) {
  constexpr int kMax = 1000;
  t.insert(t.end(), {
      {"ReduceSum", 1, kMax, plain<ReduceSumOp>},
      {"ReduceMax", 1, kMax, plain<ReduceMaxOp>},
      {"ReduceMin", 1, kMax, plain<ReduceMinOp>},
      {"ReduceMean", 1, kMax, plain<ReduceMeanOp>},
      {"Hardmax", 1, kMax, hardmax},
      {"MeanVarianceNormalization", 9, kMax, meanVarianceNormalization},
      {"ReduceProd", 1, kMax, plain<ReduceProdOp>},
      {"ReduceSumSquare", 1, kMax, sumSquare},
      {"ReduceL1", 1, kMax, l1},
      {"ReduceL2", 1, kMax, l2},
      {"ReduceLogSum", 1, kMax, logSum},
      {"ReduceLogSumExp", 1, kMax, logSumExp},
      {"ArgMax", 1, kMax, arg<false>},
      {"ArgMin", 1, kMax, arg<true>},
  });
}

} // namespace axon::onnx_frontend
