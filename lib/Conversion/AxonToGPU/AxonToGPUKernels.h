//===- AxonToGPUKernels.h - Kernel formation entry points -------*- C++ -*-===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_AXONTOGPUKERNELS_H
#define AXON_LIB_CONVERSION_AXONTOGPU_AXONTOGPUKERNELS_H

#include "mlir/IR/PatternMatch.h"

namespace axon::gpu_kernels {

// Each replaces `op` by a kernel and succeeds, or fails without touching the
// IR when the op is outside what the strategy handles (the generic path then
// compiles it).

/// softmax / log_softmax over the last axis, layer_norm / rms_norm over
/// trailing axes: one block per row ("row_*").
mlir::LogicalResult formRowKernel(mlir::RewriterBase &rewriter, mlir::Operation *op);
/// Float matmul with bias/activation epilogue ("matmul_tiled_*").
mlir::LogicalResult formMatmulKernel(mlir::RewriterBase &rewriter, mlir::Operation *op);
/// An all-parallel linalg.generic on tensors ("elementwise_vec*").
mlir::LogicalResult formElementwiseKernel(mlir::RewriterBase &rewriter,
                                          mlir::Operation *op);

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_AXONTOGPUKERNELS_H
