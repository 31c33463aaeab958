//===- Importer.cpp - ONNX models to the axon dialect ---------------------===//
//
// Compiled with exceptions enabled: libonnx reports checker and parser
// errors by throwing, and each throw is turned into a diagnostic here.
//
//===----------------------------------------------------------------------===//

#include "axon/Frontend/ONNX/Importer.h"
#include "axon/Frontend/ONNX/ExternalData.h"
#include "ImportContext.h"
#include "TensorData.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"

#include <limits>
#include <map>
#include <set>
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/checker.h"
#include "onnx/defs/parser.h"
#include "onnx/shape_inference/implementation.h"

using namespace mlir;

namespace axon::onnx_frontend {

namespace {

InFlightDiagnostic fileError(MLIRContext *context, StringRef name) {
  InFlightDiagnostic diag = emitError(FileLineColLoc::get(context, name, 0, 0));
  diag << "'" << name << "': ";
  return diag;
}

/// The default-domain opset the model imports.
int64_t defaultOpset(const onnx::ModelProto &model) {
  for (const auto &op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx")
      return op.version();
  return 1;
}

const OpImporter *findImporter(const onnx::NodeProto &node, int64_t opset) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return nullptr;
  for (const OpImporter &entry : allOpImporters())
    if (node.op_type() == entry.opType && entry.minOpset <= opset &&
        opset <= entry.maxOpset)
      return &entry;
  return nullptr;
}

/// One diagnostic naming every unsupported operator, its nodes and opset.
LogicalResult checkSupported(const onnx::GraphProto &graph, int64_t opset,
                             MLIRContext *context, StringRef name) {
  // Operator types in order of first use, each with its nodes.
  std::vector<std::pair<std::string, SmallVector<std::string>>> unsupported;
  for (const auto &node : graph.node())
    if (!findImporter(node, opset)) {
      std::string type = node.domain().empty() ? node.op_type()
                                               : node.domain() + "." + node.op_type();
      auto it = llvm::find_if(unsupported, [&](auto &e) { return e.first == type; });
      if (it == unsupported.end())
        it = unsupported.insert(unsupported.end(), {type, {}});
      it->second.push_back(nodeLabel(node));
    }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = fileError(context, name);
  diag << "unsupported ONNX operators (opset " << opset << "): ";
  bool first = true;
  for (auto &[type, nodes] : unsupported) {
    diag << (first ? "" : "; ") << type << " (node" << (nodes.size() > 1 ? "s " : " ");
    for (auto [i, n] : llvm::enumerate(nodes))
      diag << (i ? ", " : "") << n;
    diag << ")";
    first = false;
  }
  return failure();
}

/// The tensor type of a graph input or output, with `?` for unknown dims.
FailureOr<RankedTensorType> valueType(const onnx::ValueInfoProto &info,
                                      MLIRContext *context, StringRef fileName) {
  const auto &tensor = info.type().tensor_type();
  if (!info.type().has_tensor_type() || !tensor.has_shape()) {
    fileError(context, fileName) << "graph input '" << info.name()
                                 << "' is not a tensor of known rank";
    return failure();
  }
  std::string message;
  Type elem = elementTypeOf(tensor.elem_type(), context, message);
  if (!elem) {
    fileError(context, fileName) << "graph input '" << info.name() << "': " << message;
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const auto &dim : tensor.shape().dim()) {
    // kDynamic is INT64_MIN: any negative size would be misread.
    if (dim.has_dim_value() && dim.dim_value() < 0) {
      fileError(context, fileName) << "graph input '" << info.name()
                                   << "' has a negative dimension " << dim.dim_value();
      return failure();
    }
    shape.push_back(dim.has_dim_value() ? dim.dim_value() : ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, elem);
}

/// Node input positions that must be known at import time.
bool isParameterOperand(const onnx::NodeProto &node, int index) {
  static const std::map<std::string, std::set<int>> positions = {
      {"Reshape", {1}},   {"Slice", {1, 2, 3, 4}}, {"Pad", {1, 2, 3}},
      {"Expand", {1}},    {"ReduceSum", {1}},      {"ReduceMean", {1}},
      {"ReduceMax", {1}}, {"ReduceMin", {1}},      {"ReduceProd", {1}},
      {"ReduceL1", {1}},  {"ReduceL2", {1}},       {"ReduceLogSum", {1}},
      {"ReduceLogSumExp", {1}}, {"ReduceSumSquare", {1}}, {"Squeeze", {1}},
      {"Unsqueeze", {1}}, {"Clip", {1, 2}},        {"Split", {1}},
      {"Range", {0, 1, 2}}, {"ConstantOfShape", {0}}, {"Tile", {1}},
      {"Trilu", {1}}};
  auto it = positions.find(node.op_type());
  return it != positions.end() && it->second.count(index);
}

/// Graph inputs that are not initializers, in order.
static SmallVector<std::string> graphInputNames(const onnx::GraphProto &graph) {
  std::set<std::string> initializers;
  for (const auto &init : graph.initializer())
    initializers.insert(init.name());
  SmallVector<std::string> names;
  for (const auto &input : graph.input())
    if (!initializers.count(input.name()))
      names.push_back(input.name());
  return names;
}

/// The known inputs by graph input name (a decimal key is an index into
/// `inputs`).
static llvm::StringMap<const HostTensor *>
knownInputsByName(const ImportOptions &options, ArrayRef<std::string> inputs) {
  llvm::StringMap<const HostTensor *> known;
  for (const auto &entry : options.knownInputs) {
    size_t index;
    StringRef key = entry.getKey();
    if (!key.getAsInteger(10, index) && index < inputs.size())
      key = inputs[index];
    known[key] = &entry.getValue();
  }
  return known;
}

/// Known graph inputs that feed a parameter operand.
std::set<std::string> inputsToFold(const onnx::GraphProto &graph,
                                   const llvm::StringMap<const HostTensor *> &known) {
  std::set<std::string> fold;
  for (const auto &node : graph.node())
    for (int i = 0; i < node.input_size(); ++i)
      if (isParameterOperand(node, i) && known.count(node.input(i)))
        fold.insert(node.input(i));
  return fold;
}

OwningOpRef<ModuleOp> importGraph(onnx::ModelProto &model, StringRef name,
                                  StringRef directory, MLIRContext *context,
                                  const ImportOptions &options) {
  context->loadDialect<AxonDialect, func::FuncDialect>();
  onnx::GraphProto *graph = model.mutable_graph();
  int64_t opset = defaultOpset(model);

  // Fixed input shapes replace the declared ones before shape inference.
  llvm::StringSet<> applied;
  for (auto &input : *graph->mutable_input()) {
    auto it = options.inputShapes.find(input.name());
    if (it == options.inputShapes.end())
      continue;
    auto *shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() != static_cast<int>(it->second.size())) {
      fileError(context, name) << "--input-shape for '" << input.name() << "' has "
                               << it->second.size() << " dims but the input has rank "
                               << shape->dim_size();
      return {};
    }
    for (auto [i, size] : llvm::enumerate(it->second)) {
      if (size <= 0) {
        fileError(context, name) << "--input-shape for '" << input.name()
                                 << "' has a non-positive size " << size;
        return {};
      }
      shape->mutable_dim(i)->clear_dim_param();
      shape->mutable_dim(i)->set_dim_value(size);
    }
    applied.insert(input.name());
  }
  for (const auto &entry : options.inputShapes)
    if (!applied.contains(entry.getKey())) {
      fileError(context, name) << "--input-shape names no graph input: '"
                               << entry.getKey() << "'";
      return {};
    }

  // libonnx's shape inference divides by strides and dilations and indexes
  // the filter by the input's rank without checking them: reject what would
  // crash it first. Ranks are known here for graph inputs and initializers.
  std::map<std::string, int64_t> knownRanks;
  for (const auto &input : graph->input())
    if (input.type().tensor_type().has_shape())
      knownRanks[input.name()] = input.type().tensor_type().shape().dim_size();
  for (const auto &init : graph->initializer())
    knownRanks[init.name()] = init.dims_size();
  auto rankOf = [&](const onnx::NodeProto &node, int index) -> std::optional<int64_t> {
    if (index >= node.input_size())
      return std::nullopt;
    auto it = knownRanks.find(node.input(index));
    return it == knownRanks.end() ? std::nullopt : std::optional<int64_t>(it->second);
  };
  for (const auto &node : graph->node()) {
    static const std::set<std::string> windowOps = {"Conv", "ConvTranspose", "MaxPool",
                                                    "AveragePool", "LpPool", "ConvInteger",
                                                    "QLinearConv", "MaxUnpool"};
    if (!windowOps.count(node.op_type()))
      continue;
    auto nodeError = [&]() -> InFlightDiagnostic {
      return fileError(context, name) << "ONNX node " << nodeLabel(node) << " ("
                                      << node.op_type() << "): ";
    };
    int weightIndex = node.op_type() == "QLinearConv" ? 3 : 1;
    bool hasWeight = node.op_type().find("Conv") != std::string::npos;
    std::optional<int64_t> rank = rankOf(node, 0);
    if (rank && *rank < 3) {
      nodeError() << "the input has rank " << *rank << "; a window op needs rank >= 3";
      return {};
    }
    if (std::optional<int64_t> weightRank = rankOf(node, weightIndex);
        hasWeight && rank && weightRank && *weightRank != *rank) {
      nodeError() << "the weight has rank " << *weightRank << " but the input has rank "
                  << *rank;
      return {};
    }
    for (const auto &attr : node.attribute()) {
      bool spatial = attr.name() == "strides" || attr.name() == "dilations" ||
                     attr.name() == "kernel_shape";
      if (!rank || !(spatial || attr.name() == "pads"))
        continue;
      int64_t expected = attr.name() == "pads" ? 2 * (*rank - 2) : *rank - 2;
      if (attr.ints_size() != expected) {
        nodeError() << "'" << attr.name() << "' has " << attr.ints_size()
                    << " entries; an input of rank " << *rank << " needs " << expected;
        return {};
      }
    }
    for (const auto &attr : node.attribute()) {
      bool positive = attr.name() == "strides" || attr.name() == "dilations" ||
                      attr.name() == "kernel_shape";
      bool nonNegative = attr.name() == "pads";
      for (int64_t v : attr.ints())
        if ((positive && v <= 0) || (nonNegative && v < 0)) {
          fileError(context, name) << "ONNX node " << nodeLabel(node) << " (" << node.op_type()
                                   << "): '" << attr.name() << "' entries must be "
                                   << (positive ? "positive" : "non-negative") << ", but one is "
                                   << v;
          return {};
        }
    }
  }
  try {
    onnx::shape_inference::InferShapes(model);
  } catch (const std::exception &e) {
    fileError(context, name) << "ONNX shape inference failed: " << e.what();
    return {};
  }
  if (failed(checkSupported(*graph, opset, context, name)))
    return {};

  OpBuilder builder(context);
  Location fileLoc = FileLineColLoc::get(context, name, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  ImportContext ctx{builder, name.str(), opset, options.resourceThreshold, {}, {}};

  // Initializers are constants; graph inputs without one are arguments.
  llvm::StringMap<const onnx::TensorProto *> initializers;
  for (const auto &init : graph->initializer())
    initializers[init.name()] = &init;
  SmallVector<std::string> inputNames = graphInputNames(*graph);
  if (options.graphInputs)
    options.graphInputs->assign(inputNames.begin(), inputNames.end());
  llvm::StringMap<const HostTensor *> known = knownInputsByName(options, inputNames);
  std::set<std::string> folded = inputsToFold(*graph, known);
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &input : graph->input()) {
    if (initializers.count(input.name()) || folded.count(input.name()))
      continue;
    FailureOr<RankedTensorType> type = valueType(input, context, name);
    if (failed(type))
      return {};
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, argName] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, "axon.name", builder.getStringAttr(argName));
    ctx.values[argName] = body->getArgument(i);
  }
  builder.setInsertionPointToStart(body);
  for (const auto &init : graph->initializer()) {
    const onnx::TensorProto *proto = &init;
    const std::string &initName = init.name();
    std::string message;
    llvm::StringRef raw;
    std::optional<HostTensor> tensor = decodeTensor(*proto, directory, message, &raw);
    Type elem = tensor ? elementTypeOf(proto->data_type(), context, message) : Type();
    if (!elem) {
      fileError(context, name) << "initializer '" << initName << "': " << message;
      return {};
    }
    if (options.externalDataFiles && proto->data_location() == onnx::TensorProto::EXTERNAL)
      for (const auto &entry : proto->external_data())
        if (entry.key() == "location")
          if (std::optional<std::string> path =
                  resolveExternalDataPath(directory, entry.value(), message);
              path && !llvm::is_contained(*options.externalDataFiles, *path))
            options.externalDataFiles->push_back(*path);
    ElementsAttr attr =
        raw.data() ? toElementsAttr(tensor->shape, llvm::ArrayRef<char>(raw.data(), raw.size()),
                                    elem, initName, options.resourceThreshold)
                   : toElementsAttr(*tensor, elem, initName, options.resourceThreshold);
    ctx.values[initName] = ConstantOp::create(builder, fileLoc, attr);
    if (auto dense = dyn_cast<DenseElementsAttr>(attr))
      ctx.constants[initName] = dense;
  }

