//===- FuzzMlir.cpp - libFuzzer target: parse, verify, fuse, lower --------===//
//
// Input: textual MLIR. Parsed (after the tools' hazard scan), verified, then
// run through axon-fuse, canonicalize and convert-axon-to-linalg with the
// verifier after each pass. Diagnostics are expected and discarded; a crash,
// an assertion or a sanitizer report is a finding.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"
#include "FuzzContext.h"
#include "axon/Support/InputGuards.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  if (axon::findTextualIRHazard(text))
    return 0;
  axon::FuzzContext fuzz;
  mlir::MLIRContext &context = fuzz.context;
  mlir::ParserConfig config(&context);
  // MLIR's lexer reads up to a terminating NUL, as file buffers have; the
  // fuzzer's bytes have none.
  std::string source(text);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, config);
  if (!module)
    return 0;
  mlir::PassManager pm(&context);
  mlir::OpPassManager &func = pm.nest<mlir::func::FuncOp>();
  func.addPass(axon::createAxonFuse());
  func.addPass(mlir::createCanonicalizerPass());
  func.addPass(axon::createConvertAxonToLinalg());
  (void)pm.run(*module);
  return 0;
}
