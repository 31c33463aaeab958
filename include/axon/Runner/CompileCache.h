//===- CompileCache.h - Compiled programs kept on disk ----------*- C++ -*-===//
//
// Compiling a model (import, fusion, kernel formation, every kernel through
// the NVPTX back end, the host code through LLVM) takes seconds. An entry
// keeps what the runner needs to run the program again without any of it:
// the host object (kernels embedded), the constants as raw bytes, the entry
// signature and the kernel table. It is keyed on the program's source (the
// input file's bytes), the pipeline and its options, the target and this
// build; the files the program was also made from (ONNX external data,
// inputs folded into it) are recorded with their hashes and checked on load.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_COMPILECACHE_H
#define AXON_RUNNER_COMPILECACHE_H

#include "axon/Runner/CompiledProgram.h"
#include "axon/Runner/CpuExecutable.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace axon {

/// What a lookup found.
enum class CacheLookup {
  Hit,     ///< A valid entry, loaded.
  Miss,    ///< No entry under the key.
  Invalid, ///< An entry that fails its checks (truncated, corrupted, written
           ///< by another build, made from a file that has changed since):
           ///< removed, to be rebuilt.
};

/// A file the program was made from besides the key's own inputs, and the
/// hash of its contents when it was.
struct CacheDependency {
  std::string path, hash;
};

/// One compiled program and what the runner needs to run it.
struct CacheEntry {
  CompiledProgram program;
  EntrySignature signature;
  /// The kernel table (`axon.kernels`; null on the CPU) and the number of
  /// GPU kernel modules.
  mlir::DictionaryAttr kernelTable;
  unsigned kernelModules = 0;
  /// ONNX graph input names (what `--input <index>=` counts) and the inputs
  /// folded into the program as constants.
  std::vector<std::string> graphInputs, foldedInputs;
  std::vector<CacheDependency> dependencies;
};

class CompileCache {
public:
  /// Entries live in `directory`, created on the first store.
  explicit CompileCache(std::string directory) : dir(std::move(directory)) {}

  /// $XDG_CACHE_HOME/axon, else $HOME/.cache/axon ("" when neither is set).
  static std::string defaultDirectory();

  /// A key from everything that determines the compiled program (the source
  /// bytes, the textual pipeline, the target, options), together with this
  /// build of Axon (the running executable's size and modification time)
  /// and the LLVM version.
  static std::string computeKey(llvm::ArrayRef<llvm::StringRef> parts);

  /// The hash of a file's contents (nullopt when it cannot be read).
  static std::optional<std::string> hashFile(llvm::StringRef path);

  /// Loads the entry under `key`; types and attributes are made in `context`.
  /// The program's constants point into the entry's file, mapped for as long
  /// as the program lives.
  std::optional<CacheEntry> load(llvm::StringRef key,
                                 mlir::MLIRContext *context,
                                 CacheLookup &outcome, std::string &why);

  /// Stores `entry` under `key`, atomically (a concurrent reader sees the old
  /// entry or the new one, never half of one).
  llvm::Error store(llvm::StringRef key, const CacheEntry &entry);

  /// The file an entry is stored in.
  std::string entryPath(llvm::StringRef key) const;

private:
  std::string dir;
};

} // namespace axon

#endif // AXON_RUNNER_COMPILECACHE_H
