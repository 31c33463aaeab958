//===- AxonOps.cpp - Verifiers and shape rules of the axon ops ------------===//
//
// Type inference runs while parsing (before any verifier) and from builders,
// so every rule here checks its operands itself and reports through a
// diagnostic: no rule may assume that the ODS constraints already hold.
//
//===----------------------------------------------------------------------===//

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "llvm/Support/MathExtras.h"
#include "axon/Dialect/Axon/Utils/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/InterleavedRange.h"

using namespace mlir;
using namespace axon;

namespace {

/// What an inference rule needs to report errors: where, and which op.
class ShapeRule {
public:
  ShapeRule(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {}
  // errorFn() refers to this object: it must stay where it was made.
  ShapeRule(const ShapeRule &) = delete;
  ShapeRule &operator=(const ShapeRule &) = delete;

  OptionalDiagnostic emitError() const {
    if (!loc)
      return OptionalDiagnostic();
    OptionalDiagnostic diag(mlir::emitError(*loc));
    diag << "'" << opName << "' op ";
    return diag;
  }

  /// The ranked tensor type of operand `name`, or an error.
  FailureOr<RankedTensorType> ranked(Value value, StringRef name) const {
    if (!value) {
      emitError() << "requires operand '" << name << "'";
      return failure();
    }
    if (auto type = dyn_cast<RankedTensorType>(value.getType()))
      return type;
    emitError() << "operand '" << name
                << "' must be a ranked tensor, but has type " << value.getType();
    return failure();
  }

  LogicalResult requireRank(RankedTensorType type, StringRef name,
                            int64_t rank) const {
    if (type.getRank() == rank)
      return success();
    return emitError() << "operand '" << name << "' must have rank " << rank
                       << ", but has type " << type;
  }

  LogicalResult requireMinRank(RankedTensorType type, StringRef name,
                               int64_t rank) const {
    if (type.getRank() >= rank)
      return success();
    return emitError() << "operand '" << name << "' must have rank >= " << rank
                       << ", but has type " << type;
  }

  LogicalResult requireSameElementType(RankedTensorType a, StringRef aName,
                                       RankedTensorType b,
                                       StringRef bName) const {
    if (a.getElementType() == b.getElementType())
      return success();
    return emitError() << "operands '" << aName << "' and '" << bName
                       << "' must have the same element type, but have "
                       << a.getElementType() << " and " << b.getElementType();
  }

  /// Checks that a required array attribute is present with `size` entries.
  LogicalResult requireArray(DenseI64ArrayAttr attr, StringRef name,
                             int64_t size) const {
    if (!attr)
      return emitError() << "requires attribute '" << name << "'";
    return requireSize(attr.asArrayRef(), name, size);
  }

  LogicalResult requireSize(ArrayRef<int64_t> values, StringRef name,
                            int64_t size) const {
    if (static_cast<int64_t>(values.size()) == size)
      return success();
    return emitError() << "'" << name << "' must have " << size
                       << " entries, but has " << values.size();
  }

  EmitErrorFn errorFn() const { return emitErrorRef; }

private:
  std::optional<Location> loc;
  StringRef opName;
  std::function<OptionalDiagnostic()> emitErrorRef = [this] {
    return emitError();
  };
};

// Default-valued attributes are not filled in yet when the parser infers
// result types, so shape rules read them through these.
ArrayRef<int64_t> orDefault(DenseI64ArrayAttr attr, ArrayRef<int64_t> dflt) {
  return attr ? attr.asArrayRef() : dflt;
}

std::string formatDim(int64_t size) {
  return ShapedType::isDynamic(size) ? "?" : std::to_string(size);
}

/// Two sizes that must be equal agree unless both are static and differ.
bool dimsAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Infers the type of an elementwise op over `operands`, whose first
/// `sameTypeCount` operands must share an element type.
LogicalResult inferElementwise(const ShapeRule &rule,
                               ArrayRef<std::pair<Value, StringRef>> operands,
                               Type resultElementType,
                               SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  SmallVector<NamedShape> shapes;
  for (auto [value, name] : operands) {
    FailureOr<RankedTensorType> type = rule.ranked(value, name);
    if (failed(type))
      return failure();
    types.push_back(*type);
  }
  for (auto [type, operand] : llvm::zip(types, operands))
    shapes.push_back({operand.second, type.getShape()});
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(shapes, shape, rule.errorFn())))
    return failure();
  inferred.push_back(RankedTensorType::get(shape, resultElementType));
  return success();
}

