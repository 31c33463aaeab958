//===- Reductions.cpp - Reductions, softmax, norms, attention to linalg ---===//
//
// Reductions become linalg.reduce (accumulating 16-bit floats in f32); the
// ops built from them (mean, argmax, softmax, layer and batch norm) combine a
// reduction with linalg.generic ops that read the reduced values.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace axon {
namespace {

/// `input` converted to its accumulator element type.
Value widen(OpBuilder &b, Location loc, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  Type acc = accumulatorType(b, type.getElementType());
  return castTensor(b, loc, input, RankedTensorType::get(type.getShape(), acc));
}

template <typename ReduceOp>
Value lowerReduce(OpBuilder &b, ReduceOp op, ReductionKind kind, bool mean) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  ArrayRef<int64_t> axes = op.getAxes();
  Value input = widen(b, loc, op.getInput());
  Value reduced = buildReduction(b, loc, input, axes, kind);
  if (mean) {
    Type acc = cast<RankedTensorType>(reduced.getType()).getElementType();
    Value count = countElements(b, loc, input, axes, acc);
    reduced = buildElementwise(
        b, loc, reduced, cast<RankedTensorType>(reduced.getType()),
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return arith::DivFOp::create(nb, l, a[0], count);
        });
  }
  auto keptType = RankedTensorType::get(
      resultType.getShape(),
      cast<RankedTensorType>(reduced.getType()).getElementType());
  Value kept = op.getKeepDims() ? expandReducedDims(b, loc, reduced, keptType, axes)
                                : reduced;
  return castTensor(b, loc, kept, resultType);
}

Value lowerArgmax(OpBuilder &b, ArgmaxOp op) {
  Location loc = op.getLoc();
  Value input = op.getInput();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t axis = op.getAxis(), rank = type.getRank();
  SmallVector<int64_t> kept = complementDims(rank, axis);
  SmallVector<OpFoldResult> dims, allDims = getDims(b, loc, input);
  SmallVector<int64_t> shape;
  for (int64_t d : kept) {
    dims.push_back(allDims[d]);
    shape.push_back(type.getDimSize(d));
  }
  Type elem = type.getElementType();
  auto valueType = RankedTensorType::get(shape, elem);
  auto indexType = RankedTensorType::get(shape, b.getI64Type());
  Value values = createFilled(b, loc, valueType, dims,
                              reductionIdentity(b, loc, elem, ReductionKind::Max));
  Value indices = createFilled(b, loc, indexType, dims,
                               scalarConstant(b, loc, b.getI64Type(), 0));
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> keptExprs;
  for (int64_t d : kept)
    keptExprs.push_back(getAffineDimExpr(d, ctx));
  AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, ctx);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank), keptMap, keptMap};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valueType, indexType}, input, ValueRange{values, indices},
      maps, iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value index = arith::IndexCastOp::create(
            nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, axis));
        // Strictly greater: the first maximal element wins.
        Value greater =
            isFloat(elem)
                ? arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, a[0], a[1])
                      .getResult()
                : arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sgt, a[0], a[1])
                      .getResult();
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, greater, a[0], a[1]),
                       arith::SelectOp::create(nb, l, greater, index, a[2])});
      });
  Value result = generic.getResult(1);
  if (op.getKeepDims())
    result = expandReducedDims(b, loc, result, op.getType(), axis);
  return result;
}

Value lowerSoftmax(OpBuilder &b, Operation *op, int64_t axis, bool log) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value x = widen(b, loc, op->getOperand(0));
  Type acc = cast<RankedTensorType>(x.getType()).getElementType();
  SmallVector<SmallVector<int64_t>> kept = {
      complementDims(resultType.getRank(), axis)};
  Value max = buildReduction(b, loc, x, axis, ReductionKind::Max);
  Value shifted = buildMapped(b, loc, x, max, kept, acc,
                              [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                return arith::SubFOp::create(nb, l, a[0], a[1]);
                              });
  Value exps = buildElementwise(b, loc, shifted, cast<RankedTensorType>(shifted.getType()),
                                [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                  return math::ExpOp::create(nb, l, a[0]);
                                });
  Value sum = buildReduction(b, loc, exps, axis, ReductionKind::Sum);
  Value result =
      log ? buildMapped(b, loc, shifted, sum, kept, acc,
                        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          return arith::SubFOp::create(
                              nb, l, a[0], math::LogOp::create(nb, l, a[1]));
                        })
          : buildMapped(b, loc, exps, sum, kept, acc,
                        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          return arith::DivFOp::create(nb, l, a[0], a[1]);
                        });
  return castTensor(b, loc, result, resultType);
}

