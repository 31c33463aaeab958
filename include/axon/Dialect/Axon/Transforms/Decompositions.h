//===- Decompositions.h - axon ops rewritten as other axon ops --*- C++ -*-===//
//
// Rewrites that express one axon op through others. Lowerings call them
// for ops they have no direct form for (the CPU path and the GPU generic
// path decompose attention); a dedicated kernel (e.g. flash attention) can
// consume the op first and leave the decomposition as the fallback.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_DIALECT_AXON_TRANSFORMS_DECOMPOSITIONS_H
#define AXON_DIALECT_AXON_TRANSFORMS_DECOMPOSITIONS_H

#include "mlir/IR/PatternMatch.h"

namespace axon {

/// Replaces an axon.attention by matmul(softmax(scale * q k^T [+ mask]), v);
/// a causal mask becomes a linalg.generic that hides key j > query i.
/// Fails (with an error on the op) when a dynamic head size has no `scale`.
mlir::LogicalResult decomposeAttention(mlir::RewriterBase &rewriter,
                                       mlir::Operation *op);

/// Decomposes every axon.attention below `root`.
mlir::LogicalResult decomposeAllAttention(mlir::RewriterBase &rewriter,
                                          mlir::Operation *root);

} // namespace axon

#endif // AXON_DIALECT_AXON_TRANSFORMS_DECOMPOSITIONS_H