LogicalResult inferBinary(const ShapeRule &rule, Value lhs, Value rhs,
                          SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> lhsType = rule.ranked(lhs, "lhs");
  FailureOr<RankedTensorType> rhsType = rule.ranked(rhs, "rhs");
  if (failed(lhsType) || failed(rhsType) ||
      failed(rule.requireSameElementType(*lhsType, "lhs", *rhsType, "rhs")))
    return failure();
  return inferElementwise(rule, {{lhs, "lhs"}, {rhs, "rhs"}},
                          lhsType->getElementType(), inferred);
}

LogicalResult inferReduction(const ShapeRule &rule, Value input,
                             DenseI64ArrayAttr axes, bool keepDims,
                             Type resultElementType,
                             SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> type = rule.ranked(input, "input");
  if (failed(type))
    return failure();
  if (!axes)
    return rule.emitError() << "requires attribute 'axes'";
  if (failed(verifyAxes(axes.asArrayRef(), type->getRank(), "axes",
                        rule.errorFn())))
    return failure();
  inferred.push_back(RankedTensorType::get(
      reduceShape(type->getShape(), axes.asArrayRef(), keepDims),
      resultElementType ? resultElementType : type->getElementType()));
  return success();
}

/// Checks the attributes of a 2-D window (conv or pool) and computes the
/// output [H, W] from the input's.
LogicalResult inferWindow2d(const ShapeRule &rule, ArrayRef<int64_t> spatial,
                            ArrayRef<int64_t> kernel, DenseI64ArrayAttr stridesAttr,
                            DenseI64ArrayAttr paddingAttr,
                            DenseI64ArrayAttr dilationsAttr, bool ceilMode,
                            bool padBelowKernel,
                            SmallVectorImpl<int64_t> &out) {
  static constexpr int64_t kOnes[] = {1, 1}, kZeros[] = {0, 0, 0, 0};
  ArrayRef<int64_t> strides = orDefault(stridesAttr, kOnes);
  ArrayRef<int64_t> padding = orDefault(paddingAttr, kZeros);
  ArrayRef<int64_t> dilations = orDefault(dilationsAttr, kOnes);
  if (failed(rule.requireSize(strides, "strides", 2)) ||
      failed(rule.requireSize(padding, "padding", 4)) ||
      failed(rule.requireSize(dilations, "dilations", 2)))
    return failure();
  for (auto [name, values] : {std::make_pair(StringRef("strides"), strides),
                              std::make_pair(StringRef("dilations"), dilations)})
    for (int64_t v : values)
      if (v <= 0)
        return rule.emitError() << "'" << name
                                << "' entries must be positive, but got " << v;
  for (int64_t p : padding)
    if (p < 0)
      return rule.emitError()
             << "'padding' entries must be non-negative, but got " << p;
  for (int d = 0; d < 2; ++d) {
    int64_t padBegin = padding[d], padEnd = padding[d + 2];
    if (padBelowKernel && !ShapedType::isDynamic(kernel[d]) &&
        (padBegin >= kernel[d] || padEnd >= kernel[d]))
      return rule.emitError() << "'padding' along spatial dimension " << d
                              << " must be smaller than the kernel extent "
                              << kernel[d];
    if (ShapedType::isDynamic(kernel[d])) {
      out.push_back(ShapedType::kDynamic);
      continue;
    }
    std::optional<int64_t> size =
        windowOutputSize(spatial[d], kernel[d], strides[d], dilations[d],
                         padBegin, padEnd, ceilMode);
    if (!size)
      return rule.emitError()
             << "window of extent " << kernel[d] << " (dilation "
             << dilations[d] << ") does not fit spatial dimension " << d
             << " of size " << spatial[d] << " with padding " << padBegin
             << " + " << padEnd;
    out.push_back(*size);
  }
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  ElementsAttr value = adaptor.getValueAttr();
  if (!value)
    return rule.emitError() << "requires attribute 'value'";
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return rule.emitError() << "'value' must have a ranked tensor type, but has "
                            << value.getType();
  inferred.push_back(type);
  return success();
}

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError() << "'value' type " << getValue().getType()
                         << " differs from the result type " << getType();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// Elementwise binary ops, cmp and select
