//===- HostObject.h - Host code as a relocatable object --------*- C++ -*-===//
//
// A lowered program's host code (with its GPU kernels embedded as data) is
// compiled to one relocatable object file, which is what the compile cache
// keeps: loading a program is then linking that object in the process, with
// no LLVM IR and no code generation. Constructors (which load the kernel
// modules on the device) and destructors are taken out of the object's
// `llvm.global_ctors`/`llvm.global_dtors` and called by name, since ORC runs
// initializers of IR modules, not of objects added as files.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_RUNNER_HOSTOBJECT_H
#define AXON_LIB_RUNNER_HOSTOBJECT_H

#include "axon/Runner/CompiledProgram.h"
#include "axon/Runtime/GpuRuntime.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace axon {

/// Translates `module` (LLVM dialect) to LLVM IR, optimizes it at `optLevel`
/// for `target` (the machine's own CPU when null) and emits the object into
/// `program` (its object, constructors and destructors).
llvm::Error compileHostObject(mlir::ModuleOp module, unsigned optLevel,
                              const HostTarget *target,
                              CompiledProgram &program);

/// The symbols `host` refers to and does not define.
std::vector<std::string> undefinedSymbols(const CompiledProgram &program);

/// A host object linked into this process. Its undefined symbols resolve to
/// Axon's host runtime, the program's constants, `symbols`, then the
/// process's own symbols.
class LinkedHost {
public:
  ~LinkedHost();

  /// Links `program`'s object, its constants and `symbols`, and runs its
  /// constructors.
  static llvm::Expected<std::unique_ptr<LinkedHost>>
  link(const CompiledProgram &program,
       llvm::ArrayRef<cuda::RuntimeSymbol> symbols);

  /// The packed entry point of function `name` (`_mlir_<name>`).
  llvm::Expected<void (*)(void **)> lookupPacked(llvm::StringRef name);

private:
  LinkedHost() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::vector<std::string> destructors;
};

} // namespace axon

#endif // AXON_LIB_RUNNER_HOSTOBJECT_H
