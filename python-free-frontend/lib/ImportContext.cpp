//===- ImportContext.cpp - State shared by the ONNX op importers ----------===//

#include "ImportContext.h"

#include "mlir/IR/Matchers.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace axon::onnx_frontend {

static Location nodeLocation(ImportContext &ctx, const onnx::NodeProto &node) {
  MLIRContext *context = ctx.builder.getContext();
  std::string name = node.name().empty() ? node.op_type() : node.name();
  return NameLoc::get(StringAttr::get(context, name),
                      FileLineColLoc::get(context, ctx.fileName, 0, 0));
}

Node::Node(ImportContext &ctx, const onnx::NodeProto &proto)
    : ctx(ctx), node(proto), location(nodeLocation(ctx, proto)) {}

std::string nodeLabel(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return "'" + node.name() + "'";
  return "producing '" + (node.output_size() ? node.output(0) : std::string()) + "'";
}

InFlightDiagnostic Node::error() const {
  InFlightDiagnostic diag = emitError(location);
  diag << "ONNX node " << nodeLabel(node) << " (" << node.op_type() << "): ";
  return diag;
}

Value Node::input(unsigned i) const {
  if (i >= static_cast<unsigned>(node.input_size()) || node.input(i).empty())
    return {};
  return ctx.values.lookup(node.input(i));
}

RankedTensorType Node::inputType(unsigned i) const {
  Value v = input(i);
  return v ? cast<RankedTensorType>(v.getType()) : RankedTensorType();
}

std::optional<DenseElementsAttr> Node::constantInput(unsigned i) const {
  if (i >= static_cast<unsigned>(node.input_size()) || node.input(i).empty())
    return std::nullopt;
  auto it = ctx.constants.find(node.input(i));
  if (it == ctx.constants.end())
    return std::nullopt;
  return it->second;
}