//===----------------------------------------------------------------------===//

#define AXON_BINARY_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,             \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return inferBinary(ShapeRule(loc, getOperationName()), adaptor.getLhs(),  \
                       adaptor.getRhs(), inferred);                            \
  }
AXON_BINARY_INFER(AddOp)
AXON_BINARY_INFER(SubOp)
AXON_BINARY_INFER(MulOp)
AXON_BINARY_INFER(DivOp)
AXON_BINARY_INFER(PowOp)
AXON_BINARY_INFER(MaxOp)
AXON_BINARY_INFER(MinOp)
#undef AXON_BINARY_INFER

LogicalResult CmpOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> lhs = rule.ranked(adaptor.getLhs(), "lhs");
  FailureOr<RankedTensorType> rhs = rule.ranked(adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs) ||
      failed(rule.requireSameElementType(*lhs, "lhs", *rhs, "rhs")))
    return failure();
  return inferElementwise(rule,
                          {{adaptor.getLhs(), "lhs"}, {adaptor.getRhs(), "rhs"}},
                          IntegerType::get(context, 1), inferred);
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> cond = rule.ranked(adaptor.getCondition(), "condition");
  FailureOr<RankedTensorType> t = rule.ranked(adaptor.getTrueValue(), "true_value");
  FailureOr<RankedTensorType> f = rule.ranked(adaptor.getFalseValue(), "false_value");
  if (failed(cond) || failed(t) || failed(f) ||
      failed(rule.requireSameElementType(*t, "true_value", *f, "false_value")))
    return failure();
  if (!cond->getElementType().isInteger(1))
    return rule.emitError() << "operand 'condition' must have element type i1, "
                               "but has "
                            << cond->getElementType();
  return inferElementwise(rule,
                          {{adaptor.getCondition(), "condition"},
                           {adaptor.getTrueValue(), "true_value"},
                           {adaptor.getFalseValue(), "false_value"}},
                          t->getElementType(), inferred);
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() &&
      getMin()->convertToDouble() > getMax()->convertToDouble())
    return emitOpError() << "'min' (" << getMin()->convertToDouble()
                         << ") exceeds 'max' (" << getMax()->convertToDouble()
                         << ")";
  return success();
}

LogicalResult CastOp::verify() {
  if (getInput().getType().getShape() != getType().getShape())
    return emitOpError() << "result shape differs from the input shape: "
                         << getInput().getType() << " vs " << getType();
  return success();
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> lhs = rule.ranked(adaptor.getLhs(), "lhs");
  FailureOr<RankedTensorType> rhs = rule.ranked(adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs) || failed(rule.requireMinRank(*lhs, "lhs", 2)) ||
      failed(rule.requireMinRank(*rhs, "rhs", 2)) ||
      failed(rule.requireSameElementType(*lhs, "lhs", *rhs, "rhs")))
    return failure();
  ArrayRef<int64_t> a = lhs->getShape(), b = rhs->getShape();
  int64_t ar = a.size(), br = b.size();
  bool tl = adaptor.getTransposeLhs(), tr = adaptor.getTransposeRhs();
  int64_t m = tl ? a[ar - 1] : a[ar - 2];
  int64_t kLhs = tl ? a[ar - 2] : a[ar - 1];
  int64_t kRhs = tr ? b[br - 1] : b[br - 2];
  int64_t n = tr ? b[br - 2] : b[br - 1];
  if (!dimsAgree(kLhs, kRhs))
    return rule.emitError() << "contraction sizes differ: 'lhs' has K = "
                            << formatDim(kLhs) << " but 'rhs' has K = "
                            << formatDim(kRhs);
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes({{"lhs batch", a.drop_back(2)},
                              {"rhs batch", b.drop_back(2)}},
                             shape, rule.errorFn())))
    return failure();
  shape.append({m, n});
  if (Value bias = adaptor.getBias()) {
    FailureOr<RankedTensorType> biasType = rule.ranked(bias, "bias");
    if (failed(biasType) || failed(rule.requireRank(*biasType, "bias", 1)) ||
        failed(rule.requireSameElementType(*lhs, "lhs", *biasType, "bias")))
      return failure();
    if (!dimsAgree(biasType->getDimSize(0), n))
      return rule.emitError() << "'bias' has " << formatDim(biasType->getDimSize(0))
                              << " entries but the result has N = " << formatDim(n);
  }
  inferred.push_back(RankedTensorType::get(shape, lhs->getElementType()));
  return success();
}

