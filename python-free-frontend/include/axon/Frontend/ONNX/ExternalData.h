//===- ExternalData.h - Confined reading of ONNX external data --*- C++ -*-===//
//
// An ONNX tensor may keep its bytes in a file named by its `location` entry.
// That name comes from an untrusted model, so it is resolved inside the
// model's directory only: no absolute path, no `..`, no symbolic link that
// leads out, and `offset`/`length` are checked decimal numbers within the file.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_FRONTEND_ONNX_EXTERNALDATA_H
#define AXON_FRONTEND_ONNX_EXTERNALDATA_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace axon::onnx_frontend {

/// What a tensor's `external_data` entries say.
struct ExternalDataSpec {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

/// Resolves `location` inside `directory` ("" means the current directory)
/// and returns the real path of the file, or nullopt with `error` set when it
/// is empty, absolute, has a `..` component, is missing or leads outside the
/// directory through a symbolic link.
std::optional<std::string> resolveExternalDataPath(llvm::StringRef directory,
                                                   llvm::StringRef location,
                                                   std::string &error);

/// Parses an `offset` or `length` value: a plain decimal number below 2^63.
std::optional<uint64_t> parseExternalDataNumber(llvm::StringRef key,
                                                llvm::StringRef value,
                                                std::string &error);

/// Reads the bytes that `spec` names, confined to `directory`; the slice must
/// lie inside the file.
std::unique_ptr<llvm::MemoryBuffer>
readExternalData(llvm::StringRef directory, const ExternalDataSpec &spec,
                 std::string &error);

} // namespace axon::onnx_frontend

#endif // AXON_FRONTEND_ONNX_EXTERNALDATA_H
