//===- JitEngine.h - The ExecutionEngine both targets use ------*- C++ -*-===//

#ifndef AXON_LIB_RUNNER_JITENGINE_H
#define AXON_LIB_RUNNER_JITENGINE_H

#include "axon/Runtime/GpuRuntime.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

namespace axon {

/// Translates `module` (LLVM dialect) and JIT-compiles it at `optLevel`, with
/// Axon's host runtime and `extraSymbols` resolvable by the compiled code.
llvm::Expected<std::unique_ptr<mlir::ExecutionEngine>>
createJitEngine(mlir::ModuleOp module, unsigned optLevel,
                llvm::ArrayRef<cuda::RuntimeSymbol> extraSymbols = {});

} // namespace axon

#endif // AXON_LIB_RUNNER_JITENGINE_H
