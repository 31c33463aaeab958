//===- ShapeUtils.h - Shape rules shared by the axon ops --------*- C++ -*-===//
//
// The broadcasting, axis and reduction rules of the axon dialect, written once.
// Op type inference, verifiers, rewrites and the frontend all call these, so a
// shape rule cannot drift between them. Dynamic sizes are
// mlir::ShapedType::kDynamic throughout.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_DIALECT_AXON_UTILS_SHAPEUTILS_H
#define AXON_DIALECT_AXON_UTILS_SHAPEUTILS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace axon {

/// An error diagnostic that may be switched off: type inference without a
/// location must fail silently, and MLIR's InFlightDiagnostic cannot be
/// streamed into once inactive. Converts to failure().
class OptionalDiagnostic {
public:
  OptionalDiagnostic() = default;
  OptionalDiagnostic(mlir::InFlightDiagnostic &&diag) : diag(std::move(diag)) {}

  template <typename T> OptionalDiagnostic &operator<<(T &&arg) {
    if (diag)
      *diag << std::forward<T>(arg);
    return *this;
  }
  operator mlir::LogicalResult() const { return mlir::failure(); }

private:
  std::optional<mlir::InFlightDiagnostic> diag;
};

/// Returns a diagnostic to stream an error into.
using EmitErrorFn = llvm::function_ref<OptionalDiagnostic()>;

/// An operand's name and shape, so that diagnostics can name the culprit.
struct NamedShape {
  llvm::StringRef name;
  llvm::ArrayRef<int64_t> shape;
};

/// Broadcasts one dimension pair numpy-style. Returns std::nullopt when the
/// sizes conflict. `?` with 1 or `?` gives `?`; `?` with n > 1 gives n.
std::optional<int64_t> broadcastDim(int64_t lhs, int64_t rhs);

/// Broadcasts all `shapes` together, aligned from the right. On conflict,
/// reports the two operands and dimensions at fault through `emitError`.
mlir::LogicalResult broadcastShapes(llvm::ArrayRef<NamedShape> shapes,
                                    llvm::SmallVectorImpl<int64_t> &result,
                                    EmitErrorFn emitError);

/// Whether `from` broadcasts to exactly `to` (each aligned dim is 1 or equal,
/// a dynamic `to` dim only from the same dynamic `from` dim).
mlir::LogicalResult verifyBroadcastableTo(NamedShape from, NamedShape to,
                                          EmitErrorFn emitError);

/// Checks that `axes` are in [0, rank) and strictly increasing.
mlir::LogicalResult verifyAxes(llvm::ArrayRef<int64_t> axes, int64_t rank,
                               llvm::StringRef attrName, EmitErrorFn emitError);

/// Checks that `axis` is in [0, rank).
mlir::LogicalResult verifyAxis(int64_t axis, int64_t rank,
                               llvm::StringRef attrName, EmitErrorFn emitError);

/// The shape left by reducing `shape` over valid `axes`: reduced dims are
/// dropped, or set to 1 when `keepDims`.
llvm::SmallVector<int64_t> reduceShape(llvm::ArrayRef<int64_t> shape,
                                       llvm::ArrayRef<int64_t> axes,
                                       bool keepDims);

/// Whether `perm` is a permutation of [0, rank).
mlir::LogicalResult verifyPermutation(llvm::ArrayRef<int64_t> perm,
                                      int64_t rank, llvm::StringRef attrName,
                                      EmitErrorFn emitError);

/// Size of a Python-style slice `[start:end:step]` of a dimension of `size`
/// (kDynamic stays kDynamic). `step` must be non-zero.
int64_t slicedSize(int64_t size, int64_t start, int64_t end, int64_t step);

/// Output extent of a sliding window (convolution or pooling); kDynamic for a
/// dynamic input. Returns std::nullopt when the window does not fit.
std::optional<int64_t> windowOutputSize(int64_t inputSize, int64_t kernel,
                                        int64_t stride, int64_t dilation,
                                        int64_t padBegin, int64_t padEnd,
                                        bool ceilMode);

} // namespace axon

#endif // AXON_DIALECT_AXON_UTILS_SHAPEUTILS_H
