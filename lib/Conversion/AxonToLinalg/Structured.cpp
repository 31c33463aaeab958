//===- Structured.cpp - matmul, convolution and pooling to linalg ---------===//
//
// Named linalg ops where they exist (matmul, batch_matmul, conv_2d_nchw_fchw,
// conv_2d_ngchw_gfchw, pooling_nchw_max/sum); a linalg.generic contraction for
// transposed or batch-broadcast matmuls. f16/bf16 accumulate in f32.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Dialect/Axon/Utils/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace axon {
namespace {

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type,
                 ArrayRef<OpFoldResult> dims) {
  return createFilled(b, loc, type, dims,
                      scalarConstant(b, loc, type.getElementType(), 0));
}

/// Dynamic result sizes: static from `type`, the rest from `compute(d)`.
SmallVector<OpFoldResult>
resultDims(OpBuilder &b, RankedTensorType type,
           llvm::function_ref<OpFoldResult(int64_t)> compute) {
  SmallVector<OpFoldResult> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    dims.push_back(type.isDynamicDim(d) ? compute(d)
                                        : OpFoldResult(b.getIndexAttr(type.getDimSize(d))));
  return dims;
}

/// The bias-add and activation epilogue of a matmul or convolution, fused in
/// one linalg.generic over the accumulator, which also converts to the
/// result element type. `biasDim` is the result dim the 1-D bias runs along.
template <typename OpTy>
Value lowerEpilogue(OpBuilder &b, Location loc, OpTy op, Value acc,
                    int64_t biasDim) {
  RankedTensorType resultType = op.getType();
  Type accElem = cast<RankedTensorType>(acc.getType()).getElementType();
  Value bias = op.getBias();
  if (!bias && op.getActivation() == Activation::none)
    return castTensor(b, loc, acc, resultType);
  std::optional<double> lo, hi;
  if (op.getClipMin())
    lo = op.getClipMin()->convertToDouble();
  if (op.getClipMax())
    hi = op.getClipMax()->convertToDouble();
  SmallVector<Value> others;
  SmallVector<SmallVector<int64_t>> maps;
  if (bias) {
    others.push_back(bias);
    maps.push_back({biasDim});
  }
  return buildMapped(
      b, loc, acc, others, maps, resultType.getElementType(),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value x = a[0];
        if (bias)
          x = combine(nb, l, ReductionKind::Sum, x, castScalar(nb, l, a[1], accElem));
        x = applyActivation(nb, l, x, op.getActivation(), lo, hi);
        return castScalar(nb, l, x, resultType.getElementType());
      });
}

