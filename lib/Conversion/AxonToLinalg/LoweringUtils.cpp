//===- LoweringUtils.cpp - Helpers shared by the axon-to-linalg lowerings -===//

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

namespace axon {

SmallVector<OpFoldResult> getDims(OpBuilder &b, Location loc, Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

SmallVector<OpFoldResult> getBroadcastDims(OpBuilder &b, Location loc,
                                           ValueRange operands,
                                           RankedTensorType type) {
  SmallVector<OpFoldResult> dims;
  int64_t rank = type.getRank();
  for (int64_t d = 0; d < rank; ++d) {
    if (!type.isDynamicDim(d)) {
      dims.push_back(b.getIndexAttr(type.getDimSize(d)));
      continue;
    }
    OpFoldResult size;
    for (Value operand : operands) {
      auto operandType = cast<RankedTensorType>(operand.getType());
      int64_t od = d - (rank - operandType.getRank());
      if (od < 0 || operandType.getDimSize(od) == 1)
        continue;
      size = b.createOrFold<tensor::DimOp>(loc, operand, od);
      break;
    }
    // All operands have a static 1 there: the result type cannot be dynamic.
    assert(size && "dynamic result dim without a dynamic operand dim");
    dims.push_back(size);
  }
  return dims;
}

AffineMap getBroadcastMap(RankedTensorType operand, RankedTensorType result) {
  MLIRContext *ctx = operand.getContext();
  int64_t offset = result.getRank() - operand.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < operand.getRank(); ++d) {
    bool stretched = operand.getDimSize(d) == 1 &&
                     result.getDimSize(d + offset) != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(d + offset, ctx));
  }
  return AffineMap::get(result.getRank(), 0, exprs, ctx);
}

Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> dims) {
  return tensor::EmptyOp::create(b, loc, dims, type.getElementType());
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   ArrayRef<OpFoldResult> dims, Value value) {
  Value empty = createEmpty(b, loc, type, dims);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value buildElementwise(OpBuilder &b, Location loc, ValueRange operands,
                       RankedTensorType resultType, ScalarFn body) {
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(
        getBroadcastMap(cast<RankedTensorType>(operand.getType()), resultType));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = createEmpty(b, loc, resultType,
                           getBroadcastDims(b, loc, operands, resultType));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value reductionIdentity(OpBuilder &b, Location loc, Type type,
                        ReductionKind kind) {
  switch (kind) {
  case ReductionKind::Sum:
    return scalarConstant(b, loc, type, 0);
  case ReductionKind::Prod:
    return scalarConstant(b, loc, type, 1);
  case ReductionKind::Max:
  case ReductionKind::Min: {
    bool isMax = kind == ReductionKind::Max;
    if (auto floatType = dyn_cast<FloatType>(type))
      return arith::ConstantOp::create(
          b, loc,
          b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                    /*Negative=*/isMax)));
    unsigned width = type.getIntOrFloatBitWidth();
    APInt bound = isMax ? APInt::getSignedMinValue(width)
                        : APInt::getSignedMaxValue(width);
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, bound));
  }
  }
  llvm_unreachable("unknown reduction kind");
}

Value combine(OpBuilder &b, Location loc, ReductionKind kind, Value lhs,
              Value rhs) {
  // Also on vectors (the GPU reduction kernels combine vector lanes).
  bool fp = isFloat(getElementTypeOrSelf(lhs.getType()));
  switch (kind) {
  case ReductionKind::Sum:
    return fp ? arith::AddFOp::create(b, loc, lhs, rhs).getResult()
              : arith::AddIOp::create(b, loc, lhs, rhs).getResult();
  case ReductionKind::Prod:
    return fp ? arith::MulFOp::create(b, loc, lhs, rhs).getResult()
              : arith::MulIOp::create(b, loc, lhs, rhs).getResult();
  case ReductionKind::Max:
    return fp ? arith::MaximumFOp::create(b, loc, lhs, rhs).getResult()
              : arith::MaxSIOp::create(b, loc, lhs, rhs).getResult();
  case ReductionKind::Min:
    return fp ? arith::MinimumFOp::create(b, loc, lhs, rhs).getResult()
              : arith::MinSIOp::create(b, loc, lhs, rhs).getResult();
  }
  llvm_unreachable("unknown reduction kind");
}

Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, ReductionKind kind) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<OpFoldResult> dims;
  SmallVector<int64_t> shape;
  for (auto [d, size] : llvm::enumerate(getDims(b, loc, input))) {
    if (llvm::is_contained(axes, static_cast<int64_t>(d)))
      continue;
    dims.push_back(size);
    shape.push_back(type.getDimSize(d));
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value init = createFilled(
      b, loc, resultType, dims,
      reductionIdentity(b, loc, type.getElementType(), kind));
  auto reduce = linalg::ReduceOp::create(
      b, loc, input, init, axes,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc,
                                combine(nb, nloc, kind, args[0], args[1]));
      });
  return reduce.getResult(0);
}

