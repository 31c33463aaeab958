//===- TensorCoreBuilder.h - Pieces of Axon's sm_90a tensor-core kernels -*- C++ -*-===//
//
// The tensor-core strategies (matmul_wgmma, attention_flash) feed wgmma from
// shared memory filled by TMA with 128-byte swizzled rows of 64 f16/bf16:
// TMA descriptors over 2-D views of flat buffers (built on the host),
// a swizzle-aligned view of dynamic shared memory, and warpgroup matrix
// descriptors at byte offsets into it.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_TENSORCOREBUILDER_H
#define AXON_LIB_CONVERSION_AXONTOGPU_TENSORCOREBUILDER_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace axon::gpu_kernels {

/// Elements of f16/bf16 in one 128-byte swizzled row.
constexpr int64_t kSwizzleElements = 64;
/// The 128-byte swizzle pattern repeats every 1 KB: tiles start 1 KB aligned.
constexpr int64_t kSwizzleAlign = 1024;
constexpr int64_t kWarpgroupThreads = 128;

/// A TMA descriptor (128-byte swizzle, zero fill out of bounds) for boxes of
/// `boxRows` x 64 over the row-major matrix `flat` viewed as rows x cols.
/// Built before the launch, on the host.
mlir::Value createTmaDescriptor(mlir::ImplicitLocOpBuilder &b, mlir::Value flat,
                                mlir::Value rows, mlir::Value cols, int64_t boxRows);

/// Dynamic shared memory and the offset of its first 1 KB boundary.
struct SharedArena {
  mlir::Value raw, base;
  /// Inside a launch with dynamic shared memory.
  static SharedArena create(mlir::ImplicitLocOpBuilder &b);
  /// A view of `shape` x `element` at byte `offset` (from the aligned base).
  mlir::Value at(mlir::ImplicitLocOpBuilder &b, mlir::Value offset,
                 llvm::ArrayRef<int64_t> shape, mlir::Type element) const;
};

/// The wgmma matrix descriptor of the `shape` tile at byte `offset`, with the
/// swizzle of `tensorMap` (any of the kernel's 128-byte-swizzle maps).
mlir::Value wgmmaDescriptor(mlir::ImplicitLocOpBuilder &b, const SharedArena &smem,
                            mlir::Value offset, llvm::ArrayRef<int64_t> shape,
                            mlir::Type element, mlir::Value tensorMap);

/// The mbarrier phase parity of the `use`-th fill of a ring of `stages`
/// buffers (use / stages is how often the ring has wrapped).
mlir::Value ringParity(mlir::ImplicitLocOpBuilder &b, mlir::Value use, int64_t stages);

/// Named barrier `id` over the first `threads` threads of the block.
void namedBarrier(mlir::ImplicitLocOpBuilder &b, int id, int64_t threads);

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_TENSORCOREBUILDER_H
