//===- FuzzOnnx.cpp - libFuzzer target: the ONNX importer -----------------===//
//
// Input: a serialized ModelProto, or ONNX text format when it starts with
// '<' (as axon-translate decides). External data resolves in a directory
// that does not exist, so no file outside the input is read.
//
//===----------------------------------------------------------------------===//

#include "axon/Frontend/ONNX/Importer.h"
#include "FuzzContext.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  axon::FuzzContext fuzz;
  mlir::MLIRContext &context = fuzz.context;
  axon::onnx_frontend::ImportOptions options;
  bool isText = bytes.ltrim().starts_with("<");
  (void)axon::onnx_frontend::importModel(bytes, isText, "fuzz.onnx",
                                         "/nonexistent/axon-fuzz", &context,
                                         options);
  return 0;
}
