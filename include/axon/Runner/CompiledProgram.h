//===- CompiledProgram.h - A lowered program, ready to link -----*- C++ -*-===//
//
// What compiling a program for the runner produces and the compile cache
// keeps: the host code as one relocatable object (GPU kernels embedded as
// data), the functions to run after linking it and before unloading it, and
// the large constants the code refers to as data instead of compiling them
// into the object.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_COMPILEDPROGRAM_H
#define AXON_RUNNER_COMPILEDPROGRAM_H

#include "axon/Runner/HostTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace axon {

/// A constant the object refers to by `symbol`; `data` is `size` bytes
/// aligned to `alignment`.
struct ProgramConstant {
  std::string symbol;
  const void *data = nullptr;
  size_t size = 0;
  uint64_t alignment = 1;
};

struct CompiledProgram {
  std::unique_ptr<llvm::MemoryBuffer> object;
  /// Run in order after linking (they load the kernel modules on the GPU)
  /// and before unloading.
  std::vector<std::string> constructors, destructors;
  std::vector<ProgramConstant> constants;
  /// Owners of the constants' data where it is not the compiled module's
  /// context (aligned copies, a cache entry's buffer).
  std::vector<std::shared_ptr<const void>> storage;

  size_t constantBytes() const;
};

/// Compiles `module` (lowered to the LLVM dialect) at `optLevel` for
/// `target` (the machine's own CPU when null). Constants of 1 KiB or more
/// leave the module (they become external declarations) and are referred to
/// where they are, in `module`'s context, which must outlive the program.
llvm::Expected<CompiledProgram>
compileProgram(mlir::ModuleOp module, unsigned optLevel,
               const HostTarget *target = nullptr);

} // namespace axon

#endif // AXON_RUNNER_COMPILEDPROGRAM_H
