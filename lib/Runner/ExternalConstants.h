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

#include "axon/Runner/CompiledProgram.h"

#include "mlir/IR/BuiltinOps.h"

namespace axon {

/// Turns every constant `llvm.mlir.global` of at least `minBytes` whose
/// value is non-splat dense (or dense resource) data of a byte-sized element
/// type into an external declaration, and appends where its data is to
/// `program.constants`. The data stays owned by `module`'s context (or by an
/// aligned copy in `program.storage` where the context's is less aligned).
void externalizeConstants(mlir::ModuleOp module, CompiledProgram &program,
                          size_t minBytes = 1024);

} // namespace axon

#endif // AXON_LIB_RUNNER_EXTERNALCONSTANTS_H
