//===- OpCost.cpp - FLOPs and compulsory bytes of an op, from its IR ------===//

#include "axon/Analysis/OpCost.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace axon {

std::optional<int64_t> typeBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !isa<TensorType, MemRefType>(type) || !shaped.hasStaticShape())
    return std::nullopt;
  Type element = shaped.getElementType();
  if (auto complex = dyn_cast<ComplexType>(element))
    element = complex.getElementType();
  unsigned bits = element.isIndex() ? 64 : element.getIntOrFloatBitWidth();
  return shaped.getNumElements() * int64_t((bits + 7) / 8);
}

/// A linalg op reads its inputs, writes its inits, and reads an init too
/// only when its body uses the value (a matmul accumulating, not a fill).
static std::optional<int64_t> linalgBytes(linalg::LinalgOp op) {
  int64_t total = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<ShapedType>(operand.get().getType()))
      continue;
    std::optional<int64_t> bytes = typeBytes(operand.get().getType());
    if (!bytes)
      return std::nullopt;
    bool init = op.isDpsInit(&operand);
    bool read = !init || op.payloadUsesValueFromOperand(&operand);
    total += *bytes * ((read ? 1 : 0) + (init ? 1 : 0));
  }
  return total;
}

std::optional<int64_t> opBytes(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return linalgBytes(linalgOp);
  int64_t total = 0;
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    if (!isa<ShapedType>(type))
      continue;
    std::optional<int64_t> bytes = typeBytes(type);
    if (!bytes)
      return std::nullopt;
    total += *bytes;
  }
  return total;
}

static std::optional<int64_t> elements(Value value) {
  auto type = dyn_cast<ShapedType>(value.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  return type.getNumElements();
}

/// Scalar arith/math ops in a linalg body, each counted once.
static int64_t bodyOps(linalg::LinalgOp op) {
  int64_t count = 0;
  for (Operation &inner : op.getBlock()->without_terminator()) {
    StringRef dialect = inner.getName().getDialectNamespace();
    if ((dialect == "arith" || dialect == "math") &&
        !isa<arith::ConstantOp>(inner))
      ++count;
  }
  return count;
}

static std::optional<int64_t> estimateFlops(Operation *op) {
  if (auto matmul = dyn_cast<MatmulOp>(op)) {
    auto lhs = cast<ShapedType>(matmul.getLhs().getType());
    std::optional<int64_t> out = elements(matmul.getResult());
    if (!out || !lhs.hasStaticShape() || lhs.getRank() < 1)
      return std::nullopt;
    int64_t k = lhs.getRank() == 1         ? lhs.getDimSize(0)
                : matmul.getTransposeLhs() ? lhs.getDimSize(lhs.getRank() - 2)
                                           : lhs.getDimSize(lhs.getRank() - 1);
    return 2 * *out * k;
  }
  if (auto conv = dyn_cast<Conv2dOp>(op)) {
    auto filter = cast<ShapedType>(conv.getFilter().getType());
    std::optional<int64_t> out = elements(conv.getResult());
    if (!out || !filter.hasStaticShape())
      return std::nullopt;
    // filter: F x C/g x KH x KW
    return 2 * *out * filter.getDimSize(1) * filter.getDimSize(2) *
           filter.getDimSize(3);
  }
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    auto q = cast<ShapedType>(attention.getQuery().getType());
    auto k = cast<ShapedType>(attention.getKey().getType());
    if (!q.hasStaticShape() || !k.hasStaticShape() || q.getRank() < 2)
      return std::nullopt;
    // Q: [..., Sq, D]; each query row meets Sk keys twice (Q K^T and P V).
    int64_t flops = 4 * q.getNumElements() * k.getDimSize(k.getRank() - 2);
    return attention.getCausal() ? flops / 2 : flops;
  }
  if (isa<MaxPool2dOp, AvgPool2dOp>(op)) {
    std::optional<int64_t> out = elements(op->getResult(0));
    auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel_shape");
    if (!out || !kernel)
      return std::nullopt;
    int64_t window = 1;
    for (int64_t k : kernel.asArrayRef())
      window *= k;
    return *out * window;
  }
  if (isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp, RmsNormOp>(op)) {
    std::optional<int64_t> n = elements(op->getOperand(0));
    return n ? std::optional<int64_t>(5 * *n) : std::nullopt;
  }
  if (isa<ReduceSumOp, ReduceMaxOp, ReduceMinOp, ReduceMeanOp, GlobalAvgPoolOp>(
          op))
    return elements(op->getOperand(0));
  if (isa<TransposeOp, SliceOp>(op))
    return 0;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    if (!linalgOp.hasPureTensorSemantics() &&
        !linalgOp.hasPureBufferSemantics())
      return std::nullopt;
    int64_t points = 1;
    for (int64_t range : linalgOp.getStaticLoopRanges()) {
      if (ShapedType::isDynamic(range))
        return std::nullopt;
      points *= range;
    }
    return points * bodyOps(linalgOp);
  }
  return std::nullopt;
}

std::optional<OpCost> estimateOpCost(Operation *op) {
  std::optional<int64_t> flops = estimateFlops(op);
  std::optional<int64_t> bytes = opBytes(op);
  if (!flops || !bytes)
    return std::nullopt;
  return OpCost{*flops, *bytes};
}

} // namespace axon
