//===- FuzzContext.h - What every Axon fuzz target sets up ------*- C++ -*-===//

#ifndef AXON_TOOLS_FUZZ_FUZZCONTEXT_H
#define AXON_TOOLS_FUZZ_FUZZCONTEXT_H

#include "axon/Registration/Registration.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

namespace axon {

/// Axon's dialects, registered once per process.
inline const mlir::DialectRegistry &fuzzRegistry() {
  static const mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    registerAllDialects(*r);
    return r;
  }();
  return *registry;
}

/// A single-threaded context for one input whose diagnostics (expected on
/// bad input) are discarded.
struct FuzzContext {
  mlir::MLIRContext context{fuzzRegistry(), mlir::MLIRContext::Threading::DISABLED};
  mlir::ScopedDiagnosticHandler quiet{&context,
                                      [](mlir::Diagnostic &) { return mlir::success(); }};
};

} // namespace axon

#endif // AXON_TOOLS_FUZZ_FUZZCONTEXT_H