/// Checks an activation epilogue: clip bounds only (and at least one) with
/// `clip`, min <= max, and only relu/clip on integer tensors.
static LogicalResult verifyActivation(Operation *op, Type elementType,
                                      Activation activation,
                                      std::optional<APFloat> lo,
                                      std::optional<APFloat> hi) {
  bool isClip = activation == Activation::clip;
  if (!isClip && (lo || hi))
    return op->emitOpError() << "'clip_min'/'clip_max' need 'activation = clip', "
                                "not '"
                             << stringifyActivation(activation) << "'";
  if (isClip && !lo && !hi)
    return op->emitOpError() << "'activation = clip' needs 'clip_min' or 'clip_max'";
  if (lo && hi && lo->convertToDouble() > hi->convertToDouble())
    return op->emitOpError() << "'clip_min' (" << lo->convertToDouble()
                             << ") exceeds 'clip_max' (" << hi->convertToDouble()
                             << ")";
  if (!isa<FloatType>(elementType) && activation != Activation::none &&
      activation != Activation::relu && !isClip)
    return op->emitOpError() << "activation '" << stringifyActivation(activation)
                             << "' needs a floating-point result, not "
                             << elementType;
  return success();
}

LogicalResult MatmulOp::verify() {
  return verifyActivation(*this, getType().getElementType(), getActivation(),
                          getClipMin(), getClipMax());
}

LogicalResult Conv2dOp::verify() {
  return verifyActivation(*this, getType().getElementType(), getActivation(),
                          getClipMin(), getClipMax());
}

//===----------------------------------------------------------------------===//
// Conv2dOp and pooling
//===----------------------------------------------------------------------===//

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  FailureOr<RankedTensorType> filter = rule.ranked(adaptor.getFilter(), "filter");
  if (failed(input) || failed(filter) ||
      failed(rule.requireRank(*input, "input", 4)) ||
      failed(rule.requireRank(*filter, "filter", 4)) ||
      failed(rule.requireSameElementType(*input, "input", *filter, "filter")))
    return failure();
  ArrayRef<int64_t> x = input->getShape(), w = filter->getShape();
  int64_t groups = adaptor.getGroupsAttr() ? adaptor.getGroupsAttr().getInt() : 1;
  if (groups <= 0)
    return rule.emitError() << "'groups' must be positive, but is " << groups;
  int64_t channels = x[1], filters = w[0], filterChannels = w[1];
  if (!ShapedType::isDynamic(filters) && filters % groups != 0)
    return rule.emitError() << "'filter' dimension 0 (" << filters
                            << " filters) is not a multiple of 'groups' ("
                            << groups << ")";
  if (!ShapedType::isDynamic(filterChannels) &&
      !dimsAgree(channels, filterChannels * groups))
    return rule.emitError() << "'input' dimension 1 has " << channels
                            << " channels, but 'filter' dimension 1 ("
                            << filterChannels << ") times 'groups' (" << groups
                            << ") is " << filterChannels * groups;
  if (Value bias = adaptor.getBias()) {
    FailureOr<RankedTensorType> biasType = rule.ranked(bias, "bias");
    if (failed(biasType) || failed(rule.requireRank(*biasType, "bias", 1)) ||
        failed(rule.requireSameElementType(*input, "input", *biasType, "bias")))
      return failure();
    if (!dimsAgree(biasType->getDimSize(0), filters))
      return rule.emitError() << "'bias' has " << biasType->getDimSize(0)
                              << " entries but there are " << filters
                              << " filters";
  }
  SmallVector<int64_t> spatial;
  if (failed(inferWindow2d(rule, x.drop_front(2), w.drop_front(2),
                           adaptor.getStridesAttr(), adaptor.getPaddingAttr(),
                           adaptor.getDilationsAttr(), /*ceilMode=*/false,
                           /*padBelowKernel=*/false, spatial)))
    return failure();
  inferred.push_back(RankedTensorType::get(
      {x[0], filters, spatial[0], spatial[1]}, input->getElementType()));
  return success();
}

