//===- MatmulKernel.cpp - Shared-memory tiled matmul with its epilogue ----===//
//
// Strategy "matmul_tiled": each block computes a BM x BN tile of C, staging
// BK-deep slices of A and B in shared memory (A stored k-major so a thread's
// column of A is contiguous); each of the 256 threads accumulates a TM x TN
// register block with FMAs over the staged slices. Bias and activation are
// applied to the accumulators before the single store. Out-of-range loads
// read a clamped address and are replaced by zero, so the inner loop has no
// branches. Accumulation is f32 (f16/bf16 operands are widened on load).
// Tensor cores (wgmma) are the next strategy; this one keeps the same tiling
// interface so it can be swapped per kernel.
//
//===----------------------------------------------------------------------===//

#include "AxonToGPUKernels.h"
#include "KernelBuilder.h"

#include "../AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct TileConfig {
  int64_t bm, bn, bk, tm, tn;
  int64_t threads() const { return (bm / tm) * (bn / tn); }
  std::string name() const {
    return "matmul_tiled_" + std::to_string(bm) + "x" + std::to_string(bn) + "x" +
           std::to_string(bk) + "_reg" + std::to_string(tm) + "x" + std::to_string(tn);
  }
};

/// The matmul as the kernel sees it: C[b] = op(A[b]) * op(B[b]) on flat
/// buffers, with batch 0 broadcast where an operand has no batch.
struct MatmulProblem {
  MatmulOp op;
  bool foldBatchIntoM = false; // [..., M, K] x [K, N]: rows of all batches
  bool lhsBatched = false, rhsBatched = false;
  int64_t batchRank = 0;
};

std::optional<MatmulProblem> matchMatmul(MatmulOp op) {
  auto lhs = cast<RankedTensorType>(op.getLhs().getType());
  auto rhs = cast<RankedTensorType>(op.getRhs().getType());
  RankedTensorType result = op.getType();
  Type element = result.getElementType();
  if (!(element.isF32() || element.isF16() || element.isBF16()) ||
      lhs.getElementType() != element || rhs.getElementType() != element)
    return std::nullopt;
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return std::nullopt;
  // Zero-sized problems launch nothing useful; the generic path handles them.
  if (llvm::is_contained(result.getShape(), 0) || llvm::is_contained(lhs.getShape(), 0))
    return std::nullopt;
  MatmulProblem p{op};
  if (rhs.getRank() == 2) {
    if (lhs.getRank() > 2 && op.getTransposeLhs())
      return std::nullopt;
    p.foldBatchIntoM = lhs.getRank() > 2;
    return p;
  }
  if (lhs.getRank() != rhs.getRank())
    return std::nullopt;
  // Same rank: batch dims equal (static), or all ones on one side.
  p.batchRank = lhs.getRank() - 2;
  ArrayRef<int64_t> lb = lhs.getShape().drop_back(2), rb = rhs.getShape().drop_back(2);
  auto allOnes = [](ArrayRef<int64_t> s) {
    return llvm::all_of(s, [](int64_t d) { return d == 1; });
  };
  if (ShapedType::isDynamicShape(lb) || ShapedType::isDynamicShape(rb))
    return std::nullopt;
  p.lhsBatched = !allOnes(lb);
  p.rhsBatched = !allOnes(rb);
  if (p.lhsBatched && p.rhsBatched && lb != rb)
    return std::nullopt;
  return p;
}

