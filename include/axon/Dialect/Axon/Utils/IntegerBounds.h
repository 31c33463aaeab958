//===- IntegerBounds.h - Float bounds applied to integer tensors -*- C++
//-*-===//
//
// axon.clip (and clip epilogues) carry f64 bounds; on integer tensors they
// round inward (ceil for a lower bound, floor for an upper one) and
// saturate to the element type's range, so a bound such as 1e30 on i32
// means "at most INT32_MAX" instead of an out-of-range conversion. The
// folder and the lowering share this rule.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_DIALECT_AXON_UTILS_INTEGERBOUNDS_H
#define AXON_DIALECT_AXON_UTILS_INTEGERBOUNDS_H

#include <cmath>
#include <cstdint>
#include <limits>

namespace axon {

/// `bound` as a value of a signed integer type of `bitWidth` bits (i1 is
/// 0/1): rounded up for a lower bound, down for an upper one, saturated.
inline int64_t integerClipBound(double bound, unsigned bitWidth, bool isLower) {
  double lo = bitWidth == 1 ? 0.0 : -std::ldexp(1.0, bitWidth - 1);
  double hi = bitWidth == 1 ? 1.0 : std::ldexp(1.0, bitWidth - 1) - 1;
  if (std::isnan(bound))
    return isLower ? static_cast<int64_t>(lo) : static_cast<int64_t>(hi);
  double r = isLower ? std::ceil(bound) : std::floor(bound);
  if (r <= lo)
    return bitWidth == 64 ? std::numeric_limits<int64_t>::min()
                          : static_cast<int64_t>(lo);
  // 2^63 - 1 is not a double: compare against 2^63.
  if (bitWidth == 64 ? r >= std::ldexp(1.0, 63) : r >= hi)
    return bitWidth == 64 ? std::numeric_limits<int64_t>::max()
                          : static_cast<int64_t>(hi);
  return static_cast<int64_t>(r);
}

} // namespace axon

#endif // AXON_DIALECT_AXON_UTILS_INTEGERBOUNDS_H
