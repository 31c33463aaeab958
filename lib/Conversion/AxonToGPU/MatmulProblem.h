//===- MatmulProblem.h - axon.matmul as the GEMM strategies see it -*- C++ -*-===//
//
// The matmul strategies (FMA tiles, tensor cores) share how an axon.matmul
// maps onto C[b] = op(A[b]) * op(B[b]) over flat buffers: which batch dims
// fold into rows, which operand is broadcast, and the sizes the kernels need.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_MATMULPROBLEM_H
#define AXON_LIB_CONVERSION_AXONTOGPU_MATMULPROBLEM_H

#include "GemmMainLoop.h"
#include "Strategy.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>

namespace axon::gpu_kernels {

struct MatmulProblem : KernelProblem {
  explicit MatmulProblem(MatmulOp op) : KernelProblem(op), op(op) {}
  mutable MatmulOp op;
  bool foldBatchIntoM = false; // [..., M, K] x [K, N]: rows of all batches
  bool lhsBatched = false, rhsBatched = false;
  int64_t batchRank = 0;
  /// Set by conv_wgmma (its op has no bias): a bias per row of C, added in
  /// place of the op's per-column bias (matmul_wgmma only; rows of one batch,
  /// so not with foldBatchIntoM).
  mlir::Value rowBias;
};

/// The problem, or null with `whyNot` set.
std::unique_ptr<MatmulProblem> matchMatmul(MatmulOp op, std::string &whyNot);

/// Static M (batch folded in where it is), N and batch (-1 where dynamic).
std::array<int64_t, 3> staticMatmulSizes(const MatmulProblem &p);

/// The sizes a kernel computes with, as index values built before the launch.
struct MatmulSizes {
  mlir::Value m;     // rows of one batch (all batches' rows when folded)
  mlir::Value n, k;
  mlir::Value batch; // 1 when folded or unbatched
  /// The result's dynamic dimensions, for its allocation.
  llvm::SmallVector<mlir::Value> resultDynamicDims;
};
MatmulSizes buildMatmulSizes(mlir::ImplicitLocOpBuilder &b, const MatmulProblem &p);

/// Inside a kernel: loaders of A (rows x k) and B (k x cols) of batch `bz`
/// from the flat buffers `a` and `bBuffer`, honouring transposes and
/// broadcast batches. Each reads a clamped (always valid) address and gives
/// zero outside the operand, so main loops need no branches.
std::pair<GemmOperand, GemmOperand>
buildMatmulOperands(mlir::ImplicitLocOpBuilder &b, const MatmulProblem &p,
                    const MatmulSizes &sizes, mlir::Value a, mlir::Value bBuffer,
                    mlir::Value bz);

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_MATMULPROBLEM_H
