//===- HostTensor.h - Tensors in host memory for the runners ----*- C++ -*-===//

#ifndef AXON_RUNNER_HOSTTENSOR_H
#define AXON_RUNNER_HOSTTENSOR_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace axon {

/// Element types a runner exchanges with compiled code.
enum class DType { F32, F64, F16, BF16, I32, I64, I8, Bool };

/// Bytes per element (Bool is one byte, as LLVM stores i1).
size_t dtypeSize(DType dtype);
/// numpy's name ("float32", "bool", ...); "bfloat16" for BF16.
llvm::StringRef dtypeName(DType dtype);
/// The DType of an MLIR element type, if it has one.
std::optional<DType> dtypeFromType(mlir::Type type);

/// A dense row-major tensor in host memory.
struct HostTensor {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;
  std::vector<char> data;

  int64_t numElements() const;
  /// "float32[2, 3]"
  std::string describe() const;
  /// Element `i` as a double (for printing and comparing).
  double elementAsDouble(int64_t i) const;
  /// Element `i` of an integer or boolean tensor, exactly (nullopt for floats).
  std::optional<int64_t> elementAsInt(int64_t i) const;
  /// A zero-filled tensor of the given type and shape.
  static HostTensor zeros(DType dtype, llvm::ArrayRef<int64_t> shape);
};

/// The largest tensor a run may hold on the host: half of this machine's
/// physical memory (a result needs room too), at most 1 TiB.
uint64_t largestHostTensorBytes();

/// The bytes a tensor of `shape` and `dtype` holds, computed without
/// overflow; an error when a dim is negative or the size exceeds
/// `limitBytes` (sizes come from files and command lines).
llvm::Expected<uint64_t> checkedTensorBytes(DType dtype, llvm::ArrayRef<int64_t> shape,
                                            uint64_t limitBytes = largestHostTensorBytes());

/// A deterministic pseudo-random tensor: floats uniform in [-1, 1), integers
/// in [-4, 4], booleans fair; the same seed always gives the same values.
HostTensor randomTensor(DType dtype, llvm::ArrayRef<int64_t> shape,
                        uint64_t seed);

/// A float32 tensor as bfloat16 (numpy has none: bf16 data travels as .npy
/// float32), when every value is one bfloat16 holds exactly; otherwise an
/// error naming the first value that is not.
llvm::Expected<HostTensor> asBfloat16Exactly(const HostTensor &f32);

/// Converts between IEEE half / bfloat16 bits and float.
float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value);
float bfloat16ToFloat(uint16_t bits);
uint16_t floatToBfloat16(float value);

} // namespace axon

#endif // AXON_RUNNER_HOSTTENSOR_H
