//===- FusionUtils.cpp - Matching helpers for the fusion patterns ---------===//

#include "FusionUtils.h"

#include <cmath>

using namespace mlir;

namespace axon {

std::optional<double> getSplatValue(Value value) {
  auto cst = value.getDefiningOp<ConstantOp>();
  if (!cst)
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(cst.getValue());
  if (!dense || !dense.isSplat())
    return std::nullopt;
  if (isa<FloatType>(dense.getElementType())) {
    APFloat v = dense.getSplatValue<APFloat>();
    bool lost;
    v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    return v.convertToDouble();
  }
  if (dense.getElementType().isInteger(1))
    return std::nullopt;
  return static_cast<double>(dense.getSplatValue<APInt>().getSExtValue());
}

bool isSplatNear(Value value, double expected) {
  std::optional<double> v = getSplatValue(value);
  return v && std::fabs(*v - expected) <= 1e-3 * std::fabs(expected);
}

bool usedOnlyBy(Value value, ArrayRef<Operation *> users) {
  if (value.use_empty())
    return false;
  return llvm::all_of(value.getUsers(), [&](Operation *user) {
    return llvm::is_contained(users, user);
  });
}

void collectProductFactors(MulOp root, SmallVectorImpl<Value> &factors,
                           SmallVectorImpl<Operation *> &muls) {
  muls.push_back(root);
  for (Value operand : {root.getLhs(), root.getRhs()}) {
    auto inner = operand.getDefiningOp<MulOp>();
    if (inner && inner->hasOneUse() && inner.getType() == root.getType())
      collectProductFactors(inner, factors, muls);
    else
      factors.push_back(operand);
  }
}

SmallVector<int64_t> dropLeadingOnes(ArrayRef<int64_t> shape) {
  while (!shape.empty() && shape.front() == 1)
    shape = shape.drop_front();
  return SmallVector<int64_t>(shape);
}

Value reshapeTo(PatternRewriter &rewriter, Location loc, Value value,
                ArrayRef<int64_t> shape) {
  if (cast<RankedTensorType>(value.getType()).getShape() == shape)
    return value;
  return ReshapeOp::create(rewriter, loc, value, rewriter.getDenseI64ArrayAttr(shape));
}

} // namespace axon
