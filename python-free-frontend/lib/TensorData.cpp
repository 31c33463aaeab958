//===- TensorData.cpp - onnx.TensorProto contents -------------------------===//

#include "TensorData.h"

#include "axon/Frontend/ONNX/ExternalData.h"
#include "axon/Frontend/ONNX/TensorProto.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallString.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/BuiltinDialect.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <limits>
#include <fstream>

namespace axon::onnx_frontend {

using onnx::TensorProto;

std::optional<DType> dtypeOf(int onnxType, std::string &error) {
  switch (onnxType) {
  case TensorProto::FLOAT: return DType::F32;
  case TensorProto::FLOAT16: return DType::F16;
  case TensorProto::BFLOAT16: return DType::BF16;
  case TensorProto::INT32: return DType::I32;
  case TensorProto::INT64: return DType::I64;
  case TensorProto::BOOL: return DType::Bool;
  case TensorProto::DOUBLE: return DType::F64;
  case TensorProto::INT8: return DType::I8;
  default:
    error = "unsupported ONNX element type " +
            TensorProto::DataType_Name(static_cast<TensorProto::DataType>(onnxType));
    return std::nullopt;
  }
}

mlir::Type elementTypeOf(int onnxType, mlir::MLIRContext *context, std::string &error) {
  mlir::Builder b(context);
  switch (onnxType) {
  case TensorProto::FLOAT: return b.getF32Type();
  case TensorProto::DOUBLE: return b.getF64Type();
  case TensorProto::FLOAT16: return b.getF16Type();
  case TensorProto::BFLOAT16: return b.getBF16Type();
  case TensorProto::INT32: return b.getI32Type();
  case TensorProto::INT64: return b.getI64Type();
  case TensorProto::BOOL: return b.getI1Type();
  default:
    error = "unsupported ONNX element type " +
            TensorProto::DataType_Name(static_cast<TensorProto::DataType>(onnxType)) +
            " (axon supports float, double, float16, bfloat16, int32, int64, bool)";
    return {};
  }
}

std::optional<HostTensor> decodeTensor(const TensorProto &proto,
                                       llvm::StringRef directory, std::string &error,
                                       llvm::StringRef *rawView) {
  std::optional<DType> dtype = dtypeOf(proto.data_type(), error);
  if (!dtype)
    return std::nullopt;
  llvm::SmallVector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  // Check the size before allocating anything: a file that is not a
  // TensorProto can still parse as one, with absurd dims.
  llvm::Expected<uint64_t> checked = checkedTensorBytes(*dtype, shape);
  if (!checked) {
    error = "tensor '" + proto.name() + "': " + llvm::toString(checked.takeError());
    return std::nullopt;
  }
  size_t width = dtypeSize(*dtype);
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  size_t bytes = *checked;
  size_t available = proto.has_raw_data()                ? proto.raw_data().size()
                     : proto.float_data_size()           ? proto.float_data_size() * width
                     : proto.int32_data_size()           ? proto.int32_data_size() * width
                     : proto.int64_data_size()           ? proto.int64_data_size() * width
                     : proto.double_data_size()          ? proto.double_data_size() * width
                                                         : 0;
  if (proto.data_location() != TensorProto::EXTERNAL && available != bytes) {
    error = "tensor '" + proto.name() + "' of " + std::to_string(n) + " " +
            dtypeName(*dtype).str() + " elements holds " + std::to_string(available) +
            " bytes of data, expected " + std::to_string(bytes);
    return std::nullopt;
  }
  // Allocated only once the data is known to be there (external data may
  // claim any size).
  HostTensor t;
  t.dtype = *dtype;
  t.shape.assign(shape.begin(), shape.end());
  auto allocate = [&] { t = HostTensor::zeros(*dtype, shape); };
  auto sizeError = [&](size_t have) {
    error = "tensor '" + proto.name() + "' of shape " + t.describe() + " holds " +
            std::to_string(have) + " bytes of data, expected " + std::to_string(bytes);
    return std::nullopt;
  };

  if (proto.data_location() == TensorProto::EXTERNAL) {
    ExternalDataSpec spec;
    for (const auto &entry : proto.external_data()) {
      std::optional<uint64_t> number;
      if (entry.key() == "location") {
        spec.location = entry.value();
        continue;
      }
      if (entry.key() != "offset" && entry.key() != "length")
        continue;
      if (!(number = parseExternalDataNumber(entry.key(), entry.value(), error))) {
        error = "tensor '" + proto.name() + "': " + error;
        return std::nullopt;
      }
      if (entry.key() == "offset")
        spec.offset = *number;
      else
        spec.length = *number;
    }
    std::unique_ptr<llvm::MemoryBuffer> file = readExternalData(directory, spec, error);
    if (!file) {
      error = "tensor '" + proto.name() + "': " + error;
      return std::nullopt;
    }
    llvm::StringRef data = file->getBuffer();
    if (data.size() < bytes)
      return sizeError(data.size());
    allocate();
    if (bytes) // an empty vector's data() may be null
      std::memcpy(t.data.data(), data.data(), bytes);
    return t;
  }
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != bytes)
      return sizeError(raw.size());
    if (rawView) {
      *rawView = raw;
      return t;
    }
    allocate();
    if (bytes)
      std::memcpy(t.data.data(), raw.data(), bytes);
    return t;
  }
  allocate();
  // Typed fields: float_data (f32), double_data, int64_data, and int32_data,
  // which also carries f16/bf16 bits, bools and 8-bit values.
  auto fill = [&](auto field, auto convert) -> bool {
    if (static_cast<int64_t>(field.size()) != n) {
      sizeError(field.size() * width);
      return false;
    }
    for (int64_t i = 0; i < n; ++i)
      convert(t.data.data() + i * width, field[i]);
    return true;
  };
  bool ok = false;
  switch (*dtype) {
  case DType::F32:
    ok = fill(proto.float_data(), [](char *p, float v) { std::memcpy(p, &v, 4); });
    break;
  case DType::F64:
    ok = fill(proto.double_data(), [](char *p, double v) { std::memcpy(p, &v, 8); });
    break;
  case DType::I64:
    ok = fill(proto.int64_data(), [](char *p, int64_t v) { std::memcpy(p, &v, 8); });
    break;
  case DType::I32:
    ok = fill(proto.int32_data(), [](char *p, int32_t v) { std::memcpy(p, &v, 4); });
    break;
  case DType::F16:
  case DType::BF16:
    ok = fill(proto.int32_data(), [](char *p, int32_t v) {
      uint16_t bits = static_cast<uint16_t>(v);
      std::memcpy(p, &bits, 2);
    });
    break;
  case DType::Bool:
  case DType::I8:
    ok = fill(proto.int32_data(), [](char *p, int32_t v) { *p = static_cast<char>(v); });
    break;
  }
  if (!ok)
    return std::nullopt;
  return t;
}