Value lowerMatmul(OpBuilder &b, MatmulOp op) {
  Location loc = op.getLoc();
  Value lhs = op.getLhs(), rhs = op.getRhs();
  auto lt = cast<RankedTensorType>(lhs.getType());
  auto rt = cast<RankedTensorType>(rhs.getType());
  RankedTensorType resultType = op.getType();
  int64_t rank = resultType.getRank(), batch = rank - 2;
  bool tl = op.getTransposeLhs(), tr = op.getTransposeRhs();
  auto accType = RankedTensorType::get(resultType.getShape(),
                                       accumulatorType(b, resultType.getElementType()));
  SmallVector<OpFoldResult> dims = resultDims(b, resultType, [&](int64_t d) {
    if (d == rank - 2)
      return tensor::getMixedSize(b, loc, lhs, lt.getRank() - (tl ? 1 : 2));
    if (d == rank - 1)
      return tensor::getMixedSize(b, loc, rhs, rt.getRank() - (tr ? 2 : 1));
    // A dynamic batch dim: from whichever operand has it non-broadcast.
    int64_t lo = d - (batch - (lt.getRank() - 2));
    if (lo >= 0 && lt.getDimSize(lo) != 1)
      return tensor::getMixedSize(b, loc, lhs, lo);
    return tensor::getMixedSize(b, loc, rhs, d - (batch - (rt.getRank() - 2)));
  });
  Value init = zeroFilled(b, loc, accType, dims);

  bool plain = !tl && !tr;
  if (plain && rank == 2 && lt.getRank() == 2 && rt.getRank() == 2)
    return lowerEpilogue(
        b, loc, op,
        linalg::MatmulOp::create(b, loc, ValueRange{lhs, rhs}, init).getResult(0),
        rank - 1);
  if (plain && rank == 3 && lt.getRank() == 3 && rt.getRank() == 3 &&
      lt.getDimSize(0) == rt.getDimSize(0) && lt.getDimSize(0) != 1)
    return lowerEpilogue(
        b, loc, op,
        linalg::BatchMatmulOp::create(b, loc, ValueRange{lhs, rhs}, init).getResult(0),
        rank - 1);

  // General contraction: loops (batch..., m, n, k).
  MLIRContext *ctx = b.getContext();
  int64_t m = batch, n = batch + 1, k = batch + 2, loops = batch + 3;
  auto operandMap = [&](RankedTensorType t, int64_t row, int64_t col) {
    SmallVector<AffineExpr> exprs;
    int64_t offset = batch - (t.getRank() - 2);
    for (int64_t d = 0; d < t.getRank() - 2; ++d)
      exprs.push_back(t.getDimSize(d) == 1 && resultType.getDimSize(d + offset) != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(d + offset, ctx));
    exprs.push_back(getAffineDimExpr(row, ctx));
    exprs.push_back(getAffineDimExpr(col, ctx));
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  SmallVector<AffineExpr> outExprs;
  for (int64_t d = 0; d < rank; ++d)
    outExprs.push_back(getAffineDimExpr(d, ctx));
  SmallVector<AffineMap> maps = {
      tl ? operandMap(lt, k, m) : operandMap(lt, m, k),
      tr ? operandMap(rt, n, k) : operandMap(rt, k, n),
      AffineMap::get(loops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(loops - 1, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Type acc = accType.getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, accType, ValueRange{lhs, rhs}, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value x = castScalar(nb, l, a[0], acc), y = castScalar(nb, l, a[1], acc);
        Value prod = isFloat(acc) ? arith::MulFOp::create(nb, l, x, y).getResult()
                                  : arith::MulIOp::create(nb, l, x, y).getResult();
        linalg::YieldOp::create(nb, l, combine(nb, l, ReductionKind::Sum, a[2], prod));
      });
  return lowerEpilogue(b, loc, op, generic.getResult(0), rank - 1);
}

/// Pads the spatial dims of an NCHW tensor by [top, left, bottom, right].
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> pad,
                 Value fill) {
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return input;
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(pad[0]), b.getIndexAttr(pad[1])};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(pad[2]), b.getIndexAttr(pad[3])};
  auto t = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(t.getShape());
  for (int d = 0; d < 2; ++d)
    if (!ShapedType::isDynamic(shape[d + 2]))
      shape[d + 2] += pad[d] + pad[d + 2];
  return tensor::PadOp::create(b, loc, RankedTensorType::get(shape, t.getElementType()),
                               input, low, high, fill);
}

/// Output spatial size of a window op over a padded input dim.
OpFoldResult windowDim(OpBuilder &b, Location loc, Value padded, int64_t dim,
                       int64_t kernel, int64_t stride, int64_t dilation) {
  Value in = b.createOrFold<tensor::DimOp>(loc, padded, dim);
  Value span = arith::SubIOp::create(
      b, loc, in, arith::ConstantIndexOp::create(b, loc, dilation * (kernel - 1) + 1));
  Value out = arith::DivUIOp::create(b, loc, span,
                                     arith::ConstantIndexOp::create(b, loc, stride));
  return arith::AddIOp::create(b, loc, out, arith::ConstantIndexOp::create(b, loc, 1))
      .getResult();
}

