//===- CopyKernel.h - Vectorized strided copies -----------------*- C++ -*-===//
//
// The kernel behind permutes and slices: every output element (row-major
// over `outSizes`) reads the input at `base + sum(coord[d] * srcStrides[d])`.
// Each thread moves `vec` consecutive output elements with one vector load
// and store; the caller guarantees that the innermost source stride is 1 and
// that every vector stays aligned (base, the innermost size and the input's
// row strides are multiples of `vec`).
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_COPYKERNEL_H
#define AXON_LIB_CONVERSION_AXONTOGPU_COPYKERNEL_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace axon::gpu_kernels {

void emitStridedCopy(mlir::ImplicitLocOpBuilder &b, mlir::Value in,
                     mlir::Value out, llvm::ArrayRef<mlir::Value> outSizes,
                     llvm::ArrayRef<mlir::Value> srcStrides, mlir::Value base,
                     mlir::Value total, int64_t threads, int64_t vec,
                     llvm::StringRef label, mlir::DictionaryAttr config);

/// The widest vector (16 bytes at most) whose width divides every one of
/// `sizes` (elements of `elementBits` bits); sizes < 0 (dynamic) give 1.
int64_t widestVector(llvm::ArrayRef<int64_t> sizes, int64_t elementBits);

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_COPYKERNEL_H
