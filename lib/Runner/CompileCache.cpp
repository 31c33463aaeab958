//===- CompileCache.cpp - Compiled programs kept on disk ------------------===//
//
// An entry is one file, `<key>.axonc`:
//   header: "AXONC2\n" | producer line "\n" | payload size (8 bytes, little
//           endian) | payload hash (xxh3-128, 16 bytes), zero-padded to a
//           multiple of 4096 bytes (so that the payload is page-aligned in a
//           mapped file, and so are the constants in it)
//   payload: metadata size (8) | metadata (text lines) | object size (8) |
//            object | constants, each at an offset aligned to 64 bytes or
//            more, which the metadata names
// Everything is checked before anything is used, so a truncated or corrupted
// entry (or one another build wrote) is detected and rebuilt.
//
//===----------------------------------------------------------------------===//

#include "axon/Runner/CompileCache.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Alignment.h"
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

static constexpr llvm::StringLiteral kMagic = "AXONC2\n";

/// Identifies the build that writes and reads entries: LLVM's version and
/// the running executable (a rebuilt Axon has another size or time).
static std::string producer() {
  static std::string id = [] {
    std::string exe =
        llvm::sys::fs::getMainExecutable(nullptr, (void *)&producer);
    llvm::sys::fs::file_status status;
    uint64_t size = 0, time = 0;
    if (!exe.empty() && !llvm::sys::fs::status(exe, status)) {
      size = status.getSize();
      time = status.getLastModificationTime().time_since_epoch().count();
    }
    std::string text;
    llvm::raw_string_ostream(text) << "axon " << exe << " " << size << " "
                                   << time << " llvm " << LLVM_VERSION_STRING;
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

static constexpr uint64_t kPage = 4096, kConstantAlignment = 64;

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

std::string CompileCache::computeKey(llvm::ArrayRef<llvm::StringRef> parts) {
  // The hash of the parts' hashes (a model's bytes are not copied), each
  // with its length: no two lists of parts hash the same.
  std::string text = producer();
  for (llvm::StringRef part : parts)
    text += "\n" + std::to_string(part.size()) + ":" +
            hex(llvm::xxh3_128bits(bytes(part)));
  return hex(llvm::xxh3_128bits(bytes(text)));
}

std::optional<std::string> CompileCache::hashFile(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return std::nullopt;
  return hex(llvm::xxh3_128bits(bytes((*file)->getBuffer())));
}

std::string CompileCache::entryPath(llvm::StringRef key) const {
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, key + ".axonc");
  return path.str().str();
}

//===----------------------------------------------------------------------===//
// Metadata: one record per line, fields separated by tabs; names (which may
// hold any byte) are written in hex.
//===----------------------------------------------------------------------===//

namespace {
struct ConstantPlacement {
  std::string symbol;
  uint64_t alignment, offset, size;
};
} // namespace

static std::string printed(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

static std::string writeMetadata(const CacheEntry &entry,
                                 llvm::ArrayRef<ConstantPlacement> constants) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto name = [](llvm::StringRef s) {
    return llvm::toHex(s, /*LowerCase=*/true);
  };
  os << "entry\t" << name(entry.signature.name) << "\n";
  for (auto [type, inputName] :
       llvm::zip(entry.signature.inputs, entry.signature.inputNames))
    os << "input\t" << name(inputName) << "\t" << printed(type) << "\n";
  for (RankedTensorType type : entry.signature.results)
    os << "result\t" << printed(type) << "\n";
  os << "kernel-modules\t" << entry.kernelModules << "\n";
  if (entry.kernelTable) {
    os << "kernel-table\t";
    entry.kernelTable.print(os);
    os << "\n";
  }
  for (const std::string &input : entry.graphInputs)
    os << "graph-input\t" << name(input) << "\n";
  for (const std::string &input : entry.foldedInputs)
    os << "folded-input\t" << name(input) << "\n";
  for (const CacheDependency &dep : entry.dependencies)
    os << "dependency\t" << dep.hash << "\t" << name(dep.path) << "\n";
  for (const std::string &fn : entry.program.constructors)
    os << "constructor\t" << name(fn) << "\n";
  for (const std::string &fn : entry.program.destructors)
    os << "destructor\t" << name(fn) << "\n";
  for (const ConstantPlacement &c : constants)
    os << "constant\t" << name(c.symbol) << "\t" << c.alignment << "\t"
       << c.offset << "\t" << c.size << "\n";
  return text;
}

/// Reads the metadata into `entry` and `constants`; false on any record it
/// cannot read.
static bool readMetadata(llvm::StringRef text, MLIRContext *context,
                         CacheEntry &entry,
                         std::vector<ConstantPlacement> &constants) {
  llvm::SmallVector<llvm::StringRef> lines, fields;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  auto name = [](llvm::StringRef s, std::string &out) {
    return llvm::tryGetFromHex(s, out);
  };
  auto tensorType = [&](llvm::StringRef s) {
    return dyn_cast_or_null<RankedTensorType>(parseType(s, context));
  };
  bool haveEntry = false;
  for (llvm::StringRef line : lines) {
    fields.clear();
    line.split(fields, '\t');
    llvm::StringRef kind = fields[0];
    std::string value;
    if (kind == "entry" && fields.size() == 2 && name(fields[1], value)) {
      entry.signature.name = value;
      haveEntry = true;
    } else if (kind == "input" && fields.size() == 3 &&
               name(fields[1], value)) {
      RankedTensorType type = tensorType(fields[2]);
      if (!type)
        return false;
      entry.signature.inputs.push_back(type);
      entry.signature.inputNames.push_back(value);
    } else if (kind == "result" && fields.size() == 2) {
      RankedTensorType type = tensorType(fields[1]);
      if (!type)
        return false;
      entry.signature.results.push_back(type);
    } else if (kind == "kernel-modules" && fields.size() == 2) {
      if (fields[1].getAsInteger(10, entry.kernelModules))
        return false;
    } else if (kind == "kernel-table" && fields.size() == 2) {
      entry.kernelTable =
          dyn_cast_or_null<DictionaryAttr>(parseAttribute(fields[1], context));
      if (!entry.kernelTable)
        return false;
    } else if (kind == "graph-input" && fields.size() == 2 &&
               name(fields[1], value)) {
      entry.graphInputs.push_back(value);
    } else if (kind == "folded-input" && fields.size() == 2 &&
               name(fields[1], value)) {
      entry.foldedInputs.push_back(value);
    } else if (kind == "dependency" && fields.size() == 3 &&
               name(fields[2], value)) {
      entry.dependencies.push_back({value, fields[1].str()});
    } else if (kind == "constructor" && fields.size() == 2 &&
               name(fields[1], value)) {
      entry.program.constructors.push_back(value);
    } else if (kind == "destructor" && fields.size() == 2 &&
               name(fields[1], value)) {
      entry.program.destructors.push_back(value);
    } else if (kind == "constant" && fields.size() == 5 &&
               name(fields[1], value)) {
      ConstantPlacement c{value, 0, 0, 0};
      if (fields[2].getAsInteger(10, c.alignment) ||
          fields[3].getAsInteger(10, c.offset) ||
          fields[4].getAsInteger(10, c.size) ||
          !llvm::isPowerOf2_64(c.alignment))
        return false;
      constants.push_back(std::move(c));
    } else {
      return false;
    }
  }
  return haveEntry;
}

//===----------------------------------------------------------------------===//
// Entries
//===----------------------------------------------------------------------===//

static uint64_t headerBytes() {
  return llvm::alignTo(kMagic.size() + producer().size() + 1 + 24, kPage);
}

/// The payload of `file` when its header holds, else "" with `why` set.
static llvm::StringRef checkedPayload(llvm::StringRef file, std::string &why) {
  llvm::StringRef rest = file;
  if (!rest.consume_front(kMagic)) {
    why = "not a compile-cache entry";
    return {};
  }
  auto [line, afterLine] = rest.split('\n');
  if (line != producer()) {
    why = "written by another build (" + line.str() + ")";
    return {};
  }
  if (afterLine.size() < 24 || file.size() < headerBytes()) {
    why = "truncated header";
    return {};
  }
  // The padding too: no byte of an entry goes unchecked.
  llvm::StringRef padding =
      file.take_front(headerBytes())
          .drop_front(file.size() - afterLine.size() + 24);
  if (padding.find_first_not_of('\0') != llvm::StringRef::npos) {
    why = "corrupted header";
    return {};
  }
  uint64_t size = llvm::support::endian::read64le(afterLine.data());
  llvm::XXH128_hash_t want{
      llvm::support::endian::read64le(afterLine.data() + 8),
      llvm::support::endian::read64le(afterLine.data() + 16)};
  llvm::StringRef payload = file.drop_front(headerBytes());
  if (payload.size() != size) {
    why = "truncated (" + std::to_string(payload.size()) + " of " +
          std::to_string(size) + " bytes)";
    return {};
  }
  if (!(llvm::xxh3_128bits(bytes(payload)) == want)) {
    why = "checksum mismatch";
    return {};
  }
  return payload;
}

/// Splits a length-prefixed field off the front of `data`.
static std::optional<llvm::StringRef> takeSized(llvm::StringRef &data) {
  if (data.size() < 8)
    return std::nullopt;
  uint64_t size = llvm::support::endian::read64le(data.data());
  data = data.drop_front(8);
  if (size > data.size())
    return std::nullopt;
  llvm::StringRef field = data.take_front(size);
  data = data.drop_front(size);
  return field;
}

std::optional<CacheEntry> CompileCache::load(llvm::StringRef key,
                                             MLIRContext *context,
                                             CacheLookup &outcome,
                                             std::string &why) {
  std::string path = entryPath(key);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    outcome = CacheLookup::Miss;
    return std::nullopt;
  }
  outcome = CacheLookup::Invalid;
  auto reject = [&](const std::string &reason) {
    why = reason;
    llvm::sys::fs::remove(path);
    return std::nullopt;
  };
  llvm::StringRef payload = checkedPayload((*file)->getBuffer(), why);
  if (payload.empty())
    return reject(why);
  // A small file is read, not mapped, and then only 16-byte aligned: such a
  // payload is copied to where its constants are aligned.
  std::shared_ptr<llvm::MemoryBuffer> owner = std::move(*file);
  if (reinterpret_cast<uintptr_t>(payload.data()) % kPage != 0) {
    std::unique_ptr<llvm::WritableMemoryBuffer> aligned =
        llvm::WritableMemoryBuffer::getNewUninitMemBuffer(payload.size(), path,
                                                          llvm::Align(kPage));
    std::memcpy(aligned->getBufferStart(), payload.data(), payload.size());
    owner = std::move(aligned);
    payload = owner->getBuffer();
  }

  llvm::StringRef rest = payload;
  std::optional<llvm::StringRef> metadata = takeSized(rest);
  std::optional<llvm::StringRef> object =
      metadata ? takeSized(rest) : std::nullopt;
  CacheEntry entry;
  std::vector<ConstantPlacement> constants;
  if (!object || !readMetadata(*metadata, context, entry, constants))
    return reject("unreadable metadata");
  for (const ConstantPlacement &c : constants) {
    if (c.offset > payload.size() || c.size > payload.size() - c.offset ||
        c.offset % c.alignment != 0)
      return reject("constant out of bounds");
    entry.program.constants.push_back(
        {c.symbol, payload.data() + c.offset, size_t(c.size), c.alignment});
  }
  // The program was also made from these files: it is stale if one changed.
  for (const CacheDependency &dep : entry.dependencies) {
    std::optional<std::string> hash = hashFile(dep.path);
    if (!hash || *hash != dep.hash)
      return reject("'" + dep.path + "' has changed since it was compiled");
  }
  entry.program.object = llvm::MemoryBuffer::getMemBufferCopy(*object, path);
  entry.program.storage.push_back(
      std::shared_ptr<const void>(owner, owner->getBufferStart()));
  outcome = CacheLookup::Hit;
  return entry;
}