Value expandReducedDims(OpBuilder &b, Location loc, Value reduced,
                        RankedTensorType keptType, ArrayRef<int64_t> axes) {
  auto reducedType = cast<RankedTensorType>(reduced.getType());
  if (reducedType == keptType)
    return reduced;
  // Group each kept dim with the unit dims that follow it; leading unit dims
  // join the first group.
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t d = 0; d < keptType.getRank(); ++d) {
    pending.push_back(d);
    if (!llvm::is_contained(axes, d)) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (groups.empty()) // Every dim was reduced: a rank-0 source.
    return tensor::ExpandShapeOp::create(b, loc, keptType, reduced,
                                         ArrayRef<ReassociationIndices>{});
  llvm::append_range(groups.back(), pending);
  SmallVector<OpFoldResult> outShape;
  SmallVector<OpFoldResult> reducedDims = getDims(b, loc, reduced);
  for (int64_t d = 0, r = 0; d < keptType.getRank(); ++d)
    outShape.push_back(llvm::is_contained(axes, d) ? OpFoldResult(b.getIndexAttr(1))
                                                   : reducedDims[r++]);
  return tensor::ExpandShapeOp::create(b, loc, keptType, reduced, groups,
                                       outShape);
}

Value countElements(OpBuilder &b, Location loc, Value tensor,
                    ArrayRef<int64_t> axes, Type type) {
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t axis : axes) {
    Value dim = b.createOrFold<tensor::DimOp>(loc, tensor, axis);
    count = b.createOrFold<arith::MulIOp>(loc, count, dim);
  }
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
  return arith::SIToFPOp::create(b, loc, type, asInt);
}

Value computeInF32(OpBuilder &b, Location loc, ValueRange args,
                   Type resultType, ScalarFn body) {
  Type f32 = b.getF32Type();
  if (!isFloat(resultType) || resultType.getIntOrFloatBitWidth() >= 32)
    return body(b, loc, args);
  SmallVector<Value> wide;
  for (Value arg : args)
    wide.push_back(isFloat(arg.getType()) && arg.getType().getIntOrFloatBitWidth() < 32
                       ? arith::ExtFOp::create(b, loc, f32, arg).getResult()
                       : arg);
  Value result = body(b, loc, wide);
  return arith::TruncFOp::create(b, loc, resultType, result);
}

LogicalResult replaceWithLowered(RewriterBase &rewriter, Operation *op, Value result) {
  if (!result)
    return failure();
  rewriter.replaceOp(op, result);
  return success();
}

Type accumulatorType(OpBuilder &b, Type elem) {
  return isFloat(elem) && elem.getIntOrFloatBitWidth() < 32 ? b.getF32Type()
                                                            : elem;
}

Value castTensor(OpBuilder &b, Location loc, Value tensor,
                 RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType() == resultType.getElementType())
    return tensor;
  auto target = RankedTensorType::get(type.getShape(), resultType.getElementType());
  return buildElementwise(b, loc, tensor, target,
                          [&](OpBuilder &nb, Location l, ValueRange a) {
                            return castScalar(nb, l, a[0],
                                              resultType.getElementType());
                          });
}

SmallVector<int64_t> complementDims(int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      dims.push_back(d);
  return dims;
}

Value buildMapped(OpBuilder &b, Location loc, Value full, ValueRange others,
                  ArrayRef<SmallVector<int64_t>> keptDims, Type resultElement,
                  ScalarFn body) {
  auto fullType = cast<RankedTensorType>(full.getType());
  int64_t rank = fullType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  for (const SmallVector<int64_t> &dims : keptDims) {
    SmallVector<AffineExpr> exprs;
    for (int64_t d : dims)
      exprs.push_back(getAffineDimExpr(d, ctx));
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  auto resultType = RankedTensorType::get(fullType.getShape(), resultElement);
  Value init = createEmpty(b, loc, resultType, getDims(b, loc, full));
  SmallVector<Value> inputs = {full};
  llvm::append_range(inputs, others);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, body(nb, l, args.drop_back()));
             })
      .getResult(0);
}

} // namespace axon