  // Known inputs that parameterize ops become constants (see ImportOptions).
  for (const std::string &inputName : folded) {
    const HostTensor &value = *known.find(inputName)->second;
    Type elem;
    switch (value.dtype) {
    case DType::I64: elem = builder.getI64Type(); break;
    case DType::I32: elem = builder.getI32Type(); break;
    case DType::F32: elem = builder.getF32Type(); break;
    case DType::F64: elem = builder.getF64Type(); break;
    case DType::F16: elem = builder.getF16Type(); break;
    case DType::BF16: elem = builder.getBF16Type(); break;
    case DType::Bool: elem = builder.getI1Type(); break;
    default:
      fileError(context, name) << "input '" << inputName << "' has an unsupported type";
      return {};
    }
    auto attr = cast<DenseElementsAttr>(
        toElementsAttr(value, elem, inputName, std::numeric_limits<int64_t>::max()));
    ctx.values[inputName] = ConstantOp::create(builder, fileLoc, attr);
    ctx.constants[inputName] = attr;
  }

  for (const auto &proto : graph->node()) {
    Node node(ctx, proto);
    for (unsigned i = 0; i < node.numInputs(); ++i)
      if (!proto.input(i).empty() && !ctx.values.count(proto.input(i))) {
        node.error() << "input '" << proto.input(i) << "' is not defined before use";
        return {};
      }
    if (failed(findImporter(proto, opset)->fn(node)) || node.rejected())
      return {};
  }

