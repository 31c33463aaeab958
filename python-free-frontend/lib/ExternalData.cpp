//===- ExternalData.cpp - Confined reading of ONNX external data ----------===//

#include "axon/Frontend/ONNX/ExternalData.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace axon::onnx_frontend {

std::optional<std::string> resolveExternalDataPath(llvm::StringRef directory,
                                                   llvm::StringRef location,
                                                   std::string &error) {
  auto reject = [&](llvm::StringRef why) -> std::optional<std::string> {
    error = "external data location '" + location.str() + "' " + why.str();
    return std::nullopt;
  };
  if (location.empty())
    return reject("is empty");
  if (location.contains('\0'))
    return reject("contains a NUL character");
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::is_absolute(location, llvm::sys::path::Style::windows))
    return reject(
        "is an absolute path; it must be relative to the model's directory");
  for (llvm::StringRef part : llvm::make_range(llvm::sys::path::begin(location),
                                               llvm::sys::path::end(location)))
    if (part == "..")
      return reject("leaves the model's directory ('..')");

  llvm::SmallString<256> realDirectory;
  if (std::error_code ec = llvm::sys::fs::real_path(
          directory.empty() ? "." : directory, realDirectory))
    return reject("cannot be resolved: model directory '" + directory.str() +
                  "': " + ec.message());
  llvm::SmallString<256> joined(realDirectory);
  llvm::sys::path::append(joined, location);
  llvm::SmallString<256> realFile;
  if (std::error_code ec = llvm::sys::fs::real_path(joined, realFile))
    return reject("cannot be read: '" + std::string(joined) +
                  "': " + ec.message());
  // A symbolic link inside the directory may still point outside it.
  llvm::SmallString<256> prefix(realDirectory);
  if (!prefix.ends_with("/"))
    prefix += "/";
  if (!llvm::StringRef(realFile).starts_with(prefix))
    return reject("resolves to '" + std::string(realFile) +
                  "', outside the model's directory '" +
                  std::string(realDirectory) + "'");
  if (!llvm::sys::fs::is_regular_file(realFile))
    return reject("is not a regular file");
  return std::string(realFile);
}

std::optional<uint64_t> parseExternalDataNumber(llvm::StringRef key,
                                                llvm::StringRef value,
                                                std::string &error) {
  uint64_t number;
  // getAsInteger accepts a radix prefix; ONNX writes plain decimal numbers.
  bool decimal = !value.empty() &&
                 llvm::all_of(value, [](char c) { return llvm::isDigit(c); });
  if (!decimal || value.getAsInteger(10, number) ||
      number > uint64_t(INT64_MAX)) {
    error = "external data " + key.str() + " '" + value.str() +
            "' is not a decimal number below 2^63";
    return std::nullopt;
  }
  return number;
}

std::unique_ptr<llvm::MemoryBuffer>
readExternalData(llvm::StringRef directory, const ExternalDataSpec &spec,
                 std::string &error) {
  std::optional<std::string> path =
      resolveExternalDataPath(directory, spec.location, error);
  if (!path)
    return nullptr;
  uint64_t fileSize;
  if (std::error_code ec = llvm::sys::fs::file_size(*path, fileSize)) {
    error = "cannot read external data file '" + *path + "': " + ec.message();
    return nullptr;
  }
  // Checked without overflow: offset <= size and length <= size - offset.
  if (spec.offset > fileSize) {
    error = "external data offset " + std::to_string(spec.offset) +
            " is past the end of '" + *path + "' (" + std::to_string(fileSize) +
            " bytes)";
    return nullptr;
  }
  uint64_t length = spec.length.value_or(fileSize - spec.offset);
  if (length > fileSize - spec.offset) {
    error = "external data of " + std::to_string(length) + " bytes at offset " +
            std::to_string(spec.offset) + " runs past the end of '" + *path +
            "' (" + std::to_string(fileSize) + " bytes)";
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFileSlice(*path, length, spec.offset,
                                                 /*IsVolatile=*/false);
  if (!buffer) {
    error = "cannot read external data file '" + *path +
            "': " + buffer.getError().message();
    return nullptr;
  }
  return std::move(*buffer);
}

} // namespace axon::onnx_frontend
