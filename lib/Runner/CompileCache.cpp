//===- CompileCache.cpp - Compiled programs kept on disk ------------------===//
//
// An entry is one file, `<key>.axonc`:
//   "AXONC1\n" | producer line "\n" | payload size (8 bytes, little endian) |
//   payload hash (xxh3-128, 16 bytes) | payload (MLIR bytecode)
// Everything is checked before the payload is parsed, so a truncated or
// corrupted entry (or one another build wrote) is detected and rebuilt.
//
//===----------------------------------------------------------------------===//

#include "axon/Runner/CompileCache.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Block.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;

namespace axon {

static constexpr llvm::StringLiteral kMagic = "AXONC1\n";

/// Identifies the build that writes and reads entries: LLVM's version and
/// the running executable (a rebuilt Axon has another size or time).
static std::string producer() {
  static std::string id = [] {
    std::string exe = llvm::sys::fs::getMainExecutable(nullptr, (void *)&producer);
    llvm::sys::fs::file_status status;
    uint64_t size = 0, time = 0;
    if (!exe.empty() && !llvm::sys::fs::status(exe, status)) {
      size = status.getSize();
      time = status.getLastModificationTime().time_since_epoch().count();
    }
    std::string text;
    llvm::raw_string_ostream(text) << "axon " << exe << " " << size << " " << time
                                   << " llvm " << LLVM_VERSION_STRING;
    return text;
  }();
  return id;
}

static std::string hex(llvm::XXH128_hash_t hash) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format_hex_no_prefix(hash.high64, 16)
     << llvm::format_hex_no_prefix(hash.low64, 16);
  return text;
}

static llvm::ArrayRef<uint8_t> bytes(llvm::StringRef text) {
  return {text.bytes_begin(), text.size()};
}

std::string CompileCache::defaultDirectory() {
  llvm::SmallString<128> dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    dir = xdg;
  else if (const char *home = std::getenv("HOME"); home && *home)
    llvm::sys::path::append(dir, home, ".cache");
  else
    return "";
  llvm::sys::path::append(dir, "axon");
  return dir.str().str();
}

std::string CompileCache::computeKey(ModuleOp program, llvm::StringRef pipeline) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << producer() << "\n" << pipeline << "\n";
  (void)writeBytecodeToFile(program, os);
  return hex(llvm::xxh3_128bits(bytes(text)));
}

std::string CompileCache::entryPath(llvm::StringRef key) const {
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, key + ".axonc");
  return path.str().str();
}

/// The payload of `file` when its header holds, else "" with `why` set.
static llvm::StringRef checkedPayload(llvm::StringRef file, std::string &why) {
  if (!file.consume_front(kMagic)) {
    why = "not a compile-cache entry";
    return {};
  }
  auto [line, rest] = file.split('\n');
  if (line != producer()) {
    why = "written by another build (" + line.str() + ")";
    return {};
  }
  if (rest.size() < 24) {
    why = "truncated header";
    return {};
  }
  uint64_t size = llvm::support::endian::read64le(rest.data());
  llvm::XXH128_hash_t want{llvm::support::endian::read64le(rest.data() + 8),
                           llvm::support::endian::read64le(rest.data() + 16)};
  llvm::StringRef payload = rest.drop_front(24);
  if (payload.size() != size) {
    why = "truncated (" + std::to_string(payload.size()) + " of " + std::to_string(size) +
          " bytes)";
    return {};
  }
  if (!(llvm::xxh3_128bits(bytes(payload)) == want)) {
    why = "checksum mismatch";
    return {};
  }
  return payload;
}

OwningOpRef<ModuleOp> CompileCache::load(llvm::StringRef key, MLIRContext *context,
                                         CacheLookup &outcome, std::string &why) {
  std::string path = entryPath(key);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    outcome = CacheLookup::Miss;
    return {};
  }
  outcome = CacheLookup::Invalid;
  llvm::StringRef payload = checkedPayload((*file)->getBuffer(), why);
  if (payload.empty()) {
    llvm::sys::fs::remove(path);
    return {};
  }
  // The source manager keeps the payload alive for resources that point
  // into it. Bytecode aligns resource blobs relative to the buffer's
  // address, so the copy is page-aligned (the header before the payload in
  // the file is not a multiple of any alignment).
  std::unique_ptr<llvm::WritableMemoryBuffer> aligned =
      llvm::WritableMemoryBuffer::getNewUninitMemBuffer(payload.size(), path, llvm::Align(4096));
  std::memcpy(aligned->getBufferStart(), payload.data(), payload.size());
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(aligned), llvm::SMLoc());
  Block block;
  ParserConfig config(context);
  if (failed(readBytecodeFile(sourceMgr, &block, config)) ||
      !llvm::hasSingleElement(block) || !isa<ModuleOp>(block.front())) {
    why = "unreadable bytecode";
    llvm::sys::fs::remove(path);
    return {};
  }
  auto module = cast<ModuleOp>(block.front());
  module->remove();
  outcome = CacheLookup::Hit;
  return OwningOpRef<ModuleOp>(module);
}

llvm::Error CompileCache::store(llvm::StringRef key, ModuleOp lowered) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(ec, "cannot create the cache directory '" + dir +
                                           "': " + ec.message());
  std::string payload;
  {
    llvm::raw_string_ostream os(payload);
    if (failed(writeBytecodeToFile(lowered, os)))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot write the compiled module as bytecode");
  }
  llvm::XXH128_hash_t hash = llvm::xxh3_128bits(bytes(payload));
  char header[24];
  llvm::support::endian::write64le(header, payload.size());
  llvm::support::endian::write64le(header + 8, hash.low64);
  llvm::support::endian::write64le(header + 16, hash.high64);

  // Written beside the entry, then renamed over it.
  std::string path = entryPath(key);
  llvm::SmallString<128> temp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".%%%%%%.tmp", fd, temp))
    return llvm::createStringError(ec, "cannot write to the cache directory '" + dir +
                                           "': " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << kMagic << producer() << "\n" << llvm::StringRef(header, 24) << payload;
    os.close();
    if (os.has_error()) {
      std::error_code ec = os.error();
      os.clear_error();
      llvm::sys::fs::remove(temp);
      return llvm::createStringError(ec, "cannot write '" + temp + "': " + ec.message());
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return llvm::createStringError(ec, "cannot store '" + path + "': " + ec.message());
  }
  return llvm::Error::success();
}

} // namespace axon
