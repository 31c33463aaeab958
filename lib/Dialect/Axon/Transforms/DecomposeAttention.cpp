//===- DecomposeAttention.cpp - axon.attention as matmuls and softmax -----===//

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Dialect/Axon/Transforms/Decompositions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace axon {
namespace {

/// scores with -inf where key j > query i (the last two dims).
Value maskCausal(OpBuilder &b, Location loc, Value scores) {
  auto type = cast<RankedTensorType>(scores.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, scores, d));
  Value init = tensor::EmptyOp::create(b, loc, type, dynamicSizes);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  Type elem = type.getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, type, ValueRange{scores}, ValueRange{init},
      ArrayRef<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value i = linalg::IndexOp::create(nb, l, rank - 2);
        Value j = linalg::IndexOp::create(nb, l, rank - 1);
        Value hidden =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ugt, j, i);
        Value negInf = arith::ConstantOp::create(
            nb, l, elem,
            nb.getFloatAttr(elem, -std::numeric_limits<double>::infinity()));
        linalg::YieldOp::create(nb, l,
                                ValueRange{arith::SelectOp::create(
                                    nb, l, hidden, negInf, args[0])});
      });
  return generic.getResult(0);
}

} // namespace

LogicalResult decomposeAttention(RewriterBase &rewriter, Operation *operation) {
  auto op = cast<AttentionOp>(operation);
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  auto qType = cast<RankedTensorType>(op.getQuery().getType());
  Type elem = qType.getElementType();
  int64_t rank = qType.getRank();
  Value scores =
      MatmulOp::create(rewriter, loc, op.getQuery(), op.getKey(),
                       /*transpose_lhs=*/false, /*transpose_rhs=*/true);
  double scale =
      op.getScale()
          ? op.getScale()->convertToDouble()
          : 1.0 / std::sqrt(static_cast<double>(qType.getDimSize(rank - 1)));
  if (!op.getScale() && qType.isDynamicDim(rank - 1))
    return op.emitOpError() << "with query type " << qType
                            << " cannot be lowered: a dynamic head size needs "
                               "an explicit 'scale'";
  auto scalarType = RankedTensorType::get({}, elem);
  auto splat = [&](double v) {
    return ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(scalarType, rewriter.getFloatAttr(elem, v)));
  };
  scores = MulOp::create(rewriter, loc, scores, splat(scale));
  if (Value mask = op.getMask()) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    if (maskType.getElementType().isInteger(1))
      scores =
          SelectOp::create(rewriter, loc, mask, scores,
                           splat(-std::numeric_limits<double>::infinity()));
    else
      scores = AddOp::create(rewriter, loc, scores, mask);
  }
  if (op.getCausal()) {
    // Key position j > query position i is hidden.
    scores = maskCausal(rewriter, loc, scores);
  }
  Value probs =
      SoftmaxOp::create(rewriter, loc, scores,
                        cast<RankedTensorType>(scores.getType()).getRank() - 1);
  rewriter.replaceOpWithNewOp<MatmulOp>(op, probs, op.getValue());
  return success();
}

LogicalResult decomposeAllAttention(RewriterBase &rewriter, Operation *root) {
  SmallVector<AttentionOp> attention;
  root->walk([&](AttentionOp op) { attention.push_back(op); });
  for (AttentionOp op : attention)
    if (failed(decomposeAttention(rewriter, op)))
      return failure();
  return success();
}

} // namespace axon
