//===- ShapeOps.cpp - Shape manipulation axon ops to tensor/linalg --------===//

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Dialect/Axon/Utils/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace axon {
namespace {

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// A generic op over `resultType` whose body computes source coordinates from
/// the loop indices and reads `source` there with tensor.extract.
Value gatherFrom(OpBuilder &b, Location loc, Value source, ValueRange inputs,
                 ArrayRef<AffineMap> inputMaps, RankedTensorType resultType,
                 ArrayRef<OpFoldResult> dims,
                 llvm::function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                       ValueRange)>
                     coordinates) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = createEmpty(b, loc, resultType, dims);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               SmallVector<Value> coords = coordinates(nb, l, args.drop_back());
               linalg::YieldOp::create(
                   nb, l, tensor::ExtractOp::create(nb, l, source, coords).getResult());
             })
      .getResult(0);
}

Value lowerTranspose(OpBuilder &b, TransposeOp op) {
  Location loc = op.getLoc();
  SmallVector<OpFoldResult> in = getDims(b, loc, op.getInput()), dims;
  for (int64_t p : op.getPerm())
    dims.push_back(in[p]);
  Value init = createEmpty(b, loc, op.getType(), dims);
  return linalg::TransposeOp::create(b, loc, op.getInput(), init, op.getPerm())
      .getResult()[0];
}

Value lowerReshape(OpBuilder &b, ReshapeOp op) {
  Location loc = op.getLoc();
  RankedTensorType resultType = op.getType();
  SmallVector<Value> sizes;
  std::optional<size_t> inferred;
  Value known = index(b, loc, 1);
  for (auto [d, size] : llvm::enumerate(op.getNewShape())) {
    if (size == -1) {
      inferred = d;
      sizes.push_back(Value());
      continue;
    }
    sizes.push_back(index(b, loc, size));
    known = b.createOrFold<arith::MulIOp>(loc, known, sizes.back());
  }
  if (inferred) {
    Value total = index(b, loc, 1);
    for (OpFoldResult dim : getDims(b, loc, op.getInput()))
      total = b.createOrFold<arith::MulIOp>(
          loc, total, getValueOrCreateConstantIndexOp(b, loc, dim));
    sizes[*inferred] = b.createOrFold<arith::DivUIOp>(loc, total, known);
  }
  // Collapsing or expanding groups of dims (Flatten, unsqueeze-like
  // reshapes) stays a view, also with a dynamic dim per group; a general
  // reshape goes through a shape tensor.
  ArrayRef<int64_t> from = op.getInput().getType().getShape(), to = resultType.getShape();
  if (to.size() < from.size())
    if (auto groups = getReassociationIndicesForCollapse(from, to))
      return tensor::CollapseShapeOp::create(b, loc, resultType, op.getInput(), *groups);
  if (to.size() > from.size())
    if (auto groups = getReassociationIndicesForCollapse(to, from)) {
      SmallVector<OpFoldResult> outputShape;
      for (Value size : sizes)
        outputShape.push_back(getAsOpFoldResult(size));
      return tensor::ExpandShapeOp::create(b, loc, resultType, op.getInput(), *groups,
                                           outputShape);
    }
  auto shapeType = RankedTensorType::get({static_cast<int64_t>(sizes.size())},
                                         b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, sizes);
  return tensor::ReshapeOp::create(b, loc, resultType, op.getInput(), shape);
}

Value lowerConcat(OpBuilder &b, ConcatOp op) {
  Location loc = op.getLoc();
  int64_t axis = op.getAxis();
  SmallVector<OpFoldResult> dims = getDims(b, loc, op.getInputs()[0]);
  Value total = index(b, loc, 0);
  for (Value input : op.getInputs())
    total = b.createOrFold<arith::AddIOp>(
        loc, total, b.createOrFold<tensor::DimOp>(loc, input, axis));
  RankedTensorType resultType = op.getType();
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (!resultType.isDynamicDim(d))
      dims[d] = b.getIndexAttr(resultType.getDimSize(d));
  dims[axis] = getAsOpFoldResult(total);
  Value result = createEmpty(b, loc, resultType, dims);
  Value offset = index(b, loc, 0);
  for (Value input : op.getInputs()) {
    // An empty input inserts nothing (and its offset may lie past the end,
    // which insert_slice rejects).
    if (llvm::is_contained(cast<RankedTensorType>(input.getType()).getShape(), 0))
      continue;
    SmallVector<OpFoldResult> offsets(resultType.getRank(), b.getIndexAttr(0));
    offsets[axis] = getAsOpFoldResult(offset);
    SmallVector<OpFoldResult> strides(resultType.getRank(), b.getIndexAttr(1));
    result = tensor::InsertSliceOp::create(b, loc, input, result, offsets,
                                           getDims(b, loc, input), strides);
    offset = b.createOrFold<arith::AddIOp>(
        loc, offset, b.createOrFold<tensor::DimOp>(loc, input, axis));
  }
  return result;
}

