//===- Importer.h - ONNX models to the axon dialect, without Python -*- C++ -*-===//
//
// Loads an ONNX model (binary protobuf or ONNX's text format), checks it,
// runs ONNX shape inference, and emits one func.func in the axon dialect:
// graph inputs become arguments, initializers constants, outputs results.
// Every failure is a diagnostic naming the file and, where there is one, the
// node; unsupported operators are reported together in one diagnostic.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_FRONTEND_ONNX_IMPORTER_H
#define AXON_FRONTEND_ONNX_IMPORTER_H

#include "axon/Runner/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace axon::onnx_frontend {

struct ImportOptions {
  /// Name of the emitted function.
  std::string functionName = "main";
  /// Fixed shapes for graph inputs, by name (replacing dynamic dims).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Initializers with more elements than this become dense_resource
  /// constants, which keep the IR printable and fast to parse.
  int64_t resourceThreshold = 1024;
  /// Values of graph inputs known ahead of time, by name or by index among
  /// the graph inputs that are not initializers. Those that feed a parameter
  /// operand (a Reshape shape, Slice starts, ReduceSum axes, Pad pads, Clip
  /// bounds, ...) are folded into the program as constants, which
  /// specializes it; the others stay function arguments.
  llvm::StringMap<HostTensor> knownInputs;
  /// When set, receives the real path of every external data file the
  /// model's initializers were read from (a compile cache keys on them).
  std::vector<std::string> *externalDataFiles = nullptr;
  /// When set, receives the graph inputs that are not initializers, in order.
  std::vector<std::string> *graphInputs = nullptr;
};

/// The names of a model's graph inputs that are not initializers, in order
/// (what test data's input_<i>.pb files correspond to).
llvm::SmallVector<std::string> listGraphInputs(llvm::StringRef path,
                                               mlir::MLIRContext *context);

/// Parses "name=1,3,224,224" into `options.inputShapes`; false on bad syntax.
bool parseInputShape(llvm::StringRef spec, ImportOptions &options,
                     std::string &error);

/// Imports the model at `path` (.onnx binary, or ONNX text format when the
/// file ends in .onnxtxt/.txt). Errors are emitted on `context`.
mlir::OwningOpRef<mlir::ModuleOp> importModelFile(llvm::StringRef path,
                                                  mlir::MLIRContext *context,
                                                  const ImportOptions &options);

/// Imports a model from memory (`bytes` is a serialized ModelProto, or ONNX
/// text when `isText`); `name` appears in diagnostics.
mlir::OwningOpRef<mlir::ModuleOp>
importModel(llvm::StringRef bytes, bool isText, llvm::StringRef name,
            llvm::StringRef directory, mlir::MLIRContext *context,
            const ImportOptions &options);

/// The operator types used by a model's graph, in order of first use
/// (empty with an error on `context` if the file cannot be read).
llvm::SmallVector<std::string> listOperatorTypes(llvm::StringRef path,
                                                 mlir::MLIRContext *context);

/// Every operator type the importer supports, with its opset range.
std::string describeSupportedOperators();

} // namespace axon::onnx_frontend

#endif // AXON_FRONTEND_ONNX_IMPORTER_H
