//===- ExternalConstants.h - Large constants kept out of LLVM --*- C++ -*-===//
//
// A model's weights are constant globals of the lowered module. Left there,
// they are copied into LLVM IR and emitted element by element into the JIT's
// object file: seconds for a few hundred megabytes. Instead, each large
// constant becomes an external declaration that the JIT resolves to the
// data itself (the attribute's storage in the MLIRContext, or an aligned
// copy when that storage is less aligned than the global asks).
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_RUNNER_EXTERNALCONSTANTS_H
#define AXON_LIB_RUNNER_EXTERNALCONSTANTS_H

#include "axon/Runtime/GpuRuntime.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace axon {

/// Host data that JIT-compiled code refers to; it must outlive the code.
struct ExternalConstants {
  /// One per externalized global, naming its data.
  std::vector<cuda::RuntimeSymbol> symbols;
  /// Storage of the names and of the aligned copies.
  std::vector<std::unique_ptr<std::string>> names;
  std::vector<std::shared_ptr<void>> copies;
  size_t bytes = 0;
};

/// Turns every constant `llvm.mlir.global` of at least `minBytes` whose
/// value is non-splat dense (or dense resource) data of a byte-sized element
/// type into an external declaration, and records where its data is.
/// The data stays owned by `module`'s context.
ExternalConstants externalizeConstants(mlir::ModuleOp module, size_t minBytes = 1024);

} // namespace axon

#endif // AXON_LIB_RUNNER_EXTERNALCONSTANTS_H