FailureOr<Value> lowerConv(OpBuilder &b, Conv2dOp op) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Type elem = resultType.getElementType();
  int64_t groups = op.getGroups();
  Value input = padSpatial(b, loc, op.getInput(), op.getPadding(),
                           scalarConstant(b, loc, elem, 0));
  Value filter = op.getFilter();
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  auto filterType = cast<RankedTensorType>(filter.getType());
  auto accType = RankedTensorType::get(resultType.getShape(), accumulatorType(b, elem));
  SmallVector<OpFoldResult> dims = resultDims(b, resultType, [&](int64_t d) {
    if (d == 0)
      return tensor::getMixedSize(b, loc, input, 0);
    if (d == 1)
      return tensor::getMixedSize(b, loc, filter, 0);
    return windowDim(b, loc, input, d, filterType.getDimSize(d), strides[d - 2],
                     dilations[d - 2]);
  });
  if (groups > 1 && (filterType.isDynamicDim(0) || filterType.isDynamicDim(1)))
    return op.emitOpError() << "with types " << op.getInput().getType() << ", "
                            << filterType
                            << " cannot be lowered: grouped convolution needs "
                               "static filter dimensions";
  Value init = zeroFilled(b, loc, accType, dims);
  auto stridesAttr = b.getI64TensorAttr(strides);
  auto dilationsAttr = b.getI64TensorAttr(dilations);
  Value conv;
  if (groups == 1) {
    conv = linalg::Conv2DNchwFchwOp::create(b, loc, accType, ValueRange{input, filter},
                                            init, stridesAttr, dilationsAttr)
               .getResult(0);
  } else {
    // [N, G*C, H, W] x [G*F, C, KH, KW] -> [N, G, F, OH, OW].
    auto it = cast<RankedTensorType>(input.getType());
    int64_t fPerGroup = filterType.getDimSize(0) / groups;
    auto groupedInput = RankedTensorType::get(
        {it.getDimSize(0), groups, filterType.getDimSize(1), it.getDimSize(2),
         it.getDimSize(3)},
        it.getElementType());
    SmallVector<OpFoldResult> inDims = getDims(b, loc, input);
    Value gi = tensor::ExpandShapeOp::create(
        b, loc, groupedInput, input, {{0}, {1, 2}, {3}, {4}},
        {inDims[0], b.getIndexAttr(groups), b.getIndexAttr(filterType.getDimSize(1)),
         inDims[2], inDims[3]});
    auto groupedFilter = RankedTensorType::get(
        {groups, fPerGroup, filterType.getDimSize(1), filterType.getDimSize(2),
         filterType.getDimSize(3)},
        filterType.getElementType());
    Value gf = tensor::ExpandShapeOp::create(b, loc, groupedFilter, filter,
                                             {{0, 1}, {2}, {3}, {4}});
    auto groupedOut = RankedTensorType::get(
        {accType.getDimSize(0), groups, fPerGroup, accType.getDimSize(2),
         accType.getDimSize(3)},
        accType.getElementType());
    Value go = tensor::ExpandShapeOp::create(
        b, loc, groupedOut, init, {{0}, {1, 2}, {3}, {4}},
        {dims[0], b.getIndexAttr(groups), b.getIndexAttr(fPerGroup), dims[2], dims[3]});
    Value grouped = linalg::Conv2DNgchwGfchwOp::create(
                        b, loc, groupedOut, ValueRange{gi, gf}, go, stridesAttr,
                        dilationsAttr)
                        .getResult(0);
    conv = tensor::CollapseShapeOp::create(b, loc, accType, grouped,
                                           {{0}, {1, 2}, {3}, {4}});
  }
  return lowerEpilogue(b, loc, op, conv, /*biasDim=*/1);
}