mlir::ElementsAttr toElementsAttr(const HostTensor &tensor, mlir::Type element,
                                  llvm::StringRef name, int64_t resourceThreshold) {
  return toElementsAttr(tensor.shape, llvm::ArrayRef<char>(tensor.data.data(), tensor.data.size()),
                        element, name, resourceThreshold);
}

mlir::ElementsAttr toElementsAttr(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<char> raw,
                                  mlir::Type element, llvm::StringRef name,
                                  int64_t resourceThreshold) {
  auto type = mlir::RankedTensorType::get(shape, element);
  if (element.isInteger(1)) {
    llvm::SmallVector<bool> values;
    for (char byte : raw)
      values.push_back(byte != 0);
    return mlir::DenseElementsAttr::get(type, values);
  }
  if (type.getNumElements() > resourceThreshold) {
    auto blob = mlir::HeapAsmResourceBlob::allocateAndCopyInferAlign(raw);
    return mlir::DenseResourceElementsAttr::get(type, name.empty() ? "onnx" : name,
                                                std::move(blob));
  }
  return mlir::DenseElementsAttr::getFromRawBuffer(type, raw);
}

llvm::Expected<HostTensor> parseTensorProto(llvm::StringRef bytes,
                                            llvm::StringRef directory,
                                            llvm::StringRef name) {
  auto error = [&](const llvm::Twine &m) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + name + "': " + m);
  };
  TensorProto proto;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return error("not a valid onnx.TensorProto (protobuf parse failed)");
  std::string message;
  std::optional<HostTensor> tensor = decodeTensor(proto, directory, message);
  if (!tensor)
    return error(message);
  return std::move(*tensor);
}

llvm::Expected<HostTensor> readTensorProtoFile(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot open '" + path + "': " +
                                       file.getError().message());
  return parseTensorProto((*file)->getBuffer(), llvm::sys::path::parent_path(path),
                          path);
}

} // namespace axon::onnx_frontend
