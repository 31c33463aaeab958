//===- LoweringUtils.h - Helpers shared by the axon-to-linalg lowerings ---===//

#ifndef AXON_CONVERSION_AXONTOLINALG_LOWERINGUTILS_H
#define AXON_CONVERSION_AXONTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

namespace axon {

/// The body of an elementwise linalg.generic: scalar operands in, one scalar
/// out.
using ScalarFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The sizes of every dimension of `tensor` (constants where static).
llvm::SmallVector<mlir::OpFoldResult> getDims(mlir::OpBuilder &b,
                                              mlir::Location loc,
                                              mlir::Value tensor);

/// Sizes of a result that broadcasts `operands`: static sizes from `type`,
/// dynamic ones read from an operand whose aligned dimension is not a
/// stretched 1.
llvm::SmallVector<mlir::OpFoldResult>
getBroadcastDims(mlir::OpBuilder &b, mlir::Location loc,
                 mlir::ValueRange operands, mlir::RankedTensorType type);

/// Indexing map reading `operand` inside a loop nest of `resultRank` dims,
/// aligned from the right; static size-1 dims broadcast (read index 0) unless
/// the result dim is 1 too.
mlir::AffineMap getBroadcastMap(mlir::RankedTensorType operand,
                                mlir::RankedTensorType result);

/// A tensor.empty of `type` with sizes `dims`.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type,
                        llvm::ArrayRef<mlir::OpFoldResult> dims);

/// A tensor of `type` and `dims` filled with `value`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type,
                         llvm::ArrayRef<mlir::OpFoldResult> dims,
                         mlir::Value value);

/// An elementwise linalg.generic over `operands` (broadcast to `resultType`).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::ValueRange operands,
                             mlir::RankedTensorType resultType, ScalarFn body);

/// A scalar constant of a float or integer `type`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// The identity of a reduction kind, for initializing accumulators.
enum class ReductionKind { Sum, Prod, Max, Min };
mlir::Value reductionIdentity(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Type type, ReductionKind kind);
/// Combines two scalars (or vectors) with `kind` (NaN-propagating for float
/// max/min).
mlir::Value combine(mlir::OpBuilder &b, mlir::Location loc, ReductionKind kind,
                    mlir::Value lhs, mlir::Value rhs);

/// Reduces `input` over `axes` (valid, increasing). The result drops the
/// reduced dimensions.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, llvm::ArrayRef<int64_t> axes,
                           ReductionKind kind);

/// Reinserts size-1 dimensions at `axes` of a reduced tensor (keep_dims).
mlir::Value expandReducedDims(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value reduced,
                              mlir::RankedTensorType keptType,
                              llvm::ArrayRef<int64_t> axes);

/// The number of elements in dims `axes` of `tensor`, as a scalar of the
/// float `type`.
mlir::Value countElements(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value tensor, llvm::ArrayRef<int64_t> axes,
                          mlir::Type type);

/// Converts a scalar between any two axon element types (cast semantics).
mlir::Value castScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       mlir::Type to);

/// The accumulator type for sums and products of `elem`: f32 for 16-bit
/// floats, `elem` otherwise.
mlir::Type accumulatorType(mlir::OpBuilder &b, mlir::Type elem);

/// Converts every element of `tensor` to the element type of `resultType`
/// (a no-op when they already match).
mlir::Value castTensor(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value tensor, mlir::RankedTensorType resultType);

/// An elementwise linalg.generic over the shape of `full`, reading `full` and
/// `others`; each other operand is indexed by the loop dims selected by its
/// entry of `keptDims` (e.g. the dims a reduction left).
mlir::Value buildMapped(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value full, mlir::ValueRange others,
                        llvm::ArrayRef<llvm::SmallVector<int64_t>> keptDims,
                        mlir::Type resultElement, ScalarFn body);

/// The dims of a rank-`rank` tensor that are not in `axes`.
llvm::SmallVector<int64_t> complementDims(int64_t rank,
                                          llvm::ArrayRef<int64_t> axes);

/// Applies a matmul/conv epilogue activation to a scalar (float math in f32
/// for 16-bit floats). `lo`/`hi` are the clip bounds.
mlir::Value applyActivation(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x, Activation activation,
                            std::optional<double> lo, std::optional<double> hi);

/// Whether `type` is a float type.
inline bool isFloat(mlir::Type type) { return llvm::isa<mlir::FloatType>(type); }

/// Computes a float op in f32 when the element type is f16/bf16 (as CPU math
/// libraries do), returning a result of the original type; f32 and f64 run
/// in their own type.
mlir::Value computeInF32(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::ValueRange args, mlir::Type resultType,
                         ScalarFn body);

/// Replaces `op` by `result`; failure (already diagnosed) when it is null.
mlir::LogicalResult replaceWithLowered(mlir::RewriterBase &rewriter,
                                       mlir::Operation *op, mlir::Value result);

// Entry points, one per family of ops. Each replaces `op` and returns
// success, or emits an error naming the op and returns failure.
mlir::LogicalResult lowerElementwiseOp(mlir::RewriterBase &rewriter,
                                       mlir::Operation *op);
mlir::LogicalResult lowerStructuredOp(mlir::RewriterBase &rewriter,
                                      mlir::Operation *op);
mlir::LogicalResult lowerReductionOp(mlir::RewriterBase &rewriter,
                                     mlir::Operation *op);
mlir::LogicalResult lowerShapeOp(mlir::RewriterBase &rewriter,
                                 mlir::Operation *op);

} // namespace axon

#endif // AXON_CONVERSION_AXONTOLINALG_LOWERINGUTILS_H
