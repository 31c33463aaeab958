//===- ShapeUtils.cpp - Shape rules shared by the axon ops ----------------===//

#include "axon/Dialect/Axon/Utils/ShapeUtils.h"

#include <limits>

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace axon {

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static std::string formatDim(int64_t size) {
  return ShapedType::isDynamic(size) ? "?" : std::to_string(size);
}

std::optional<int64_t> broadcastDim(int64_t lhs, int64_t rhs) {
  if (lhs == 1)
    return rhs;
  if (rhs == 1)
    return lhs;
  if (ShapedType::isDynamic(lhs))
    return rhs;
  if (ShapedType::isDynamic(rhs))
    return lhs;
  if (lhs == rhs)
    return lhs;
  return std::nullopt;
}

LogicalResult broadcastShapes(ArrayRef<NamedShape> shapes,
                              SmallVectorImpl<int64_t> &result,
                              EmitErrorFn emitError) {
  size_t rank = 0;
  for (const NamedShape &s : shapes)
    rank = std::max(rank, s.shape.size());
  result.assign(rank, 1);
  // The operand that decided each result dim so far, to name it on conflict.
  SmallVector<const NamedShape *> decidedBy(rank, nullptr);
  for (const NamedShape &s : shapes) {
    size_t offset = rank - s.shape.size();
    for (auto [i, size] : llvm::enumerate(s.shape)) {
      size_t r = offset + i;
      std::optional<int64_t> dim = broadcastDim(result[r], size);
      if (!dim) {
        const NamedShape &other = *decidedBy[r];
        size_t otherDim = r - (rank - other.shape.size());
        return emitError() << "operands are not broadcast-compatible: '"
                           << other.name << "' dimension " << otherDim
                           << " has size " << formatDim(result[r]) << " but '"
                           << s.name << "' dimension " << i << " has size "
                           << formatDim(size);
      }
      if (size != 1 || !decidedBy[r])
        decidedBy[r] = &s;
      result[r] = *dim;
    }
  }
  return success();
}

LogicalResult verifyBroadcastableTo(NamedShape from, NamedShape to,
                                    EmitErrorFn emitError) {
  if (from.shape.size() > to.shape.size())
    return emitError() << "'" << from.name << "' has rank " << from.shape.size()
                       << ", larger than the rank " << to.shape.size()
                       << " of '" << to.name << "'";
  size_t offset = to.shape.size() - from.shape.size();
  for (auto [i, size] : llvm::enumerate(from.shape)) {
    int64_t target = to.shape[offset + i];
    bool ok = size == target || (size == 1 && !ShapedType::isDynamic(target));
    if (ShapedType::isDynamic(size) && !ShapedType::isDynamic(target))
      ok = true; // Checked at run time: a dynamic size must be 1 or `target`.
    if (!ok)
      return emitError() << "'" << from.name << "' dimension " << i
                         << " (size " << formatDim(size)
                         << ") cannot broadcast to '" << to.name
                         << "' dimension " << offset + i << " (size "
                         << formatDim(target) << ")";
  }
  return success();
}

LogicalResult verifyAxis(int64_t axis, int64_t rank, StringRef attrName,
                         EmitErrorFn emitError) {
  if (axis < 0 || axis >= rank)
    return emitError() << "'" << attrName << "' value " << axis
                       << " is out of range [0, " << rank << ")";
  return success();
}

LogicalResult verifyAxes(ArrayRef<int64_t> axes, int64_t rank,
                         StringRef attrName, EmitErrorFn emitError) {
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (failed(verifyAxis(axis, rank, attrName, emitError)))
      return failure();
    if (i > 0 && axes[i - 1] >= axis)
      return emitError() << "'" << attrName
                         << "' must be strictly increasing, but entry " << i
                         << " (" << axis << ") follows " << axes[i - 1];
  }
  return success();
}

SmallVector<int64_t> reduceShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes,
                                 bool keepDims) {
  SmallVector<int64_t> result;
  for (auto [i, size] : llvm::enumerate(shape)) {
    if (!llvm::is_contained(axes, static_cast<int64_t>(i)))
      result.push_back(size);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

LogicalResult verifyPermutation(ArrayRef<int64_t> perm, int64_t rank,
                                StringRef attrName, EmitErrorFn emitError) {
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitError() << "'" << attrName << "' has " << perm.size()
                       << " entries but the input has rank " << rank;
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (failed(verifyAxis(p, rank, attrName, emitError)))
      return failure();
    if (seen[p])
      return emitError() << "'" << attrName << "' is not a permutation: " << p
                         << " appears twice";
    seen[p] = true;
  }
  return success();
}

int64_t slicedSize(int64_t size, int64_t start, int64_t end, int64_t step) {
  if (ShapedType::isDynamic(size))
    return kDynamic;
  auto normalize = [&](int64_t index, int64_t lo, int64_t hi) {
    if (index < 0)
      index = index < -size ? lo : index + size;
    return std::clamp(index, lo, hi);
  };
  // ceil(span / |step|) as (span - 1) / |step| + 1: no overflow for steps
  // near INT64_MAX (or INT64_MIN, whose magnitude only fits unsigned).
  if (step > 0) {
    int64_t b = normalize(start, 0, size), e = normalize(end, 0, size);
    return e > b ? (e - b - 1) / step + 1 : 0;
  }
  // Walking backwards: positions run from `start` down to just above `end`,
  // and -1 (before the first element) is a valid bound.
  int64_t b = normalize(start, -1, size - 1), e = normalize(end, -1, size - 1);
  uint64_t magnitude = uint64_t(0) - static_cast<uint64_t>(step);
  return b > e ? static_cast<int64_t>(static_cast<uint64_t>(b - e - 1) / magnitude) + 1 : 0;
}

std::optional<int64_t> windowOutputSize(int64_t inputSize, int64_t kernel,
                                        int64_t stride, int64_t dilation,
                                        int64_t padBegin, int64_t padEnd,
                                        bool ceilMode) {
  if (ShapedType::isDynamic(inputSize))
    return kDynamic;
  // Attributes can be anything up to INT64_MAX: compute in 128 bits and
  // reject what does not fit a size.
  __int128 wide = __int128(inputSize) + padBegin + padEnd -
                  __int128(dilation) * (__int128(kernel) - 1) - 1;
  if (wide < 0 || wide > std::numeric_limits<int64_t>::max() || stride <= 0)
    return std::nullopt;
  int64_t span = static_cast<int64_t>(wide);
  int64_t out = span / stride + (ceilMode && span % stride != 0 ? 1 : 0) + 1;
  // In ceil mode the last window must still start inside the padded input.
  if (ceilMode && __int128(out - 1) * stride >= __int128(inputSize) + padBegin)
    --out;
  return out;
}

} // namespace axon