  SmallVector<Value> results;
  for (const auto &output : graph->output()) {
    Value v = ctx.values.lookup(output.name());
    if (!v) {
      fileError(context, name) << "graph output '" << output.name() << "' is never produced";
      return {};
    }
    results.push_back(v);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  return module;
}

bool loadModel(StringRef bytes, bool isText, StringRef name, StringRef directory,
               MLIRContext *context, onnx::ModelProto &model) {
  if (isText) {
    try {
      std::string text = bytes.str(); // The parser keeps a pointer into it.
      onnx::OnnxParser parser(text.c_str());
      auto status = parser.Parse(model);
      if (!status.IsOK()) {
        fileError(context, name) << "cannot parse the ONNX text format: "
                                 << status.ErrorMessage();
        return false;
      }
    } catch (const std::exception &e) {
      fileError(context, name) << "cannot parse the ONNX text format: " << e.what();
      return false;
    }
  } else if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    fileError(context, name) << "not a valid ONNX model (protobuf parse failed; "
                                "the file may be truncated or corrupt)";
    return false;
  }
  try {
    // External data must stay inside the model's directory; the checker
    // then resolves it against the working directory, so it is shown the
    // (validated) locations as absolute paths: set in place and restored
    // after, not in a copy of the model and all its weights.
    std::vector<std::pair<std::string *, std::string>> locations;
    auto restore = llvm::make_scope_exit([&] {
      for (auto &[value, original] : locations)
        *value = std::move(original);
    });
    for (auto &init : *model.mutable_graph()->mutable_initializer())
      for (auto &entry : *init.mutable_external_data()) {
        if (entry.key() != "location")
          continue;
        std::string error;
        std::optional<std::string> path =
            resolveExternalDataPath(directory, entry.value(), error);
        if (!path) {
          fileError(context, name) << "initializer '" << init.name() << "': " << error;
          return false;
        }
        locations.emplace_back(entry.mutable_value(), entry.value());
        entry.set_value(*path);
      }
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    fileError(context, name) << "the ONNX checker rejects the model: " << e.what();
    return false;
  }
  return true;
}