template <typename PoolOp>
FailureOr<Value> lowerPool(OpBuilder &b, PoolOp op, bool isMax,
                           bool countIncludePad) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Type elem = resultType.getElementType();
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                    dilations = op.getDilations();
  SmallVector<int64_t> pad(op.getPadding());
  // In ceil mode the last window may overhang: pad the end so it fits; the
  // overhang never counts towards an average.
  SmallVector<int64_t> overhang = {0, 0};
  if (op.getCeilMode()) {
    for (int d = 0; d < 2; ++d) {
      int64_t in = inputType.getDimSize(d + 2), out = resultType.getDimSize(d + 2);
      if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
        return op.emitOpError() << "with type " << inputType
                                << " cannot be lowered: ceil_mode needs static "
                                   "spatial dimensions";
      int64_t needed = (out - 1) * strides[d] + dilations[d] * (kernel[d] - 1) + 1;
      overhang[d] = std::max<int64_t>(0, needed - (in + pad[d] + pad[d + 2]));
    }
  }
  SmallVector<int64_t> fullPad = {pad[0], pad[1], pad[2] + overhang[0],
                                  pad[3] + overhang[1]};
  auto accType = RankedTensorType::get(resultType.getShape(), accumulatorType(b, elem));
  Type acc = accType.getElementType();
  Value input = op.getInput();
  if (acc != elem)
    input = castTensor(b, loc, input,
                       RankedTensorType::get(inputType.getShape(), acc));
  ReductionKind kind = isMax ? ReductionKind::Max : ReductionKind::Sum;
  Value padded = padSpatial(b, loc, input, fullPad, reductionIdentity(b, loc, acc, kind));
  SmallVector<OpFoldResult> dims = resultDims(b, resultType, [&](int64_t d) {
    if (d < 2)
      return tensor::getMixedSize(b, loc, padded, d);
    return windowDim(b, loc, padded, d, kernel[d - 2], strides[d - 2],
                     dilations[d - 2]);
  });
  Value init = createFilled(b, loc, accType, dims, reductionIdentity(b, loc, acc, kind));
  Value window = tensor::EmptyOp::create(b, loc, kernel, acc);
  auto stridesAttr = b.getI64TensorAttr(strides);
  auto dilationsAttr = b.getI64TensorAttr(dilations);
  if (isMax)
    return castTensor(b, loc,
                      linalg::PoolingNchwMaxOp::create(b, loc, accType,
                                                       ValueRange{padded, window}, init,
                                                       stridesAttr, dilationsAttr)
                          .getResult(0),
                      resultType);
  auto sumPool = [&](Value x) {
    Value zeros = createFilled(b, loc, accType, dims, scalarConstant(b, loc, acc, 0));
    return linalg::PoolingNchwSumOp::create(b, loc, accType, ValueRange{x, window},
                                            zeros, stridesAttr, dilationsAttr)
        .getResult(0);
  };
  Value sums = sumPool(padded);
  Value averaged;
  bool uniform = llvm::all_of(fullPad, [](int64_t p) { return p == 0; }) ||
                 (countIncludePad && overhang[0] == 0 && overhang[1] == 0);
  if (uniform) {
    double area = static_cast<double>(kernel[0] * kernel[1]);
    averaged = buildElementwise(b, loc, sums, accType,
                                [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                  return arith::DivFOp::create(
                                      nb, l, a[0], scalarConstant(nb, l, acc, area));
                                });
  } else {
    // Per-window divisors: sum-pool a tensor of ones whose explicit padding
    // counts only with count_include_pad.
    SmallVector<int64_t> onesShape(inputType.getShape());
    auto onesType = RankedTensorType::get(onesShape, acc);
    Value ones = createFilled(b, loc, onesType, getDims(b, loc, input),
                              scalarConstant(b, loc, acc, 1));
    Value counted = padSpatial(b, loc, ones, pad,
                               scalarConstant(b, loc, acc, countIncludePad ? 1 : 0));
    Value countPadded = padSpatial(b, loc, counted, {0, 0, overhang[0], overhang[1]},
                                   scalarConstant(b, loc, acc, 0));
    Value counts = sumPool(countPadded);
    averaged = buildElementwise(b, loc, ValueRange{sums, counts}, accType,
                                [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                  return arith::DivFOp::create(nb, l, a[0], a[1]);
                                });
  }
  return castTensor(b, loc, averaged, resultType);
}

Value lowerGlobalAvgPool(OpBuilder &b, GlobalAvgPoolOp op) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  Type elem = resultType.getElementType();
  Type acc = accumulatorType(b, elem);
  Value input = op.getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  if (acc != elem)
    input = castTensor(b, loc, input, RankedTensorType::get(inputType.getShape(), acc));
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < inputType.getRank(); ++d)
    axes.push_back(d);
  Value sum = buildReduction(b, loc, input, axes, ReductionKind::Sum);
  Value count = countElements(b, loc, input, axes, acc);
  auto sumType = cast<RankedTensorType>(sum.getType());
  Value mean = buildElementwise(b, loc, sum, sumType,
                                [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                  return arith::DivFOp::create(nb, l, a[0], count);
                                });
  auto keptAcc = RankedTensorType::get(resultType.getShape(), acc);
  return castTensor(b, loc, expandReducedDims(b, loc, mean, keptAcc, axes), resultType);
}

} // namespace

LogicalResult lowerStructuredOp(RewriterBase &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  FailureOr<Value> result =
      llvm::TypeSwitch<Operation *, FailureOr<Value>>(op)
          .Case([&](MatmulOp m) { return lowerMatmul(rewriter, m); })
          .Case([&](Conv2dOp c) { return lowerConv(rewriter, c); })
          .Case([&](MaxPool2dOp p) { return lowerPool(rewriter, p, true, false); })
          .Case([&](AvgPool2dOp p) {
            return lowerPool(rewriter, p, false, p.getCountIncludePad());
          })
          .Case([&](GlobalAvgPoolOp g) { return lowerGlobalAvgPool(rewriter, g); })
          .Default([](Operation *) { return failure(); });
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, *result);
  return success();
}

} // namespace axon