/// The first source index and the length of a Python slice of a dimension of
/// runtime size `n` (start/end/step are constants).
std::pair<Value, Value> sliceBounds(OpBuilder &b, Location loc, Value n,
                                    int64_t start, int64_t end, int64_t step) {
  auto clampIndex = [&](int64_t v, int64_t lo, bool hiIsN) -> Value {
    Value hi = hiIsN ? n : b.createOrFold<arith::SubIOp>(loc, n, index(b, loc, 1));
    if (v < 0)
      return b.createOrFold<arith::MaxSIOp>(
          loc, b.createOrFold<arith::AddIOp>(loc, n, index(b, loc, v)),
          index(b, loc, lo));
    return b.createOrFold<arith::MinSIOp>(loc, index(b, loc, v), hi);
  };
  bool forward = step > 0;
  Value s = forward ? clampIndex(start, 0, true) : clampIndex(start, -1, false);
  Value e = forward ? clampIndex(end, 0, true) : clampIndex(end, -1, false);
  Value span = forward ? b.createOrFold<arith::SubIOp>(loc, e, s)
                       : b.createOrFold<arith::SubIOp>(loc, s, e);
  int64_t stride = forward ? step : -step;
  Value len = b.createOrFold<arith::CeilDivSIOp>(
      loc, b.createOrFold<arith::MaxSIOp>(loc, span, index(b, loc, 0)),
      index(b, loc, stride));
  return {s, len};
}

Value lowerSlice(OpBuilder &b, SliceOp op) {
  Location loc = op.getLoc();
  Value input = op.getInput();
  RankedTensorType resultType = op.getType();
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> inDims = getDims(b, loc, input);
  SmallVector<Value> starts;
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    auto [s, len] = sliceBounds(b, loc, getValueOrCreateConstantIndexOp(b, loc, inDims[d]),
                                op.getStarts()[d], op.getEnds()[d], op.getSteps()[d]);
    starts.push_back(s);
    sizes.push_back(resultType.isDynamicDim(d)
                        ? getAsOpFoldResult(len)
                        : OpFoldResult(b.getIndexAttr(resultType.getDimSize(d))));
  }
  ArrayRef<int64_t> steps = op.getSteps();
  if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
    SmallVector<OpFoldResult> offsets, strides;
    for (int64_t d = 0; d < rank; ++d) {
      // An empty slice reads nothing; offset 0 keeps it in bounds.
      offsets.push_back(resultType.getDimSize(d) == 0 ? OpFoldResult(b.getIndexAttr(0))
                                                      : getAsOpFoldResult(starts[d]));
      strides.push_back(b.getIndexAttr(steps[d]));
    }
    return tensor::ExtractSliceOp::create(b, loc, resultType, input, offsets, sizes,
                                          strides);
  }
  return gatherFrom(b, loc, input, {}, {}, resultType, sizes,
                    [&](OpBuilder &nb, Location l, ValueRange) {
                      SmallVector<Value> coords;
                      for (int64_t d = 0; d < rank; ++d) {
                        Value i = linalg::IndexOp::create(nb, l, d);
                        Value scaled = arith::MulIOp::create(nb, l, i, index(nb, l, steps[d]));
                        coords.push_back(arith::AddIOp::create(nb, l, starts[d], scaled));
                      }
                      return coords;
                    });
}

