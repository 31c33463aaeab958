//===- JitEngine.h - The ExecutionEngine both targets use ------*- C++ -*-===//

#ifndef AXON_LIB_RUNNER_JITENGINE_H
#define AXON_LIB_RUNNER_JITENGINE_H

#include "axon/Runner/HostTarget.h"
#include "axon/Runtime/GpuRuntime.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

namespace axon {

/// Translates `module` (LLVM dialect) and JIT-compiles it at `optLevel`, with
/// Axon's host runtime and `extraSymbols` resolvable by the compiled code.
/// With a `target`, LLVM's optimizer (vectorizers included) and instruction
/// selection use its CPU and features; without one, the machine's own.
llvm::Expected<std::unique_ptr<mlir::ExecutionEngine>>
createJitEngine(mlir::ModuleOp module, unsigned optLevel,
                llvm::ArrayRef<cuda::RuntimeSymbol> extraSymbols = {},
                const HostTarget *target = nullptr);

} // namespace axon

#endif // AXON_LIB_RUNNER_JITENGINE_H
