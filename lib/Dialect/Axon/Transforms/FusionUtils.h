//===- FusionUtils.h - Matching helpers for the fusion patterns -*- C++ -*-===//

#ifndef AXON_LIB_DIALECT_AXON_TRANSFORMS_FUSIONUTILS_H
#define AXON_LIB_DIALECT_AXON_TRANSFORMS_FUSIONUTILS_H

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace axon {

/// The value of a splat axon.constant, as a double.
std::optional<double> getSplatValue(mlir::Value value);

/// Whether `value` is a splat constant within a relative 1e-3 of `expected`
/// (exporters round constants such as 1/sqrt(2) to the element type).
bool isSplatNear(mlir::Value value, double expected);

/// Whether every user of `value` is one of `users` (and it has at least one).
bool usedOnlyBy(mlir::Value value, llvm::ArrayRef<mlir::Operation *> users);

/// For a commutative binary op, the operand defined by `OpTy` and the other
/// one; std::nullopt when neither is.
template <typename OpTy>
std::optional<std::pair<OpTy, mlir::Value>> matchEither(mlir::Value lhs,
                                                        mlir::Value rhs) {
  if (auto op = lhs.getDefiningOp<OpTy>())
    return std::make_pair(op, rhs);
  if (auto op = rhs.getDefiningOp<OpTy>())
    return std::make_pair(op, lhs);
  return std::nullopt;
}

/// The factors of a product tree rooted at `root` (an axon.mul), descending
/// through muls that have a single use and the result's type; `muls` collects
/// the mul ops of the tree.
void collectProductFactors(MulOp root, llvm::SmallVectorImpl<mlir::Value> &factors,
                           llvm::SmallVectorImpl<mlir::Operation *> &muls);

/// `values` without their leading size-1 dims, as a shape (for parameters that
/// broadcast from the right, e.g. a [1, 1, H] layer-norm scale).
llvm::SmallVector<int64_t> dropLeadingOnes(llvm::ArrayRef<int64_t> shape);

/// Reshapes `value` to `shape` unless it already has it.
mlir::Value reshapeTo(mlir::PatternRewriter &rewriter, mlir::Location loc,
                      mlir::Value value, llvm::ArrayRef<int64_t> shape);

} // namespace axon

#endif // AXON_LIB_DIALECT_AXON_TRANSFORMS_FUSIONUTILS_H
