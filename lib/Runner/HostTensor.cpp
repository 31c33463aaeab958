//===- HostTensor.cpp - Tensors in host memory for the runners ------------===//

#include "axon/Runner/HostTensor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unistd.h>

namespace axon {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::I8:
  case DType::Bool:
    return 1;
  }
  llvm_unreachable("unknown dtype");
}

llvm::StringRef dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32: return "float32";
  case DType::F64: return "float64";
  case DType::F16: return "float16";
  case DType::BF16: return "bfloat16";
  case DType::I32: return "int32";
  case DType::I64: return "int64";
  case DType::I8: return "int8";
  case DType::Bool: return "bool";
  }
  llvm_unreachable("unknown dtype");
}

std::optional<DType> dtypeFromType(mlir::Type type) {
  if (type.isF32()) return DType::F32;
  if (type.isF64()) return DType::F64;
  if (type.isF16()) return DType::F16;
  if (type.isBF16()) return DType::BF16;
  if (type.isInteger(1)) return DType::Bool;
  if (type.isInteger(8)) return DType::I8;
  if (type.isInteger(32)) return DType::I32;
  if (type.isInteger(64)) return DType::I64;
  return std::nullopt;
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string HostTensor::describe() const {
  std::string s = dtypeName(dtype).str() + "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

template <typename T> static T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

double HostTensor::elementAsDouble(int64_t i) const {
  const char *p = data.data() + i * dtypeSize(dtype);
  switch (dtype) {
  case DType::F32: return load<float>(p);
  case DType::F64: return load<double>(p);
  case DType::F16: return halfToFloat(load<uint16_t>(p));
  case DType::BF16: return bfloat16ToFloat(load<uint16_t>(p));
  case DType::I32: return load<int32_t>(p);
  case DType::I64: return static_cast<double>(load<int64_t>(p));
  case DType::I8: return load<int8_t>(p);
  case DType::Bool: return load<uint8_t>(p) != 0;
  }
  llvm_unreachable("unknown dtype");
}

std::optional<int64_t> HostTensor::elementAsInt(int64_t i) const {
  const char *p = data.data() + i * dtypeSize(dtype);
  switch (dtype) {
  case DType::I32: return load<int32_t>(p);
  case DType::I64: return load<int64_t>(p);
  case DType::I8: return load<int8_t>(p);
  case DType::Bool: return load<uint8_t>(p) != 0;
  default: return std::nullopt;
  }
}

uint64_t largestHostTensorBytes() {
  static const uint64_t limit = [] {
    uint64_t cap = uint64_t(1) << 40;
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
      return cap;
    return std::min(cap, static_cast<uint64_t>(pages) * pageSize / 2);
  }();
  return limit;
}

llvm::Expected<uint64_t> checkedTensorBytes(DType dtype, llvm::ArrayRef<int64_t> shape,
                                            uint64_t limitBytes) {
  int64_t bytes = static_cast<int64_t>(dtypeSize(dtype));
  for (int64_t d : shape) {
    if (d < 0)
      return llvm::createStringError("negative dimension " + std::to_string(d));
    int64_t next;
    if (llvm::MulOverflow(bytes, d, next) || static_cast<uint64_t>(next) > limitBytes)
      return llvm::createStringError(
          "a " + std::string(dtypeName(dtype)) + " tensor of shape [" +
          llvm::join(llvm::map_range(shape, [](int64_t v) { return std::to_string(v); }), ", ") +
          "] needs more than " + std::to_string(limitBytes) +
          " bytes, the limit on this machine (half its memory, at most 1 TiB)");
    bytes = next;
  }
  return bytes;
}

HostTensor HostTensor::zeros(DType dtype, llvm::ArrayRef<int64_t> shape) {
  HostTensor t;
  t.dtype = dtype;
  t.shape.assign(shape.begin(), shape.end());
  t.data.assign(t.numElements() * dtypeSize(dtype), 0);
  return t;
}

HostTensor randomTensor(DType dtype, llvm::ArrayRef<int64_t> shape,
                        uint64_t seed) {
  HostTensor t = HostTensor::zeros(dtype, shape);
  uint64_t state = seed;
  auto next = [&] { // SplitMix64
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  size_t width = dtypeSize(dtype);
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    uint64_t r = next();
    double unit = static_cast<double>(r >> 11) * 0x1.0p-53 * 2.0 - 1.0;
    int64_t small = static_cast<int64_t>(r % 9) - 4;
    char *p = t.data.data() + i * width;
    switch (dtype) {
    case DType::F32: { float v = unit; std::memcpy(p, &v, 4); break; }
    case DType::F64: std::memcpy(p, &unit, 8); break;
    case DType::F16: { uint16_t v = floatToHalf(unit); std::memcpy(p, &v, 2); break; }
    case DType::BF16: { uint16_t v = floatToBfloat16(unit); std::memcpy(p, &v, 2); break; }
    case DType::I32: { int32_t v = small; std::memcpy(p, &v, 4); break; }
    case DType::I64: std::memcpy(p, &small, 8); break;
    case DType::I8: *p = static_cast<char>(small); break;
    case DType::Bool: *p = static_cast<char>(r & 1); break;
    }
  }
  return t;
}

float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else { // Subnormal: normalize.
      exp = 127 - 15 + 1;
      while (!(mant & 0x400)) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  uint32_t sign = (bits >> 16) & 0x8000u;
  int32_t exp = static_cast<int32_t>((bits >> 23) & 0xff) - 127 + 15;
  uint32_t mant = bits & 0x7fffffu;
  if (((bits >> 23) & 0xff) == 0xff) // Inf or NaN.
    return sign | 0x7c00u | (mant ? 0x200u : 0);
  if (exp >= 31)
    return sign | 0x7c00u;
  if (exp <= 0) {
    if (exp < -10)
      return sign;
    mant |= 0x800000u;
    uint32_t shift = 14 - exp;
    uint32_t half = mant >> shift, rest = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1)))
      ++half;
    return sign | half;
  }
  uint32_t half = sign | (exp << 10) | (mant >> 13), rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
    ++half; // Round to nearest even; may carry into the exponent, as it should.
  return half;
}

float bfloat16ToFloat(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}

uint16_t floatToBfloat16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return (bits >> 16) | 0x40; // Quiet NaN.
  bits += 0x7fff + ((bits >> 16) & 1);
  return bits >> 16;
}

llvm::Expected<HostTensor> asBfloat16Exactly(const HostTensor &f32) {
  HostTensor out = HostTensor::zeros(DType::BF16, f32.shape);
  for (int64_t i = 0, e = f32.numElements(); i < e; ++i) {
    float value;
    std::memcpy(&value, f32.data.data() + i * 4, 4);
    uint16_t bits = floatToBfloat16(value);
    float back = bfloat16ToFloat(bits);
    if (back != value && !(std::isnan(back) && std::isnan(value)))
      return llvm::createStringError("float32 value " + std::to_string(value) + " at index " +
                                     std::to_string(i) + " is not a bfloat16 value");
    std::memcpy(out.data.data() + i * 2, &bits, 2);
  }
  return out;
}

} // namespace axon