Value lowerLayerNorm(OpBuilder &b, LayerNormOp op) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Value x = widen(b, loc, op.getInput());
  Type acc = cast<RankedTensorType>(x.getType()).getElementType();
  ArrayRef<int64_t> axes = op.getAxes();
  SmallVector<int64_t> keptDims = complementDims(resultType.getRank(), axes);
  SmallVector<int64_t> normDims(axes);
  Value count = countElements(b, loc, x, axes, acc);
  auto divide = [&](Value t) {
    return buildElementwise(b, loc, t, cast<RankedTensorType>(t.getType()),
                            [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                              return arith::DivFOp::create(nb, l, a[0], count);
                            });
  };
  Value mean = divide(buildReduction(b, loc, x, axes, ReductionKind::Sum));
  Value centered = buildMapped(b, loc, x, mean, {keptDims}, acc,
                               [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                 return arith::SubFOp::create(nb, l, a[0], a[1]);
                               });
  Value squares = buildElementwise(b, loc, centered, cast<RankedTensorType>(centered.getType()),
                                   [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                     return arith::MulFOp::create(nb, l, a[0], a[0]);
                                   });
  Value var = divide(buildReduction(b, loc, squares, axes, ReductionKind::Sum));
  SmallVector<Value> others = {var};
  SmallVector<SmallVector<int64_t>> maps = {keptDims};
  Value scale = op.getScale(), bias = op.getBias();
  if (scale) {
    others.push_back(widen(b, loc, scale));
    maps.push_back(normDims);
  }
  if (bias) {
    others.push_back(widen(b, loc, bias));
    maps.push_back(normDims);
  }
  double eps = op.getEpsilon().convertToDouble();
  Value result = buildMapped(
      b, loc, centered, others, maps, acc,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value denom = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, a[1], scalarConstant(nb, l, acc, eps)));
        Value y = arith::DivFOp::create(nb, l, a[0], denom);
        unsigned next = 2;
        if (scale)
          y = arith::MulFOp::create(nb, l, y, a[next++]);
        if (bias)
          y = arith::AddFOp::create(nb, l, y, a[next]);
        return y;
      });
  return castTensor(b, loc, result, resultType);
}

Value lowerRmsNorm(OpBuilder &b, RmsNormOp op) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Value x = widen(b, loc, op.getInput());
  Type acc = cast<RankedTensorType>(x.getType()).getElementType();
  ArrayRef<int64_t> axes = op.getAxes();
  SmallVector<int64_t> keptDims = complementDims(resultType.getRank(), axes);
  Value squares = buildElementwise(b, loc, x, cast<RankedTensorType>(x.getType()),
                                   [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                     return arith::MulFOp::create(nb, l, a[0], a[0]);
                                   });
  Value sum = buildReduction(b, loc, squares, axes, ReductionKind::Sum);
  Value count = countElements(b, loc, x, axes, acc);
  SmallVector<Value> others = {sum};
  SmallVector<SmallVector<int64_t>> maps = {keptDims};
  if (Value scale = op.getScale()) {
    others.push_back(widen(b, loc, scale));
    maps.push_back(SmallVector<int64_t>(axes));
  }
  double eps = op.getEpsilon().convertToDouble();
  bool hasScale = static_cast<bool>(op.getScale());
  Value result = buildMapped(
      b, loc, x, others, maps, acc, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value meanSquare = arith::DivFOp::create(nb, l, a[1], count);
        Value denom = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, meanSquare, scalarConstant(nb, l, acc, eps)));
        Value y = arith::DivFOp::create(nb, l, a[0], denom);
        return hasScale ? arith::MulFOp::create(nb, l, y, a[2]).getResult() : y;
      });
  return castTensor(b, loc, result, resultType);
}

Value lowerBatchNorm(OpBuilder &b, BatchNormOp op) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Value x = widen(b, loc, op.getInput());
  Type acc = cast<RankedTensorType>(x.getType()).getElementType();
  SmallVector<Value> params;
  for (Value p : {op.getScale(), op.getBias(), op.getMean(), op.getVariance()})
    params.push_back(widen(b, loc, p));
  SmallVector<SmallVector<int64_t>> maps(4, SmallVector<int64_t>{1});
  double eps = op.getEpsilon().convertToDouble();
  Value result = buildMapped(
      b, loc, x, params, maps, acc, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        // scale * (x - mean) / sqrt(var + eps) + bias
        Value centered = arith::SubFOp::create(nb, l, a[0], a[3]);
        Value denom = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, a[4], scalarConstant(nb, l, acc, eps)));
        Value y = arith::MulFOp::create(nb, l, arith::DivFOp::create(nb, l, centered, denom), a[1]);
        return arith::AddFOp::create(nb, l, y, a[2]);
      });
  return castTensor(b, loc, result, resultType);
}

} // namespace

LogicalResult lowerReductionOp(RewriterBase &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  Value result =
      llvm::TypeSwitch<Operation *, Value>(op)
          .Case([&](ReduceSumOp r) { return lowerReduce(rewriter, r, ReductionKind::Sum, false); })
          .Case([&](ReduceProdOp r) { return lowerReduce(rewriter, r, ReductionKind::Prod, false); })
          .Case([&](ReduceMaxOp r) { return lowerReduce(rewriter, r, ReductionKind::Max, false); })
          .Case([&](ReduceMinOp r) { return lowerReduce(rewriter, r, ReductionKind::Min, false); })
          .Case([&](ReduceMeanOp r) { return lowerReduce(rewriter, r, ReductionKind::Sum, true); })
          .Case([&](ArgmaxOp a) { return lowerArgmax(rewriter, a); })
          .Case([&](SoftmaxOp s) { return lowerSoftmax(rewriter, s, s.getAxis(), false); })
          .Case([&](LogSoftmaxOp s) { return lowerSoftmax(rewriter, s, s.getAxis(), true); })
          .Case([&](LayerNormOp n) { return lowerLayerNorm(rewriter, n); })
          .Case([&](BatchNormOp n) { return lowerBatchNorm(rewriter, n); })
          .Case([&](RmsNormOp n) { return lowerRmsNorm(rewriter, n); })
          .Default([](Operation *) { return Value(); });
  return replaceWithLowered(rewriter, op, result);
}

} // namespace axon