Value formMatmulKernel(RewriterBase &rewriter, const MatmulProblem &p) {
  MatmulOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  Value lhs = op.getLhs(), rhs = op.getRhs();
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  RankedTensorType resultType = op.getType();
  Type element = resultType.getElementType();
  Type f32 = b.getF32Type();
  bool transA = op.getTransposeLhs(), transB = op.getTransposeRhs();
  int64_t lr = lhsType.getRank(), rr = rhsType.getRank(), outRank = resultType.getRank();

  // Problem sizes (index values).
  Value m = dimSize(b, lhs, transA ? lr - 1 : lr - 2);
  Value k = dimSize(b, lhs, transA ? lr - 2 : lr - 1);
  Value n = dimSize(b, rhs, transB ? rr - 2 : rr - 1);
  // Result sizes come from the operands (the result does not exist yet).
  SmallVector<Value> resultDims;
  Value batch = constIndex(b, 1);
  Value rows = m;
  for (int64_t d = 0; d < outRank - 2; ++d) {
    Value size = p.foldBatchIntoM || p.lhsBatched ? dimSize(b, lhs, d) : dimSize(b, rhs, d);
    resultDims.push_back(size);
    if (p.foldBatchIntoM)
      rows = arith::MulIOp::create(b, rows, size);
    else
      batch = arith::MulIOp::create(b, batch, size);
  }
  resultDims.push_back(m);
  resultDims.push_back(n);
  SmallVector<Value> dynamicDims;
  for (auto [d, size] : llvm::enumerate(resultDims))
    if (resultType.isDynamicDim(d))
      dynamicDims.push_back(size);
  m = rows;

  // Small problems use smaller tiles so more blocks fill the machine.
  TileConfig config{128, 128, 8, 8, 8};
  int64_t mStatic = resultType.getShape()[outRank - 2];
  int64_t nStatic = resultType.getShape()[outRank - 1];
  if (!ShapedType::isDynamic(mStatic) && !ShapedType::isDynamic(nStatic) &&
      mStatic * nStatic < 1024 * 1024)
    config = {64, 64, 8, 4, 4};
  int64_t threads = config.threads();

  Value a = flatBuffer(b, lhs), bm = flatBuffer(b, rhs);
  Value bias = op.getBias() ? flatBuffer(b, op.getBias()) : Value();
  auto [result, c] = allocResult(b, resultType, dynamicDims);

  std::optional<double> lo, hi;
  if (op.getClipMin())
    lo = op.getClipMin()->convertToDouble();
  if (op.getClipMax())
    hi = op.getClipMax()->convertToDouble();

  SmallVector<Type> shared = {workgroupBuffer(b.getContext(), config.bk * config.bm, f32),
                              workgroupBuffer(b.getContext(), config.bk * config.bn, f32)};
  gpu::LaunchOp launch = buildLaunch(b, ceilDiv(b, n, config.bn), ceilDiv(b, m, config.bm),
                                     batch, threads, shared, config.name());
  Value as = launch.getWorkgroupAttributions()[0];
  Value bs = launch.getWorkgroupAttributions()[1];
  Value tid = launch.getThreadIds().x;
  Value threadsX = constIndex(b, config.bn / config.tn);
  Value tx = arith::RemUIOp::create(b, tid, threadsX);
  Value ty = arith::DivUIOp::create(b, tid, threadsX);
  Value m0 = arith::MulIOp::create(b, launch.getBlockIds().y, constIndex(b, config.bm));
  Value n0 = arith::MulIOp::create(b, launch.getBlockIds().x, constIndex(b, config.bn));
  Value bz = launch.getBlockIds().z;
  Value zeroIdx = constIndex(b, 0), oneIdx = constIndex(b, 1);
  Value mk = arith::MulIOp::create(b, m, k), kn = arith::MulIOp::create(b, k, n),
        mn = arith::MulIOp::create(b, m, n);
  Value aBase = p.lhsBatched ? arith::MulIOp::create(b, bz, mk).getResult() : zeroIdx;
  Value bBase = p.rhsBatched ? arith::MulIOp::create(b, bz, kn).getResult() : zeroIdx;
  Value cBase = arith::MulIOp::create(b, bz, mn);
  Value mLast = arith::SubIOp::create(b, m, oneIdx), nLast = arith::SubIOp::create(b, n, oneIdx),
        kLast = arith::SubIOp::create(b, k, oneIdx);
  Value zero = constFloat(b, f32, 0.0);

  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto add = [&](Value x, Value y) { return arith::AddIOp::create(b, x, y).getResult(); };
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };
  auto lt = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y).getResult();
  };
  auto clamp = [&](Value x, Value last) { return arith::MinUIOp::create(b, x, last).getResult(); };
  // Loads global[base + row*rowStride + col] as f32, zero outside rows x cols.
  auto guardedLoad = [&](Value buffer, Value base, Value r, Value rows, Value rLast,
                         Value col, Value cols, Value cLast, Value rowStride) {
    Value inside = arith::AndIOp::create(b, lt(r, rows), lt(col, cols));
    Value at = add(base, add(mul(clamp(r, rLast), rowStride), clamp(col, cLast)));
    Value v = loadElement(b, buffer, at, f32);
    return arith::SelectOp::create(b, inside, v, zero).getResult();
  };

  int64_t accs = config.tm * config.tn;
  SmallVector<Value> init(accs, zero);
  auto kLoop = scf::ForOp::create(b, zeroIdx, k, idx(config.bk), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    // Stages a BK-deep slice of an operand with `tileFree` elements along its
    // other (M or N) dim into `smem`, k-major. In global memory the operand
    // is [free, K] (kContiguous) or [K, free]; consecutive threads take
    // consecutive elements along the contiguous one (coalesced).
    auto stageTile = [&](Value buffer, Value base, Value smem, int64_t tileFree, Value f0,
                         Value fSize, Value fLast, bool kContiguous) {
      for (int64_t i = 0; i < tileFree * config.bk / threads; ++i) {
        Value e = add(tid, idx(i * threads));
        Value f, kk, v;
        if (kContiguous) {
          f = arith::DivUIOp::create(b, e, idx(config.bk));
          kk = arith::RemUIOp::create(b, e, idx(config.bk));
          v = guardedLoad(buffer, base, add(f0, f), fSize, fLast, add(k0, kk), k, kLast, k);
        } else {
          kk = arith::DivUIOp::create(b, e, idx(tileFree));
          f = arith::RemUIOp::create(b, e, idx(tileFree));
          v = guardedLoad(buffer, base, add(k0, kk), k, kLast, add(f0, f), fSize, fLast, fSize);
        }
        memref::StoreOp::create(b, v, smem, ValueRange{add(mul(kk, idx(tileFree)), f)});
      }
    };
    stageTile(a, aBase, as, config.bm, m0, m, mLast, /*kContiguous=*/!transA);
    stageTile(bm, bBase, bs, config.bn, n0, n, nLast, /*kContiguous=*/transB);
    gpu::BarrierOp::create(b);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    Value aRow = mul(ty, idx(config.tm)), bCol = mul(tx, idx(config.tn));
    auto readFragment = [&](Value buffer, Value start, int64_t count) {
      SmallVector<Value> values;
      for (int64_t q = 0; q < count; q += 4) {
        int64_t w = std::min<int64_t>(4, count - q);
        Value vec = vector::LoadOp::create(b, VectorType::get({w}, f32), buffer,
                                           ValueRange{add(start, idx(q))});
        for (int64_t l = 0; l < w; ++l)
          values.push_back(vector::ExtractOp::create(b, vec, ArrayRef<int64_t>{l}));
      }
      return values;
    };
    for (int64_t kk = 0; kk < config.bk; ++kk) {
      SmallVector<Value> av = readFragment(as, add(idx(kk * config.bm), aRow), config.tm);
      SmallVector<Value> bv = readFragment(bs, add(idx(kk * config.bn), bCol), config.tn);
      for (int64_t i = 0; i < config.tm; ++i)
        for (int64_t j = 0; j < config.tn; ++j)
          acc[i * config.tn + j] = math::FmaOp::create(b, av[i], bv[j], acc[i * config.tn + j]);
    }
    // The next iteration overwrites the staged tiles.
    gpu::BarrierOp::create(b);
    scf::YieldOp::create(b, acc);
  }

  // Epilogue: bias, activation, convert, store the in-range elements.
  for (int64_t i = 0; i < config.tm; ++i) {
    Value row = add(m0, add(mul(ty, idx(config.tm)), idx(i)));
    auto rowIf = scf::IfOp::create(b, lt(row, m), /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rowIf.thenBlock());
    for (int64_t j = 0; j < config.tn; ++j) {
      Value col = add(n0, add(mul(tx, idx(config.tn)), idx(j)));
      auto colIf = scf::IfOp::create(b, lt(col, n), /*withElseRegion=*/false);
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(colIf.thenBlock());
      Value x = kLoop.getResult(i * config.tn + j);
      if (bias)
        x = arith::AddFOp::create(b, x, loadElement(b, bias, col, f32));
      x = applyActivation(b, b.getLoc(), x, op.getActivation(), lo, hi);
      storeValue(b, x, c, add(cBase, add(mul(row, n), col)));
    }
  }
  b.setInsertionPointAfter(launch);
  return result;
}

} // namespace

LogicalResult formMatmulKernel(RewriterBase &rewriter, Operation *op) {
  auto matmul = dyn_cast<MatmulOp>(op);
  if (!matmul)
    return failure();
  std::optional<MatmulProblem> problem = matchMatmul(matmul);
  if (!problem)
    return failure();
  rewriter.replaceOp(op, formMatmulKernel(rewriter, *problem));
  return success();
}

} // namespace axon::gpu_kernels