llvm::Error CompileCache::store(llvm::StringRef key, const CacheEntry &entry) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(ec, "cannot create the cache directory '" +
                                           dir + "': " + ec.message());
  const CompiledProgram &program = entry.program;
  if (!program.object)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no host object to store");
  // The constants' offsets depend on the metadata's size, which names them:
  // place them after a first estimate and grow until the placement holds.
  std::vector<ConstantPlacement> placed;
  std::string metadata;
  uint64_t base = 0;
  for (unsigned round = 0;; ++round) {
    placed.clear();
    uint64_t offset = base;
    for (const ProgramConstant &c : program.constants) {
      uint64_t alignment = std::max<uint64_t>(c.alignment, kConstantAlignment);
      offset = llvm::alignTo(offset, alignment);
      placed.push_back({c.symbol, alignment, offset, c.size});
      offset += c.size;
    }
    metadata = writeMetadata(entry, placed);
    uint64_t needed =
        llvm::alignTo(16 + metadata.size() + program.object->getBufferSize(),
                      kConstantAlignment);
    if (needed <= base)
      break;
    base = needed + (round > 2 ? 4096 : 0);
  }
  uint64_t payloadSize =
      placed.empty() ? 16 + metadata.size() + program.object->getBufferSize()
                     : placed.back().offset + placed.back().size;

  std::string payload(payloadSize, '\0');
  char *out = payload.data();
  llvm::support::endian::write64le(out, metadata.size());
  std::memcpy(out + 8, metadata.data(), metadata.size());
  out += 8 + metadata.size();
  llvm::support::endian::write64le(out, program.object->getBufferSize());
  std::memcpy(out + 8, program.object->getBufferStart(),
              program.object->getBufferSize());
  for (auto [c, where] : llvm::zip(program.constants, placed))
    std::memcpy(payload.data() + where.offset, c.data, c.size);

  llvm::XXH128_hash_t hash = llvm::xxh3_128bits(bytes(payload));
  std::string header = kMagic.str() + producer() + "\n";
  char sizes[24];
  llvm::support::endian::write64le(sizes, payload.size());
  llvm::support::endian::write64le(sizes + 8, hash.low64);
  llvm::support::endian::write64le(sizes + 16, hash.high64);
  header.append(sizes, 24);
  header.resize(headerBytes(), '\0');

  // Written beside the entry, then renamed over it.
  std::string path = entryPath(key);
  llvm::SmallString<128> temp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".%%%%%%.tmp", fd, temp))
    return llvm::createStringError(ec, "cannot write to the cache directory '" +
                                           dir + "': " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << header << payload;
    os.close();
    if (os.has_error()) {
      std::error_code ec = os.error();
      os.clear_error();
      llvm::sys::fs::remove(temp);
      return llvm::createStringError(ec, "cannot write '" + temp +
                                             "': " + ec.message());
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return llvm::createStringError(ec, "cannot store '" + path +
                                           "': " + ec.message());
  }
  return llvm::Error::success();
}

} // namespace axon