Value lowerGather(OpBuilder &b, GatherOp op) {
  Location loc = op.getLoc();
  Value data = op.getData(), indices = op.getIndices();
  auto dataType = cast<RankedTensorType>(data.getType());
  auto indicesType = cast<RankedTensorType>(indices.getType());
  RankedTensorType resultType = op.getType();
  int64_t axis = op.getAxis(), irank = indicesType.getRank();
  SmallVector<OpFoldResult> dataDims = getDims(b, loc, data);
  SmallVector<OpFoldResult> dims(dataDims.begin(), dataDims.begin() + axis);
  llvm::append_range(dims, getDims(b, loc, indices));
  dims.append(dataDims.begin() + axis + 1, dataDims.end());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < irank; ++d)
    exprs.push_back(getAffineDimExpr(axis + d, ctx));
  AffineMap indicesMap = AffineMap::get(resultType.getRank(), 0, exprs, ctx);
  Value n = getValueOrCreateConstantIndexOp(b, loc, dataDims[axis]);
  return gatherFrom(
      b, loc, data, indices, indicesMap, resultType, dims,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        // Negative indices count from the end; out-of-range ones are clamped
        // so that a bad index never reads outside the tensor.
        Value raw = arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[0]);
        Value wrapped = arith::SelectOp::create(
            nb, l,
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, raw, index(nb, l, 0)),
            arith::AddIOp::create(nb, l, raw, n), raw);
        Value hi = arith::SubIOp::create(nb, l, n, index(nb, l, 1));
        Value idx = arith::MaxSIOp::create(
            nb, l, arith::MinSIOp::create(nb, l, wrapped, hi), index(nb, l, 0));
        SmallVector<Value> coords;
        for (int64_t d = 0; d < dataType.getRank(); ++d) {
          if (d == axis)
            coords.push_back(idx);
          else
            coords.push_back(linalg::IndexOp::create(nb, l, d < axis ? d : d + irank - 1));
        }
        return coords;
      });
}

Value lowerPad(OpBuilder &b, PadOp op) {
  Location loc = op.getLoc();
  Value input = op.getInput();
  RankedTensorType resultType = op.getType();
  Type elem = resultType.getElementType();
  ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
  if (op.getMode() == PadMode::constant) {
    Value value = castScalar(b, loc,
                             scalarConstant(b, loc, b.getF64Type(),
                                            op.getValue().convertToDouble()),
                             elem);
    SmallVector<OpFoldResult> lo, hi;
    for (auto [l, h] : llvm::zip(low, high)) {
      lo.push_back(b.getIndexAttr(l));
      hi.push_back(b.getIndexAttr(h));
    }
    return tensor::PadOp::create(b, loc, resultType, input, lo, hi, value);
  }
  SmallVector<OpFoldResult> inDims = getDims(b, loc, input), dims;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    dims.push_back(resultType.isDynamicDim(d)
                       ? getAsOpFoldResult(b.createOrFold<arith::AddIOp>(
                             loc, getValueOrCreateConstantIndexOp(b, loc, inDims[d]),
                             index(b, loc, low[d] + high[d])))
                       : OpFoldResult(b.getIndexAttr(resultType.getDimSize(d))));
  bool reflect = op.getMode() == PadMode::reflect;
  return gatherFrom(
      b, loc, input, {}, {}, resultType, dims,
      [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> coords;
        for (int64_t d = 0; d < resultType.getRank(); ++d) {
          Value n = getValueOrCreateConstantIndexOp(nb, l, inDims[d]);
          Value last = arith::SubIOp::create(nb, l, n, index(nb, l, 1));
          Value j = arith::SubIOp::create(nb, l, linalg::IndexOp::create(nb, l, d),
                                          index(nb, l, low[d]));
          if (reflect) {
            // Mirror without repeating the edge: -j before, 2(n-1)-j after.
            Value zero = index(nb, l, 0);
            Value mirroredLow = arith::SubIOp::create(nb, l, zero, j);
            j = arith::SelectOp::create(
                nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, j, zero),
                mirroredLow, j);
            Value twiceLast = arith::AddIOp::create(nb, l, last, last);
            j = arith::SelectOp::create(
                nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sgt, j, last),
                arith::SubIOp::create(nb, l, twiceLast, j), j);
          } else {
            j = arith::MaxSIOp::create(nb, l, arith::MinSIOp::create(nb, l, j, last),
                                       index(nb, l, 0));
          }
          coords.push_back(j);
        }
        return coords;
      });
}

} // namespace

LogicalResult lowerShapeOp(RewriterBase &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  Value result = llvm::TypeSwitch<Operation *, Value>(op)
                     .Case([&](TransposeOp t) { return lowerTranspose(rewriter, t); })
                     .Case([&](ReshapeOp r) { return lowerReshape(rewriter, r); })
                     .Case([&](ConcatOp c) { return lowerConcat(rewriter, c); })
                     .Case([&](SliceOp s) { return lowerSlice(rewriter, s); })
                     .Case([&](GatherOp g) { return lowerGather(rewriter, g); })
                     .Case([&](PadOp p) { return lowerPad(rewriter, p); })
                     .Default([](Operation *) { return Value(); });
  return replaceWithLowered(rewriter, op, result);
}

} // namespace axon