template <typename PoolOp>
static LogicalResult inferPool(std::optional<Location> loc,
                               typename PoolOp::Adaptor adaptor,
                               SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, PoolOp::getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  if (failed(input) || failed(rule.requireRank(*input, "input", 4)) ||
      failed(rule.requireArray(adaptor.getKernelShapeAttr(), "kernel_shape", 2)))
    return failure();
  for (int64_t k : adaptor.getKernelShape())
    if (k <= 0)
      return rule.emitError()
             << "'kernel_shape' entries must be positive, but got " << k;
  SmallVector<int64_t> spatial;
  ArrayRef<int64_t> x = input->getShape();
  if (failed(inferWindow2d(rule, x.drop_front(2), adaptor.getKernelShape(),
                           adaptor.getStridesAttr(), adaptor.getPaddingAttr(),
                           adaptor.getDilationsAttr(), adaptor.getCeilMode(),
                           /*padBelowKernel=*/true, spatial)))
    return failure();
  inferred.push_back(RankedTensorType::get({x[0], x[1], spatial[0], spatial[1]},
                                           input->getElementType()));
  return success();
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferPool<MaxPool2dOp>(loc, adaptor, inferred);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferPool<AvgPool2dOp>(loc, adaptor, inferred);
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  if (failed(input) || failed(rule.requireMinRank(*input, "input", 3)))
    return failure();
  SmallVector<int64_t> shape(input->getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

#define AXON_REDUCE_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,             \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return inferReduction(ShapeRule(loc, getOperationName()),                 \
                          adaptor.getInput(), adaptor.getAxesAttr(),           \
                          adaptor.getKeepDims(), Type(), inferred);            \
  }
AXON_REDUCE_INFER(ReduceSumOp)
AXON_REDUCE_INFER(ReduceMaxOp)
AXON_REDUCE_INFER(ReduceMinOp)
AXON_REDUCE_INFER(ReduceMeanOp)
AXON_REDUCE_INFER(ReduceProdOp)
#undef AXON_REDUCE_INFER

LogicalResult ArgmaxOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  if (!adaptor.getAxisAttr())
    return rule.emitError() << "requires attribute 'axis'";
  int64_t axis = adaptor.getAxis();
  return inferReduction(rule, adaptor.getInput(),
                        DenseI64ArrayAttr::get(context, {axis}),
                        adaptor.getKeepDims(), IntegerType::get(context, 64),
                        inferred);
}

//===----------------------------------------------------------------------===//
// Softmax, normalization, attention
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(getAxis(), getType().getRank(), "axis",
                    [&] { return emitOpError(); });
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(getAxis(), getType().getRank(), "axis",
                    [&] { return emitOpError(); });
}