bool isTextPath(StringRef path) {
  return path.ends_with(".onnxtxt") || path.ends_with(".txt");
}

} // namespace

bool parseInputShape(StringRef spec, ImportOptions &options, std::string &error) {
  auto [inputName, dims] = spec.rsplit('=');
  if (inputName.empty() || dims.empty()) {
    error = "--input-shape expects name=d0,d1,..., got '" + spec.str() + "'";
    return false;
  }
  SmallVector<int64_t> shape;
  SmallVector<StringRef> parts;
  dims.split(parts, ',');
  for (StringRef part : parts) {
    int64_t size;
    if (part.trim().getAsInteger(10, size)) {
      error = "--input-shape: bad size '" + part.str() + "' in '" + spec.str() + "'";
      return false;
    }
    shape.push_back(size);
  }
  options.inputShapes[inputName] = shape;
  return true;
}

OwningOpRef<ModuleOp> importModel(StringRef bytes, bool isText, StringRef name,
                                  StringRef directory, MLIRContext *context,
                                  const ImportOptions &options) {
  onnx::ModelProto model;
  if (!loadModel(bytes, isText, name, directory, context, model))
    return {};
  return importGraph(model, name, directory, context, options);
}

OwningOpRef<ModuleOp> importModelFile(StringRef path, MLIRContext *context,
                                      const ImportOptions &options) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file) {
    fileError(context, path) << "cannot open: " << file.getError().message();
    return {};
  }
  return importModel((*file)->getBuffer(), isTextPath(path), path,
                     llvm::sys::path::parent_path(path), context, options);
}

