//===- GemmMainLoop.h - The tiled GEMM main loop that strategies share -*- C++
//-*-===//
//
// C[M x N] += A[M x K] * B[K x N] for one block's BM x BN tile: BK-deep slices
// of A and B are staged in shared memory (k-major, two stages: the next
// slice's global loads are issued into registers before the current slice's
// FMAs and deposited in the other stage after them, one barrier a step), and
// each thread accumulates a TM x TN register block in f32. The operands are
// given as loaders, so a matmul reads its buffers and a convolution gathers an
// implicit im2col matrix through the same loop; a tensor-core main loop is
// meant to plug in behind the same interface.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_GEMMMAINLOOP_H
#define AXON_LIB_CONVERSION_AXONTOGPU_GEMMMAINLOOP_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>
#include <vector>
#include <string>

namespace axon::gpu_kernels {

struct GemmTile {
  int64_t bm = 128, bn = 128, bk = 8, tm = 8, tn = 8;

  int64_t threads() const { return (bm / tm) * (bn / tn); }
  std::string label(llvm::StringRef prefix) const;
  mlir::DictionaryAttr toConfig(mlir::MLIRContext *context) const;
  static GemmTile fromConfig(mlir::DictionaryAttr config);
  /// Checks a pinned {bm, bn, bk, tm, tn} config.
  static mlir::LogicalResult verifyConfig(mlir::DictionaryAttr config,
                                          std::string &error);
  /// Whether the tile can be emitted (divisibility, thread count, shared
  /// memory); `error` says why not.
  bool isValid(std::string &error) const;
  /// The heuristic: 128x128 tiles, or 64x64 when 128x128 tiles would leave
  /// most multiprocessors idle.
  static GemmTile choose(int64_t m, int64_t n, int64_t batch,
                         int64_t multiprocessors);
  /// The tiles a tuner tries (valid or not: the strategy filters them).
  static std::vector<mlir::DictionaryAttr> tuningCandidates(mlir::MLIRContext *context);
};

/// Loads one operand element as f32, zero where (i, j) is outside the
/// operand (A: i = row, j = k; B: i = k, j = col).
using GemmLoader = std::function<mlir::Value(mlir::ImplicitLocOpBuilder &,
                                             mlir::Value i, mlir::Value j)>;

struct GemmOperand {
  GemmLoader load;
  /// Whether consecutive k are adjacent in memory (then consecutive threads
  /// stage along k; else along the operand's M or N dim), for coalescing.
  bool kContiguous;
};

/// An element of a BK-deep operand slice that one thread stages: its index
/// along the operand's rows (A) or columns (B), and along k.
struct StagingSlot {
  mlir::Value f, kk;
};
/// The elements thread `tid` of `threads` stages of a slice with `tileFree`
/// rows or columns: consecutive threads take consecutive elements along the
/// operand's contiguous dim, so that their global loads coalesce.
llvm::SmallVector<StagingSlot>
stagingSlots(mlir::ImplicitLocOpBuilder &b, mlir::Value tid, int64_t threads,
             int64_t tileFree, int64_t bk, bool kContiguous);

/// Inside a launch of tile.threads() threads: the main loop over k in [0, k)
/// for the tile at (m0, n0). Returns the TM*TN f32 accumulators, row-major.
llvm::SmallVector<mlir::Value>
emitGemmMainLoop(mlir::ImplicitLocOpBuilder &b, const GemmTile &tile,
                 const GemmOperand &a, const GemmOperand &bOperand,
                 mlir::Value k, mlir::Value m0, mlir::Value n0, mlir::Value tid,
                 mlir::Value aShared, mlir::Value bShared);

/// The shared-memory buffer types the main loop needs (A then B).
llvm::SmallVector<mlir::Type> gemmSharedBuffers(mlir::MLIRContext *context,
                                                const GemmTile &tile);

/// Visits the thread's accumulators that fall inside m x n:
/// `fn(b, row, col, value)`.
void forEachAccumulator(
    mlir::ImplicitLocOpBuilder &b, const GemmTile &tile,
    llvm::ArrayRef<mlir::Value> acc, mlir::Value m0, mlir::Value n0,
    mlir::Value tid, mlir::Value m, mlir::Value n,
    llvm::function_ref<void(mlir::ImplicitLocOpBuilder &, mlir::Value,
                            mlir::Value, mlir::Value)>
        fn);

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_GEMMMAINLOOP_H