FailureOr<SmallVector<int64_t>> Node::intsInput(unsigned i, StringRef what) const {
  std::optional<DenseElementsAttr> cst = constantInput(i);
  if (!cst || !isa<IntegerType>(cst->getElementType())) {
    error() << "input '" << what
            << "' must be an integer constant (an initializer or a Constant node)";
    return failure();
  }
  SmallVector<int64_t> values;
  for (APInt v : cst->getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

FailureOr<double> Node::scalarInput(unsigned i, StringRef what) const {
  std::optional<DenseElementsAttr> cst = constantInput(i);
  if (!cst || cst->getNumElements() != 1) {
    error() << "input '" << what << "' must be a scalar constant";
    return failure();
  }
  if (isa<FloatType>(cst->getElementType()))
    return (*cst->getValues<APFloat>().begin()).convertToDouble();
  return static_cast<double>((*cst->getValues<APInt>().begin()).getSExtValue());
}

static const onnx::AttributeProto *findAttr(const onnx::NodeProto &node, StringRef name) {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

bool Node::hasAttr(StringRef name) const { return findAttr(node, name); }

int64_t Node::intAttr(StringRef name, int64_t defaultValue) const {
  const auto *a = findAttr(node, name);
  return a ? a->i() : defaultValue;
}

float Node::floatAttr(StringRef name, float defaultValue) const {
  const auto *a = findAttr(node, name);
  return a ? a->f() : defaultValue;
}

std::string Node::stringAttr(StringRef name, StringRef defaultValue) const {
  const auto *a = findAttr(node, name);
  return a ? a->s() : defaultValue.str();
}

SmallVector<int64_t> Node::intsAttr(StringRef name) const {
  const auto *a = findAttr(node, name);
  return a ? SmallVector<int64_t>(a->ints().begin(), a->ints().end())
           : SmallVector<int64_t>();
}

const onnx::TensorProto *Node::tensorAttr(StringRef name) const {
  const auto *a = findAttr(node, name);
  return a && a->has_t() ? &a->t() : nullptr;
}

void Node::setOutput(unsigned i, Value value) const {
  if (i >= static_cast<unsigned>(node.output_size()) || node.output(i).empty())
    return;
  ctx.values[node.output(i)] = value;
  // A folded (or constant) output is known to later nodes' constant inputs.
  if (auto constant = value.getDefiningOp<ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
      ctx.constants.try_emplace(node.output(i), dense);
}

Value Node::foldConstant(Value value) const {
  Operation *op = value.getDefiningOp();
  if (!op || isa<ConstantOp>(op) || op->getNumResults() != 1 || op->getNumOperands() == 0 ||
      !value.use_empty())
    return value;
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands()) {
    Attribute attr;
    if (!matchPattern(operand, m_Constant(&attr)))
      return value;
    operands.push_back(attr);
  }
  SmallVector<OpFoldResult> results;
  if (failed(op->fold(operands, results)) || results.size() != 1)
    return value;
  Value folded;
  if (auto v = dyn_cast<Value>(results[0]))
    folded = v;
  else if (auto dense = dyn_cast_if_present<DenseElementsAttr>(dyn_cast<Attribute>(results[0]));
           dense && dense.getType() == value.getType())
    folded = ConstantOp::create(b(), location, dense);
  if (!folded || folded.getType() != value.getType())
    return value;
  op->erase();
  return folded;
}

Value Node::reject(StringRef opName, ValueRange operands) const {
  wasRejected = true;
  std::string types;
  llvm::raw_string_ostream os(types);
  // A missing optional operand is a null value: named, not dereferenced.
  llvm::interleaveComma(operands, os, [&](Value v) {
    if (v)
      os << v.getType();
    else
      os << "<missing>";
  });
  error() << "its operands (" << types << ") do not fit '" << opName
          << "' (see the reason above)";
  // A stand-in of a plausible type (the first tensor operand's, made static)
  // so that the rest of the node's importer runs without touching null.
  RankedTensorType type = RankedTensorType::get({}, b().getF32Type());
  for (Value v : operands)
    if (auto t = v ? dyn_cast<RankedTensorType>(v.getType()) : RankedTensorType()) {
      SmallVector<int64_t> shape;
      for (int64_t d : t.getShape())
        shape.push_back(ShapedType::isDynamic(d) ? 1 : std::min<int64_t>(d, 1));
      type = RankedTensorType::get(shape, t.getElementType());
      break;
    }
  Attribute zero = isa<FloatType>(type.getElementType())
                       ? Attribute(b().getFloatAttr(type.getElementType(), 0.0))
                       : Attribute(b().getIntegerAttr(type.getElementType(), 0));
  return ConstantOp::create(b(), location, DenseElementsAttr::get(type, zero));
}

bool Node::outputUsed(unsigned i) const {
  return i < static_cast<unsigned>(node.output_size()) && !node.output(i).empty();
}

LogicalResult Node::onlyFirstOutputs(unsigned count) const {
  for (unsigned i = count; i < static_cast<unsigned>(node.output_size()); ++i)
    if (outputUsed(i))
      return error() << "output " << i << " ('" << node.output(i)
                     << "') is not supported";
  return success();
}

Value Node::scalar(Type elem, double value) const {
  auto type = RankedTensorType::get({}, elem);
  Attribute attr = isa<FloatType>(elem)
                       ? Attribute(b().getFloatAttr(elem, value))
                       : Attribute(b().getIntegerAttr(elem, static_cast<int64_t>(value)));
  return ConstantOp::create(b(), location, DenseElementsAttr::get(type, attr));
}

FailureOr<int64_t> normalizeAxis(const Node &node, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    node.error() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>> readAxes(const Node &node, int64_t rank,
                                         int inputOpset, bool &given) {
  SmallVector<int64_t> raw;
  if (node.opset() >= inputOpset) {
    given = static_cast<bool>(node.input(1));
    if (given) {
      FailureOr<SmallVector<int64_t>> axes = node.intsInput(1, "axes");
      if (failed(axes))
        return failure();
      raw = *axes;
    }
  } else {
    given = node.hasAttr("axes");
    raw = node.intsAttr("axes");
  }
  SmallVector<int64_t> axes;
  for (int64_t a : raw) {
    FailureOr<int64_t> axis = normalizeAxis(node, a, rank);
    if (failed(axis))
      return failure();
    if (llvm::is_contained(axes, *axis))
      return node.error() << "'axes' names axis " << *axis << " twice";
    axes.push_back(*axis);
  }
  return axes;
}

ArrayRef<OpImporter> allOpImporters() {
  static const std::vector<OpImporter> table = [] {
    std::vector<OpImporter> t;
    appendElementwiseImporters(t);
    appendNNImporters(t);
    appendReductionImporters(t);
    appendLossImporters(t);
    appendShapeImporters(t);
    return t;
  }();
  return table;
}

} // namespace axon::onnx_frontend