/// Checks the axes, epsilon and per-position parameters of a normalization.
static LogicalResult verifyNormalization(Operation *op, RankedTensorType type,
                                         ArrayRef<int64_t> axes, APFloat epsilon,
                                         ArrayRef<std::pair<Value, StringRef>> params) {
  auto emit = [&] { return op->emitOpError(); };
  if (failed(verifyAxes(axes, type.getRank(), "axes", emit)))
    return failure();
  if (axes.empty())
    return op->emitOpError() << "'axes' must name at least one dimension";
  if (epsilon.convertToFloat() < 0)
    return op->emitOpError() << "'epsilon' must be non-negative";
  SmallVector<int64_t> normalized;
  for (int64_t axis : axes)
    normalized.push_back(type.getDimSize(axis));
  for (auto [param, name] : params) {
    if (!param)
      continue;
    auto paramType = cast<RankedTensorType>(param.getType());
    if (paramType.getElementType() != type.getElementType())
      return op->emitOpError() << "'" << name << "' element type "
                               << paramType.getElementType()
                               << " differs from the input's "
                               << type.getElementType();
    if (failed(verifyCompatibleShape(paramType.getShape(), normalized)))
      return op->emitOpError()
             << "'" << name << "' has type " << paramType
             << " but the normalized dimensions have shape ["
             << llvm::interleaved(llvm::map_range(normalized, formatDim), ", ")
             << "]";
  }
  return success();
}

LogicalResult LayerNormOp::verify() {
  return verifyNormalization(*this, getInput().getType(), getAxes(),
                             getEpsilon(),
                             {{getScale(), "scale"}, {getBias(), "bias"}});
}

LogicalResult RmsNormOp::verify() {
  return verifyNormalization(*this, getInput().getType(), getAxes(),
                             getEpsilon(), {{getScale(), "scale"}});
}

