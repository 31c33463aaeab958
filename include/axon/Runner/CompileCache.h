//===- CompileCache.h - Compiled programs kept on disk ----------*- C++ -*-===//
//
// Compiling a model (fusion, kernel formation, every kernel through the
// NVPTX back end and ptxas) takes seconds; the result, an LLVM-dialect
// module with the kernel objects embedded, is stored as MLIR bytecode and
// loaded the next time the same program is compiled the same way.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_COMPILECACHE_H
#define AXON_RUNNER_COMPILECACHE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace axon {

/// What a lookup found.
enum class CacheLookup {
  Hit,     ///< A valid entry, loaded.
  Miss,    ///< No entry under the key.
  Invalid, ///< An entry that fails its checks (truncated, corrupted, written
           ///< by another build): removed, to be rebuilt.
};

class CompileCache {
public:
  /// Entries live in `directory`, created on the first store.
  explicit CompileCache(std::string directory) : dir(std::move(directory)) {}

  /// $XDG_CACHE_HOME/axon, else $HOME/.cache/axon ("" when neither is set).
  static std::string defaultDirectory();

  /// The key of compiling `program` (before lowering) with `pipeline` (the
  /// textual pass pipeline, which carries every option and the chip): a hash
  /// of both, of this build of Axon (the running executable's size and
  /// modification time) and of the LLVM version.
  static std::string computeKey(mlir::ModuleOp program, llvm::StringRef pipeline);

  /// Loads the entry under `key` into `context`.
  mlir::OwningOpRef<mlir::ModuleOp> load(llvm::StringRef key, mlir::MLIRContext *context,
                                         CacheLookup &outcome, std::string &why);

  /// Stores `lowered` under `key`, atomically (a concurrent reader sees the
  /// old entry or the new one, never half of one).
  llvm::Error store(llvm::StringRef key, mlir::ModuleOp lowered);

  /// The file an entry is stored in.
  std::string entryPath(llvm::StringRef key) const;

private:
  std::string dir;
};

} // namespace axon

#endif // AXON_RUNNER_COMPILECACHE_H
