//===- Passes.h - Axon dialect transformations ------------------*- C++ -*-===//

#ifndef AXON_DIALECT_AXON_TRANSFORMS_PASSES_H
#define AXON_DIALECT_AXON_TRANSFORMS_PASSES_H

#include "axon/Dialect/Axon/IR/AxonDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace axon {

#define GEN_PASS_DECL
#include "axon/Dialect/Axon/Transforms/Passes.h.inc"

/// The fusion patterns of axon-fuse (without the fast-math ones).
void populateAxonFusionPatterns(mlir::RewritePatternSet &patterns);
/// Rewrites that may change results; axon-fuse adds them with fast-math.
void populateAxonFastMathPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "axon/Dialect/Axon/Transforms/Passes.h.inc"

} // namespace axon

#endif // AXON_DIALECT_AXON_TRANSFORMS_PASSES_H