LogicalResult BatchNormOp::verify() {
  RankedTensorType type = getInput().getType();
  auto paramType = cast<RankedTensorType>(getScale().getType());
  if (type.getRank() < 2)
    return emitOpError() << "operand 'input' must have rank >= 2, but has type "
                         << type;
  if (paramType.getRank() != 1 || !dimsAgree(paramType.getDimSize(0), type.getDimSize(1)))
    return emitOpError() << "'scale', 'bias', 'mean' and 'variance' must be ["
                         << formatDim(type.getDimSize(1))
                         << "] (the channel count), but have type " << paramType;
  if (paramType.getElementType() != type.getElementType())
    return emitOpError() << "parameter element type " << paramType.getElementType()
                         << " differs from the input's " << type.getElementType();
  if (getEpsilon().convertToFloat() < 0)
    return emitOpError() << "'epsilon' must be non-negative";
  return success();
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> q = rule.ranked(adaptor.getQuery(), "query");
  FailureOr<RankedTensorType> k = rule.ranked(adaptor.getKey(), "key");
  FailureOr<RankedTensorType> v = rule.ranked(adaptor.getValue(), "value");
  if (failed(q) || failed(k) || failed(v) ||
      failed(rule.requireMinRank(*q, "query", 2)) ||
      failed(rule.requireSameElementType(*q, "query", *k, "key")) ||
      failed(rule.requireSameElementType(*q, "query", *v, "value")))
    return failure();
  int64_t rank = q->getRank();
  if (k->getRank() != rank || v->getRank() != rank)
    return rule.emitError() << "'query', 'key' and 'value' must have the same "
                               "rank, but have ranks "
                            << rank << ", " << k->getRank() << " and "
                            << v->getRank();
  int64_t lq = q->getDimSize(rank - 2), d = q->getDimSize(rank - 1);
  int64_t lk = k->getDimSize(rank - 2), dv = v->getDimSize(rank - 1);
  if (!dimsAgree(d, k->getDimSize(rank - 1)))
    return rule.emitError() << "'query' head size " << formatDim(d)
                            << " differs from 'key' head size "
                            << formatDim(k->getDimSize(rank - 1));
  if (!dimsAgree(lk, v->getDimSize(rank - 2)))
    return rule.emitError() << "'key' has " << formatDim(lk)
                            << " positions but 'value' has "
                            << formatDim(v->getDimSize(rank - 2));
  SmallVector<int64_t> batch;
  if (failed(broadcastShapes({{"query batch", q->getShape().drop_back(2)},
                              {"key batch", k->getShape().drop_back(2)},
                              {"value batch", v->getShape().drop_back(2)}},
                             batch, rule.errorFn())))
    return failure();
  if (Value mask = adaptor.getMask()) {
    FailureOr<RankedTensorType> maskType = rule.ranked(mask, "mask");
    if (failed(maskType))
      return failure();
    Type maskElement = maskType->getElementType();
    if (!maskElement.isInteger(1) && maskElement != q->getElementType())
      return rule.emitError() << "'mask' must have element type i1 or "
                              << q->getElementType() << ", but has "
                              << maskElement;
    SmallVector<int64_t> scores(batch);
    scores.append({lq, lk});
    if (failed(verifyBroadcastableTo({"mask", maskType->getShape()},
                                     {"scores", scores}, rule.errorFn())))
      return failure();
  }
  if (std::optional<APFloat> scale = adaptor.getScale();
      scale && !(scale->convertToDouble() > 0))
    return rule.emitError() << "'scale' must be positive";
  batch.append({lq, dv});
  inferred.push_back(RankedTensorType::get(batch, q->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  if (!adaptor.getPermAttr())
    return rule.emitError() << "requires attribute 'perm'";
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (failed(verifyPermutation(perm, input->getRank(), "perm", rule.errorFn())))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(input->getDimSize(p));
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  if (!adaptor.getNewShapeAttr())
    return rule.emitError() << "requires attribute 'new_shape'";
  SmallVector<int64_t> shape(adaptor.getNewShape());
  std::optional<size_t> inferredDim;
  int64_t known = 1;
  for (auto [i, size] : llvm::enumerate(shape)) {
    if (size == -1) {
      if (inferredDim)
        return rule.emitError() << "'new_shape' has more than one -1 entry "
                                   "(dimensions "
                                << *inferredDim << " and " << i << ")";
      inferredDim = i;
    } else if (size < 0) {
      return rule.emitError() << "'new_shape' entry " << i << " is " << size
                              << "; entries must be >= 0, or -1 to infer";
    } else if (llvm::MulOverflow(known, size, known)) {
      return rule.emitError() << "'new_shape' holds more than 2^63 elements";
    }
  }
  if (input->hasStaticShape()) {
    int64_t total = 1;
    for (int64_t d : input->getShape())
      if (llvm::MulOverflow(total, d, total))
        return rule.emitError() << "the input holds more than 2^63 elements";
    if (inferredDim) {
      if (known == 0 || total % known != 0)
        return rule.emitError()
               << "cannot infer the -1 entry of 'new_shape': " << total
               << " elements do not divide into blocks of " << known;
      shape[*inferredDim] = total / known;
    } else if (known != total) {
      return rule.emitError() << "'new_shape' holds " << known
                              << " elements but the input holds " << total;
    }
  } else if (inferredDim) {
    shape[*inferredDim] = ShapedType::kDynamic;
  } else {
    return rule.emitError() << "a dynamically shaped input needs a -1 entry "
                               "in 'new_shape' to absorb its dynamic size";
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult BroadcastToOp::verify() {
  RankedTensorType from = getInput().getType(), to = getType();
  if (from.getElementType() != to.getElementType())
    return emitOpError() << "result element type " << to.getElementType()
                         << " differs from the input's " << from.getElementType();
  if (failed(verifyBroadcastableTo({"input", from.getShape()},
                                   {"result", to.getShape()},
                                   [&] { return emitOpError(); })))
    return failure();
  size_t offset = to.getRank() - from.getRank();
  for (int64_t i = 0, e = to.getRank(); i < e; ++i)
    if (to.isDynamicDim(i) &&
        (i < static_cast<int64_t>(offset) || !from.isDynamicDim(i - offset)))
      return emitOpError() << "result dimension " << i
                           << " is dynamic but does not come from a dynamic "
                              "input dimension";
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return rule.emitError() << "requires at least one input";
  FailureOr<RankedTensorType> first = rule.ranked(inputs[0], "inputs[0]");
  if (failed(first))
    return failure();
  if (!adaptor.getAxisAttr())
    return rule.emitError() << "requires attribute 'axis'";
  int64_t axis = adaptor.getAxis();
  if (failed(verifyAxis(axis, first->getRank(), "axis", rule.errorFn())))
    return failure();
  SmallVector<int64_t> shape(first->getShape());
  for (auto [i, value] : llvm::enumerate(inputs.drop_front())) {
    std::string name = "inputs[" + std::to_string(i + 1) + "]";
    FailureOr<RankedTensorType> type = rule.ranked(value, name);
    if (failed(type) ||
        failed(rule.requireSameElementType(*first, "inputs[0]", *type, name)))
      return failure();
    if (type->getRank() != first->getRank())
      return rule.emitError() << "'" << name << "' has rank " << type->getRank()
                              << " but 'inputs[0]' has rank " << first->getRank();
    for (int64_t d = 0, e = type->getRank(); d < e; ++d) {
      int64_t size = type->getDimSize(d);
      if (d == axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(size)
                       ? ShapedType::kDynamic
                       : shape[d] + size;
        continue;
      }
      if (!dimsAgree(shape[d], size))
        return rule.emitError() << "'" << name << "' dimension " << d
                                << " has size " << size
                                << " but 'inputs[0]' has size " << shape[d];
      if (ShapedType::isDynamic(shape[d]))
        shape[d] = size;
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first->getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  if (failed(rule.requireArray(adaptor.getStartsAttr(), "starts", rank)) ||
      failed(rule.requireArray(adaptor.getEndsAttr(), "ends", rank)) ||
      failed(rule.requireArray(adaptor.getStepsAttr(), "steps", rank)))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t step = adaptor.getSteps()[d];
    if (step == 0)
      return rule.emitError() << "'steps' entry " << d << " is zero";
    shape.push_back(slicedSize(input->getDimSize(d), adaptor.getStarts()[d],
                               adaptor.getEnds()[d], step));
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> data = rule.ranked(adaptor.getData(), "data");
  FailureOr<RankedTensorType> indices = rule.ranked(adaptor.getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  if (!adaptor.getAxisAttr())
    return rule.emitError() << "requires attribute 'axis'";
  int64_t axis = adaptor.getAxis();
  if (failed(rule.requireMinRank(*data, "data", 1)) ||
      failed(verifyAxis(axis, data->getRank(), "axis", rule.errorFn())))
    return failure();
  ArrayRef<int64_t> shape = data->getShape();
  // Every index into an empty axis is out of range.
  if (shape[axis] == 0 && indices->hasStaticShape() && indices->getNumElements() > 0)
    return rule.emitError() << "gathers " << indices->getNumElements()
                            << " indices from the empty dimension " << axis << " of 'data'";
  SmallVector<int64_t> result(shape.take_front(axis));
  llvm::append_range(result, indices->getShape());
  llvm::append_range(result, shape.drop_front(axis + 1));
  inferred.push_back(RankedTensorType::get(result, data->getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  ShapeRule rule(loc, getOperationName());
  FailureOr<RankedTensorType> input = rule.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  if (failed(rule.requireArray(adaptor.getLowAttr(), "low", rank)) ||
      failed(rule.requireArray(adaptor.getHighAttr(), "high", rank)))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t lo = adaptor.getLow()[d], hi = adaptor.getHigh()[d];
    int64_t size = input->getDimSize(d);
    if (lo < 0 || hi < 0)
      return rule.emitError() << "padding of dimension " << d
                              << " must be non-negative, but is [" << lo << ", "
                              << hi << "]";
    PadMode mode = adaptor.getModeAttr() ? adaptor.getMode() : PadMode::constant;
    if (mode == PadMode::reflect && !ShapedType::isDynamic(size) &&
        (lo >= size || hi >= size))
      return rule.emitError() << "'reflect' padding of dimension " << d
                              << " must be smaller than its size " << size;
    if (mode == PadMode::edge && size == 0 && (lo || hi))
      return rule.emitError() << "'edge' padding of the empty dimension " << d;
    int64_t padded;
    if (!ShapedType::isDynamic(size) &&
        (llvm::AddOverflow(size, lo, padded) || llvm::AddOverflow(padded, hi, padded)))
      return rule.emitError() << "padding of dimension " << d << " by [" << lo << ", " << hi
                              << "] overflows its size " << size;
    shape.push_back(ShapedType::isDynamic(size) ? size : padded);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "axon/Dialect/Axon/IR/AxonOps.cpp.inc"
