//===- KernelBuilder.h - Shared pieces of Axon's GPU kernels ----*- C++ -*-===//
//
// Axon forms kernels on tensors: an op with a GPU strategy becomes
// `to_buffer` of its operands, a `memref.alloc` for its result, one
// `gpu.launch` that computes the result, and `to_tensor` of the allocation.
// One-shot bufferization then connects these buffers with the rest of the
// program, and the device-memory pass moves every host allocation to the GPU.
// Kernels index 1-D views of their (identity-layout) buffers.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_KERNELBUILDER_H
#define AXON_LIB_CONVERSION_AXONTOGPU_KERNELBUILDER_H

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Support/GpuAbi.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace axon::gpu_kernels {

using abi::kStrategyAttr;
using abi::kConfigAttr;
constexpr int64_t kWarpSize = 32;

mlir::Value constIndex(mlir::ImplicitLocOpBuilder &b, int64_t value);
mlir::Value constFloat(mlir::ImplicitLocOpBuilder &b, mlir::Type type, double value);

/// ceil(a / b) for index values.
mlir::Value ceilDiv(mlir::ImplicitLocOpBuilder &b, mlir::Value a, int64_t divisor);

/// A flat (1-D, identity layout) buffer holding `tensor`'s elements.
mlir::Value flatBuffer(mlir::ImplicitLocOpBuilder &b, mlir::Value tensor);

/// The number of elements of `tensor` (an index value).
mlir::Value numElements(mlir::ImplicitLocOpBuilder &b, mlir::Value tensor);
/// The size of `tensor`'s dimension `dim` (an index value).
mlir::Value dimSize(mlir::ImplicitLocOpBuilder &b, mlir::Value tensor, int64_t dim);

/// A fresh buffer for a result shaped like `like` with element type
/// `element`; returns {the tensor for the program, the buffer's flat view}.
std::pair<mlir::Value, mlir::Value> allocResult(mlir::ImplicitLocOpBuilder &b,
                                                mlir::Value like,
                                                mlir::Type element);

/// A fresh buffer of `type` whose dynamic sizes are `dynamicSizes`.
std::pair<mlir::Value, mlir::Value> allocResult(mlir::ImplicitLocOpBuilder &b,
                                                mlir::RankedTensorType type,
                                                mlir::ValueRange dynamicSizes);

/// Creates `gpu.launch` with `threads` threads per block along x and the
/// given grid, tagged with the strategy's label and its `config`, and moves
/// `b` into its body. `dynamicSharedBytes` (> 0) requests dynamic shared
/// memory, which the runtime allows above 48 KB.
mlir::gpu::LaunchOp buildLaunch(mlir::ImplicitLocOpBuilder &b, mlir::Value gridX,
                                mlir::Value gridY, mlir::Value gridZ, int64_t threads,
                                llvm::ArrayRef<mlir::Type> workgroupBuffers,
                                llvm::StringRef strategy,
                                mlir::DictionaryAttr config = {},
                                int64_t dynamicSharedBytes = 0);

/// A 1-D launch of `threads`-thread blocks covering `total` work items;
/// `b` is left inside the launch, under a guard for items < total, and the
/// item's index (block * threads + thread) is returned.
mlir::Value buildItemLaunch(mlir::ImplicitLocOpBuilder &b, mlir::Value total, int64_t threads,
                            llvm::StringRef strategy, mlir::DictionaryAttr config,
                            mlir::gpu::LaunchOp *launch = nullptr);

/// A workgroup-memory buffer type of `n` elements.
mlir::MemRefType workgroupBuffer(mlir::MLIRContext *ctx, int64_t n, mlir::Type element);

/// Loads element `index` of a flat buffer, extended to `computeType`.
mlir::Value loadElement(mlir::ImplicitLocOpBuilder &b, mlir::Value buffer,
                        mlir::Value index, mlir::Type computeType);
/// Loads `width` consecutive elements as a vector (scalar when width is 1).
mlir::Value loadVector(mlir::ImplicitLocOpBuilder &b, mlir::Value buffer,
                       mlir::Value index, int64_t width, mlir::Type computeType);
/// Stores `value` (scalar or vector) at `index`, truncated to the buffer's type.
void storeValue(mlir::ImplicitLocOpBuilder &b, mlir::Value value, mlir::Value buffer,
                mlir::Value index);
/// Converts a float scalar/vector between float types.
mlir::Value convertFloat(mlir::ImplicitLocOpBuilder &b, mlir::Value value,
                         mlir::Type elementType);

/// The float type kernels compute in for `element` (f32 for 16-bit floats).
mlir::Type computeTypeFor(mlir::Type element);

/// Combines two partial results (each a tuple of scalars) into one.
using Combine = std::function<llvm::SmallVector<mlir::Value>(
    mlir::ImplicitLocOpBuilder &, llvm::ArrayRef<mlir::Value>, llvm::ArrayRef<mlir::Value>)>;

/// Reduces per-thread tuples across a block of `threads` threads: warp
/// shuffles (xor butterfly), then one partial per warp through `scratch`
/// (one workgroup buffer of threads/32 elements per tuple member). Every
/// thread gets the result.
llvm::SmallVector<mlir::Value> blockAllReduce(mlir::ImplicitLocOpBuilder &b,
                                              llvm::ArrayRef<mlir::Value> values,
                                              llvm::ArrayRef<mlir::Value> scratch,
                                              mlir::Value threadId, int64_t threads,
                                              const Combine &combine);

/// The epilogue of matmul and convolution kernels: the f32 accumulator plus
/// `bias[biasIndex]` (when there is a bias), then `op`'s activation.
template <typename OpTy>
mlir::Value applyEpilogue(mlir::ImplicitLocOpBuilder &b, OpTy op, mlir::Value acc,
                          mlir::Value bias, mlir::Value biasIndex) {
  if (bias)
    acc = mlir::arith::AddFOp::create(
        b, acc, loadElement(b, bias, biasIndex, b.getF32Type()));
  std::optional<double> lo, hi;
  if (op.getClipMin())
    lo = op.getClipMin()->convertToDouble();
  if (op.getClipMax())
    hi = op.getClipMax()->convertToDouble();
  return applyActivation(b, b.getLoc(), acc, op.getActivation(), lo, hi);
}

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_KERNELBUILDER_H
