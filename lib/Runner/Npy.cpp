//===- Npy.cpp - Reading and writing numpy .npy files ---------------------===//

#include "axon/Runner/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using llvm::StringRef;

namespace axon {

static llvm::Error npyError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The value of `key` in the header dict, e.g. 'descr': '<f4'.
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("'")) {
    size_t end = rest.find('\'', 1);
    return end == StringRef::npos ? std::nullopt
                                  : std::optional(rest.slice(1, end));
  }
  if (rest.starts_with("(")) {
    size_t end = rest.find(')');
    return end == StringRef::npos ? std::nullopt
                                  : std::optional(rest.slice(1, end));
  }
  return rest.take_until([](char c) { return c == ',' || c == '}'; }).trim();
}

static std::optional<DType> parseDescr(StringRef descr) {
  if (descr.size() < 2)
    return std::nullopt;
  char order = descr[0];
  StringRef kind = descr.drop_front();
  // One-byte types have no byte order ('|'); wider ones must be little-endian.
  if (kind == "b1")
    return DType::Bool;
  if (kind == "i1")
    return DType::I8;
  if (order != '<' && order != '=')
    return std::nullopt;
  if (kind == "f4") return DType::F32;
  if (kind == "f8") return DType::F64;
  if (kind == "f2") return DType::F16;
  if (kind == "i4") return DType::I32;
  if (kind == "i8") return DType::I64;
  return std::nullopt;
}

llvm::Expected<HostTensor> parseNpy(StringRef bytes) {
  if (!bytes.starts_with("\x93NUMPY"))
    return npyError("not an .npy file (bad magic bytes)");
  if (bytes.size() < 10)
    return npyError("truncated .npy header");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) | static_cast<uint8_t>(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError("truncated .npy header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
    headerStart = 12;
  } else {
    return npyError("unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return npyError("truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::optional<StringRef> descr = headerValue(header, "descr");
  std::optional<StringRef> fortran = headerValue(header, "fortran_order");
  std::optional<StringRef> shapeText = headerValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return npyError("malformed .npy header: " + header.trim());
  std::optional<DType> dtype = parseDescr(*descr);
  if (!dtype)
    return npyError("unsupported .npy dtype '" + *descr +
                    "' (supported: <f4 <f8 <f2 <i4 <i8 |i1 |b1)");
  if (*fortran != "False")
    return npyError("Fortran-ordered .npy arrays are not supported");

  HostTensor tensor;
  tensor.dtype = *dtype;
  llvm::SmallVector<StringRef> dims;
  shapeText->split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef dim : dims) {
    uint64_t size;
    if (dim.trim().getAsInteger(10, size) || size > uint64_t(INT64_MAX))
      return npyError("malformed .npy shape '(" + *shapeText + ")'");
    tensor.shape.push_back(static_cast<int64_t>(size));
  }
  // The sizes come from the file: multiply without overflow before trusting
  // them (a product that wraps to 0 would pass the size check below).
  llvm::Expected<uint64_t> dataBytes = checkedTensorBytes(*dtype, tensor.shape);
  if (!dataBytes)
    return npyError("implausible .npy shape '(" + *shapeText + ")': " +
                    llvm::toString(dataBytes.takeError()));
  size_t expected = *dataBytes;
  StringRef payload = bytes.drop_front(headerStart + headerLen);
  if (payload.size() < expected)
    return npyError("truncated .npy data: expected " + llvm::Twine(expected) +
                    " bytes for " + tensor.describe() + ", found " +
                    llvm::Twine(payload.size()));
  tensor.data.assign(payload.begin(), payload.begin() + expected);
  return tensor;
}

llvm::Expected<HostTensor> readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return npyError("cannot open '" + path + "': " + buffer.getError().message());
  llvm::Expected<HostTensor> tensor = parseNpy((*buffer)->getBuffer());
  if (!tensor)
    return npyError("'" + path + "': " + llvm::toString(tensor.takeError()));
  return tensor;
}

std::string serializeNpy(const HostTensor &tensor) {
  const HostTensor *source = &tensor;
  HostTensor widened;
  if (tensor.dtype == DType::BF16) { // numpy has no bfloat16: write float32.
    widened = HostTensor::zeros(DType::F32, tensor.shape);
    for (int64_t i = 0, e = tensor.numElements(); i < e; ++i) {
      float v = static_cast<float>(tensor.elementAsDouble(i));
      std::memcpy(widened.data.data() + 4 * i, &v, 4);
    }
    source = &widened;
  }
  static const char *kDescr[] = {"<f4", "<f8", "<f2", "<f2", "<i4", "<i8", "|i1", "|b1"};
  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << kDescr[static_cast<int>(source->dtype)]
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : source->shape)
    os << d << (source->shape.size() == 1 ? "," : ", ");
  if (source->shape.size() > 1) // "(2, 3, )" -> "(2, 3)"
    header.resize(header.size() - 2);
  os << "), }";
  // Pad with spaces so that the data starts on a 64-byte boundary.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(source->data.begin(), source->data.end());
  return out;
}

llvm::Error writeNpy(StringRef path, const HostTensor &tensor) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError("cannot write '" + path + "': " + ec.message());
  os << serializeNpy(tensor);
  return llvm::Error::success();
}

} // namespace axon
