//===- HostRuntime.h - Functions lowered host code calls -------*- C++ -*-===//
//
// MLIR's lowering to LLVM leaves calls to a few runtime functions (memrefCopy
// for strided copies). Axon provides its own instead of MLIR's runner
// libraries, so that a statically linked axon-run needs no shared library.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_RUNNER_HOSTRUNTIME_H
#define AXON_LIB_RUNNER_HOSTRUNTIME_H

#include "llvm/ExecutionEngine/Orc/Mangling.h"

namespace axon {

/// The runtime functions, keyed by the names lowered code calls.
llvm::orc::SymbolMap hostRuntimeSymbols(llvm::orc::MangleAndInterner interner);

} // namespace axon

#endif // AXON_LIB_RUNNER_HOSTRUNTIME_H