/// Reads, parses and checks the model file at `path`.
static bool loadModelFile(StringRef path, MLIRContext *context, onnx::ModelProto &model) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file) {
    fileError(context, path) << "cannot open: " << file.getError().message();
    return false;
  }
  return loadModel((*file)->getBuffer(), isTextPath(path), path,
                   llvm::sys::path::parent_path(path), context, model);
}

SmallVector<std::string> listGraphInputs(StringRef path, MLIRContext *context) {
  onnx::ModelProto model;
  if (!loadModelFile(path, context, model))
    return {};
  return graphInputNames(model.graph());
}

SmallVector<std::string> listOperatorTypes(StringRef path, MLIRContext *context) {
  onnx::ModelProto model;
  if (!loadModelFile(path, context, model))
    return {};
  SmallVector<std::string> types;
  std::set<std::string> seen;
  for (const auto &node : model.graph().node())
    if (seen.insert(node.op_type()).second)
      types.push_back(node.op_type());
  return types;
}

std::string describeSupportedOperators() {
  std::string out;
  llvm::raw_string_ostream os(out);
  for (const OpImporter &entry : allOpImporters())
    os << entry.opType << " " << entry.minOpset << "-" << entry.maxOpset << "\n";
  return out;
}

} // namespace axon::onnx_frontend
