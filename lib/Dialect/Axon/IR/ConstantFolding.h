//===- ConstantFolding.h - Evaluating axon ops on constants -----*- C++ -*-===//
//
// The folders' engine: elementwise evaluation with broadcasting, and element
// gathering for shape ops. Float arithmetic (+ - * /) runs in the element
// type's own semantics with round-to-nearest-even, so f16/bf16 results are
// correctly rounded; transcendental functions are evaluated in double and
// rounded once. Every entry point refuses (returns null) above the fold limit.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_DIALECT_AXON_IR_CONSTANTFOLDING_H
#define AXON_LIB_DIALECT_AXON_IR_CONSTANTFOLDING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

namespace axon {

/// Whether a constant of `type` may be produced by folding.
bool withinFoldLimit(mlir::ShapedType type);

/// A function over scalars; returns std::nullopt to refuse (e.g. x / 0).
using FloatFn = llvm::function_ref<std::optional<llvm::APFloat>(
    llvm::ArrayRef<llvm::APFloat>)>;
using IntFn = llvm::function_ref<std::optional<llvm::APInt>(
    llvm::ArrayRef<llvm::APInt>)>;

/// Evaluates `fn` elementwise over dense constant `operands` broadcast to
/// `resultType` (same element kind in and out). Null if any operand is not a
/// dense constant, `fn` refuses, or the result is too large.
mlir::Attribute foldFloats(llvm::ArrayRef<mlir::Attribute> operands,
                           mlir::RankedTensorType resultType, FloatFn fn);
mlir::Attribute foldInts(llvm::ArrayRef<mlir::Attribute> operands,
                         mlir::RankedTensorType resultType, IntFn fn);

/// Evaluates an elementwise function whose operands and result may differ in
/// element kind (cmp, select, cast): each element is an Attribute
/// (FloatAttr/IntegerAttr) and `fn` returns the result element.
mlir::Attribute
foldMixed(llvm::ArrayRef<mlir::Attribute> operands,
          mlir::RankedTensorType resultType,
          llvm::function_ref<mlir::Attribute(llvm::ArrayRef<mlir::Attribute>)> fn);

/// Builds a constant of `resultType` whose element at each position is the
/// element of `source` at `sourceIndex(position)` (row-major linear indices).
mlir::Attribute
gatherElements(mlir::DenseElementsAttr source, mlir::RankedTensorType resultType,
               llvm::function_ref<int64_t(llvm::ArrayRef<int64_t>)> sourceIndex);

/// Evaluates a double-precision function and rounds to `like`'s semantics.
llvm::APFloat viaDouble(const llvm::APFloat &like, double value);

/// Whether `attr` is a dense constant whose every element equals `value`
/// (for floats compared bitwise, so -0.0 and +0.0 differ).
bool isSplatOf(mlir::Attribute attr, double value);

} // namespace axon

#endif // AXON_LIB_DIALECT_AXON_IR_CONSTANTFOLDING_H
