//===- CpuExecutable.h - JIT-compiled entry points on the CPU ---*- C++ -*-===//

#ifndef AXON_RUNNER_CPUEXECUTABLE_H
#define AXON_RUNNER_CPUEXECUTABLE_H

#include "axon/Runner/CompiledProgram.h"
#include "axon/Runner/HostTarget.h"
#include "axon/Runner/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace axon {

class LinkedHost;

/// The tensor signature of an entry function, read before lowering.
struct EntrySignature {
  std::string name;
  llvm::SmallVector<mlir::RankedTensorType> inputs, results;
  /// Argument names from `axon.name` argument attributes ("" when absent).
  llvm::SmallVector<std::string> inputNames;
};

/// Storage for an entry's result descriptors, which the packed call writes.
struct ResultDescriptors {
  explicit ResultDescriptors(const EntrySignature &sig);
  /// Where the call writes (null when the entry returns nothing).
  void *data() { return words.empty() ? nullptr : words.data(); }
  llvm::SmallVector<int64_t> ranks, words;
};

/// Finds the entry function: `entry` if given, else the only public function,
/// else `main`. Errors list the functions available.
llvm::Expected<EntrySignature> findEntry(mlir::ModuleOp module,
                                         llvm::StringRef entry);

/// Where the time to make a lowered module callable goes: the host JIT
/// (translation to LLVM IR, optimization, machine code; none for a program
/// from the compile cache), linking the object and, on the GPU, the driver
/// loading the kernel objects.
struct LoadTimes {
  double jitMs = 0, linkMs = 0, moduleLoadMs = 0;
  /// Large constants handed to the JIT as data, not compiled into it.
  size_t externalConstants = 0, externalConstantBytes = 0;
};

/// An entry point JIT-compiled from a module in the LLVM dialect.
class CpuExecutable {
public:
  ~CpuExecutable();

  /// Translates `module` (already lowered to the LLVM dialect) to LLVM IR and
  /// JIT-compiles it at `optLevel` (0-3), entry included (not lazily at the
  /// first call).
  static llvm::Expected<std::unique_ptr<CpuExecutable>>
  create(mlir::ModuleOp module, EntrySignature signature, unsigned optLevel,
         LoadTimes *times = nullptr, const HostTarget *target = nullptr);

  /// Links a compiled program (compileProgram, or the compile cache).
  static llvm::Expected<std::unique_ptr<CpuExecutable>>
  create(CompiledProgram program, EntrySignature signature, LoadTimes *times = nullptr);

  /// Runs the entry point. Inputs must match the signature (checked by the
  /// caller); results are copied into fresh host tensors and their buffers
  /// released.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  run(llvm::ArrayRef<HostTensor> inputs);

  const EntrySignature &signature() const { return sig; }

private:
  CpuExecutable(CompiledProgram program, std::unique_ptr<LinkedHost> host,
                EntrySignature sig, void (*entry)(void **));

  /// Before the linked code, which refers to its constants until unloaded.
  CompiledProgram program;
  std::unique_ptr<LinkedHost> host;
  EntrySignature sig;
  void (*entry)(void **) = nullptr;
};

} // namespace axon

#endif // AXON_RUNNER_CPUEXECUTABLE_H
