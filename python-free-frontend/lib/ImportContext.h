//===- ImportContext.h - State shared by the ONNX op importers --*- C++ -*-===//

#ifndef AXON_FRONTEND_ONNX_LIB_IMPORTCONTEXT_H
#define AXON_FRONTEND_ONNX_LIB_IMPORTCONTEXT_H

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "onnx/onnx_pb.h"

namespace axon::onnx_frontend {

/// What importing one graph needs: the builder, the values by ONNX name,
/// the constant tensors known at import time, and the opset.
struct ImportContext {
  mlir::OpBuilder &builder;
  std::string fileName;
  int64_t opset;
  int64_t resourceThreshold;
  llvm::StringMap<mlir::Value> values;
  /// Dense values of initializers and Constant nodes, for inputs that must be
  /// known at import time (shapes, axes, pads, ...).
  llvm::StringMap<mlir::DenseElementsAttr> constants;
};

/// `OpTy::build(builder, state, Type, args...)`, where it exists.
template <typename OpTy, typename... Args>
using ExplicitTypeBuild =
    decltype(OpTy::build(std::declval<mlir::OpBuilder &>(), std::declval<mlir::OperationState &>(),
                         std::declval<mlir::Type>(), std::declval<Args>()...));

/// One node being imported, with helpers for its inputs and attributes.
class Node {
public:
  Node(ImportContext &ctx, const onnx::NodeProto &proto);

  const onnx::NodeProto &proto() const { return node; }
  mlir::Location loc() const { return location; }
  mlir::OpBuilder &b() const { return ctx.builder; }
  int64_t opset() const { return ctx.opset; }

  /// An error about this node: "ONNX node 'name' (OpType): ...".
  mlir::InFlightDiagnostic error() const;

  unsigned numInputs() const { return node.input_size(); }
  /// Input `i`, or null when absent (past the end or an empty name).
  mlir::Value input(unsigned i) const;
  mlir::RankedTensorType inputType(unsigned i) const;
  /// The constant value of input `i`, if known at import time.
  std::optional<mlir::DenseElementsAttr> constantInput(unsigned i) const;
  /// Input `i` as integers (shapes, axes, pads); error if not constant.
  mlir::FailureOr<llvm::SmallVector<int64_t>> intsInput(unsigned i,
                                                        llvm::StringRef what) const;
  /// A scalar constant input as double; error if not constant.
  mlir::FailureOr<double> scalarInput(unsigned i, llvm::StringRef what) const;

  bool hasAttr(llvm::StringRef name) const;
  int64_t intAttr(llvm::StringRef name, int64_t defaultValue) const;
  float floatAttr(llvm::StringRef name, float defaultValue) const;
  std::string stringAttr(llvm::StringRef name, llvm::StringRef defaultValue) const;
  llvm::SmallVector<int64_t> intsAttr(llvm::StringRef name) const;
  const onnx::TensorProto *tensorAttr(llvm::StringRef name) const;

  /// Binds output `i` (unless the node leaves it unnamed).
  void setOutput(unsigned i, mlir::Value value) const;
  /// Whether output `i` is used (named).
  bool outputUsed(unsigned i) const;
  /// Fails with an error if any output from `first` on is requested.
  mlir::LogicalResult onlyFirstOutputs(unsigned count) const;

  /// A rank-0 axon.constant of element type `elem` holding `value`.
  mlir::Value scalar(mlir::Type elem, double value) const;

  /// Builds an axon op for this node as OpTy::create would, but checks first
  /// that its result type can be inferred from the operands: a node whose
  /// operands do not fit (an Add of unbroadcastable shapes, a Conv with the
  /// wrong channel count) is an error naming the node, with the op's own
  /// reason, instead of an abort. The node is then marked rejected and a
  /// placeholder value of the first operand's type keeps the importer going
  /// until the node returns.
  template <typename OpTy, typename... Args> mlir::Value create(Args &&...args) const {
    // Checkable: an inferring op whose builder has a form with an explicit
    // result type, which builds the state without inferring.
    if constexpr (OpTy::template hasTrait<mlir::InferTypeOpInterface::Trait>() &&
                  llvm::is_detected<ExplicitTypeBuild, OpTy, Args...>::value) {
      mlir::OperationState state(location, OpTy::getOperationName());
      OpTy::build(b(), state, mlir::Type(b().getNoneType()), std::forward<Args>(args)...);
      llvm::SmallVector<mlir::Type, 1> types;
      if (mlir::failed(OpTy::inferReturnTypes(
              b().getContext(), location, state.operands,
              state.attributes.getDictionary(b().getContext()), state.getRawProperties(),
              state.regions, types)))
        return reject(OpTy::getOperationName(), state.operands);
      state.types.assign(types.begin(), types.end());
      return foldConstant(b().create(state)->getResult(0));
    } else {
      return foldConstant(OpTy::create(b(), location, std::forward<Args>(args)...));
    }
  }
  /// Whether an op of this node was rejected by create().
  bool rejected() const { return wasRejected; }

  ImportContext &ctx;

private:
  /// An op whose operands are all constants is folded into a constant right
  /// away, so that shape computations (Shape, Slice, Sub, Concat, ... on
  /// static shapes) are known to the nodes that need constant inputs.
  mlir::Value foldConstant(mlir::Value value) const;
  mlir::Value reject(llvm::StringRef opName, mlir::ValueRange operands) const;

  const onnx::NodeProto &node;
  mlir::Location location;
  mutable bool wasRejected = false;
};

/// How diagnostics name a node: its name, or the first value it produces
/// when it has none (ONNX's text format cannot name nodes).
std::string nodeLabel(const onnx::NodeProto &node);

/// Normalizes a possibly negative axis for `rank`; error on out of range.
/// `x` reshaped to `shape` (dynamic dims allowed where one -1 expresses
/// them); null, with an error on the node, when it cannot be expressed.
mlir::Value reshapeTo(Node &n, mlir::Value x, llvm::ArrayRef<int64_t> shape);

mlir::FailureOr<int64_t> normalizeAxis(const Node &node, int64_t axis, int64_t rank);

/// The `axes` of a node: the attribute before `inputOpset`, the optional
/// input 1 from it on; normalized for `rank` (in the order given). `given`
/// tells whether the node named any.
mlir::FailureOr<llvm::SmallVector<int64_t>> readAxes(const Node &node, int64_t rank,
                                                     int inputOpset, bool &given);

using ImportFn = mlir::LogicalResult (*)(Node &);

struct OpImporter {
  const char *opType;
  int minOpset, maxOpset;
  ImportFn fn;
};

/// The importer table, all op families together.
llvm::ArrayRef<OpImporter> allOpImporters();

// The families (one file each).
void appendElementwiseImporters(std::vector<OpImporter> &table);
void appendNNImporters(std::vector<OpImporter> &table);
void appendReductionImporters(std::vector<OpImporter> &table);
void appendLossImporters(std::vector<OpImporter> &table);
void appendShapeImporters(std::vector<OpImporter> &table);

} // namespace axon::onnx_frontend

#endif // AXON_FRONTEND_ONNX_LIB_IMPORTCONTEXT_H
