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
#include "llvm/Support/Error.h"

namespace axon {

/// The runtime functions, keyed by the names lowered code calls.
llvm::orc::SymbolMap hostRuntimeSymbols(llvm::orc::MangleAndInterner interner);

/// Calls `entry(packedArgs)`, compiled code's packed entry point. A failed
/// run-time check inside it (axonRuntimeCheckFailed, or a host allocation
/// the machine cannot satisfy) abandons the call and comes back as an
/// error; memory the call allocated is then not released.
llvm::Error callCompiledEntry(void (*entry)(void **), void **packedArgs);

} // namespace axon

#endif // AXON_LIB_RUNNER_HOSTRUNTIME_H
