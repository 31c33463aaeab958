//===- LossOps.cpp - ONNX loss functions as axon ops ----------------------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss are training losses
// that exported evaluation graphs keep. They are not kernels of their own:
// each target selects its class through a one-hot mask (class ids compared
// with the target), so the loss is a select, a sum over the class axis and
// the reduction, all existing axon ops.
//
//===----------------------------------------------------------------------===//

#include "ImportContext.h"

using namespace mlir;

namespace axon::onnx_frontend {
namespace {

/// -input[n, target[n, d...], d...] * weight[target], with its reduction
/// (`none`, `sum`, or `mean`: divided by the sum of the weights taken).
/// Targets equal to `ignore_index` contribute nothing (neither loss nor
/// weight); so do targets outside [0, C), which select no class.
FailureOr<Value> negativeLogLikelihood(Node &n, Value input, Value target,
                                       Value weight) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto targetType = cast<RankedTensorType>(target.getType());
  int64_t rank = inputType.getRank();
  if (rank < 2 || targetType.getRank() != rank - 1)
    return n.error()
           << "expects input [N, C, d1...] and target [N, d1...], got ranks "
           << rank << " and " << targetType.getRank();
  if (!isa<IntegerType>(targetType.getElementType()))
    return n.error() << "target must hold integer class indices";
  int64_t classes = inputType.getDimSize(1);
  if (ShapedType::isDynamic(classes))
    return n.error() << "the class dimension (1) must be static";
  std::string reduction = n.stringAttr("reduction", "mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return n.error() << "reduction must be none, sum or mean, not '"
                     << reduction << "'";

  // Class ids [1, C, 1, ...] against targets [N, 1, d1, ...]: the one-hot mask.
  Type indexType = targetType.getElementType();
  SmallVector<int64_t> classShape(rank, 1), targetShape(targetType.getShape());
  classShape[1] = classes;
  targetShape.insert(targetShape.begin() + 1, 1);
  SmallVector<Attribute> ids;
  for (int64_t c = 0; c < classes; ++c)
    ids.push_back(n.b().getIntegerAttr(indexType, c));
  Value classIds = ConstantOp::create(
      n.b(), n.loc(),
      DenseElementsAttr::get(RankedTensorType::get(classShape, indexType),
                             ids));
  Value targets = reshapeTo(n, target, targetShape);
  if (!targets)
    return failure();
  Value mask = n.create<CmpOp>(CmpPredicate::eq, targets, classIds);

  Type elem = inputType.getElementType();
  Value zero = n.scalar(elem, 0.0);
  auto classAxis = n.b().getDenseI64ArrayAttr({1});
  Value picked = n.create<ReduceSumOp>(n.create<SelectOp>(mask, input, zero),
                                       classAxis, false);
  Value weights;
  if (weight) {
    Value perClass = reshapeTo(n, weight, classShape);
    if (!perClass)
      return failure();
    weights = n.create<SelectOp>(mask, perClass, zero);
  } else {
    weights = n.create<SelectOp>(mask, n.scalar(elem, 1.0), zero);
  }
  weights = n.create<ReduceSumOp>(weights, classAxis, false);
  if (n.hasAttr("ignore_index")) {
    Value ignored = n.scalar(indexType, n.intAttr("ignore_index", 0));
    Value kept = n.create<CmpOp>(CmpPredicate::ne, target, ignored);
    weights = n.create<SelectOp>(kept, weights, zero);
  }
  Value loss = n.create<NegOp>(n.create<MulOp>(picked, weights));
  if (reduction == "none")
    return loss;
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < rank - 1; ++d)
    all.push_back(d);
  auto allAxes = n.b().getDenseI64ArrayAttr(all);
  Value total = n.create<ReduceSumOp>(loss, allAxes, false);
  if (reduction == "sum")
    return total;
  return n.create<DivOp>(total, n.create<ReduceSumOp>(weights, allAxes, false));
}

LogicalResult negativeLogLikelihoodLoss(Node &n) {
  FailureOr<Value> loss =
      negativeLogLikelihood(n, n.input(0), n.input(1), n.input(2));
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  return success();
}

/// The loss of LogSoftmax(scores) over the class axis, which is the second
/// output (when asked for).
LogicalResult softmaxCrossEntropyLoss(Node &n) {
  if (n.inputType(0).getRank() < 2)
    return n.error() << "expects scores [N, C, d1...]";
  Value logProb = n.create<LogSoftmaxOp>(n.input(0), 1);
  FailureOr<Value> loss =
      negativeLogLikelihood(n, logProb, n.input(1), n.input(2));
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  n.setOutput(1, logProb);
  return success();
}

} // namespace

void appendLossImporters(std::vector<OpImporter> &t) {
  constexpr int kMax = 1000;
  t.insert(
      t.end(),
      {
          {"NegativeLogLikelihoodLoss", 12, kMax, negativeLogLikelihoodLoss},
          {"SoftmaxCrossEntropyLoss", 12, kMax, softmaxCrossEntropyLoss},
      });
}

} // namespace axon::onnx_frontend
