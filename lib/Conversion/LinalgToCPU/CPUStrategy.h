//===- CPUStrategy.h - Rewrites shared by the CPU code generation ---------===//
//
// Internal to lib/Conversion/LinalgToCPU: the steps that bring linalg ops into
// the forms the CPU's register-tiled matmul and its loop lowering handle.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_LINALGTOCPU_CPUSTRATEGY_H
#define AXON_LIB_CONVERSION_LINALGTOCPU_CPUSTRATEGY_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace axon::cpu {

/// Rewrites a static f32 `conv_2d_nchw_fchw` as a gather of its input windows
/// into an [N, C*KH*KW, OH*OW] tensor (affine indexing, contiguous rows; no
/// gather at all for an unstrided 1x1 convolution) and a `linalg.contract`
/// of the [F, C*KH*KW] filter with it. Fails (changing nothing) on other
/// convolutions.
mlir::LogicalResult convolutionAsContraction(mlir::RewriterBase &rewriter,
                                             mlir::linalg::Conv2DNchwFchwOp conv);

/// Rewrites a `linalg.generic` that multiplies and accumulates (an ONNX Gemm,
/// an einsum-like contraction) as the equivalent `linalg.contract`, which
/// vectorizes to `vector.contract` instead of broadcasts and reductions.
mlir::LogicalResult genericAsContract(mlir::RewriterBase &rewriter, mlir::linalg::GenericOp op);

} // namespace axon::cpu

#endif // AXON_LIB_CONVERSION_LINALGTOCPU_CPUSTRATEGY_H
