//===- MatmulStrategy.cpp - Strategy "matmul_tiled" ------------------------===//
//
// A float matmul (2-D, batched, batch folded into rows, transposed operands,
// f16/bf16 operands widened to f32) on the shared tiled GEMM main loop, with
// bias and activation applied to the accumulators before the single store.
// Out-of-range loads read a clamped address and are replaced by zero, so the
// main loop has no branches. Config: {bm, bn, bk, tm, tn}.
//
//===----------------------------------------------------------------------===//

#include "GemmMainLoop.h"
#include "KernelBuilder.h"
#include "MatmulProblem.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

Value emitMatmul(RewriterBase &rewriter, const MatmulProblem &p, const GemmTile &tile,
                 DictionaryAttr config) {
  MatmulOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  Value lhs = op.getLhs(), rhs = op.getRhs();
  RankedTensorType resultType = op.getType();
  Type f32 = b.getF32Type();
  bool transA = op.getTransposeLhs(), transB = op.getTransposeRhs();

  MatmulSizes sizes = buildMatmulSizes(b, p);
  Value m = sizes.m, n = sizes.n, k = sizes.k, batch = sizes.batch;
  SmallVector<Value> dynamicDims = sizes.resultDynamicDims;

  Value a = flatBuffer(b, lhs), bm = flatBuffer(b, rhs);
  Value bias = op.getBias() ? flatBuffer(b, op.getBias()) : Value();
  auto [result, c] = allocResult(b, resultType, dynamicDims);
  gpu::LaunchOp launch =
      buildLaunch(b, ceilDiv(b, n, tile.bn), ceilDiv(b, m, tile.bm), batch, tile.threads(),
                  gemmSharedBuffers(b.getContext(), tile), tile.label("matmul_tiled"), config);
  Value tid = launch.getThreadIds().x;
  Value m0 = arith::MulIOp::create(b, launch.getBlockIds().y, constIndex(b, tile.bm));
  Value n0 = arith::MulIOp::create(b, launch.getBlockIds().x, constIndex(b, tile.bn));
  Value bz = launch.getBlockIds().z;
  Value zeroIdx = constIndex(b, 0), oneIdx = constIndex(b, 1);
  auto add = [&](Value x, Value y) { return arith::AddIOp::create(b, x, y).getResult(); };
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };
  Value aBase = p.lhsBatched ? mul(bz, mul(m, k)) : zeroIdx;
  Value bBase = p.rhsBatched ? mul(bz, mul(k, n)) : zeroIdx;
  Value cBase = mul(bz, mul(m, n));
  Value zero = constFloat(b, f32, 0.0);

  // Loads buffer[base + r*rowStride + col] as f32, zero outside rows x cols;
  // the address is clamped so that the load itself is always in bounds.
  auto guarded = [&, zero](Value buffer, Value base, Value rowsV, Value colsV, Value rowStride) {
    Value rLast = arith::SubIOp::create(b, rowsV, oneIdx);
    Value cLast = arith::SubIOp::create(b, colsV, oneIdx);
    return [=](ImplicitLocOpBuilder &lb, Value r, Value col) -> Value {
      auto lt = [&](Value x, Value y) {
        return arith::CmpIOp::create(lb, arith::CmpIPredicate::ult, x, y).getResult();
      };
      Value inside = arith::AndIOp::create(lb, lt(r, rowsV), lt(col, colsV));
      Value rc = arith::MinUIOp::create(lb, r, rLast), cc = arith::MinUIOp::create(lb, col, cLast);
      Value at = arith::AddIOp::create(
          lb, base, arith::AddIOp::create(lb, arith::MulIOp::create(lb, rc, rowStride), cc));
      return arith::SelectOp::create(lb, inside, loadElement(lb, buffer, at, f32), zero)
          .getResult();
    };
  };
  // A is [M, K] (or [K, M] transposed); B is [K, N] (or [N, K]).
  GemmOperand aOp, bOp;
  if (!transA) {
    aOp = {guarded(a, aBase, m, k, k), /*kContiguous=*/true};
  } else {
    auto load = guarded(a, aBase, k, m, m);
    aOp = {[load](ImplicitLocOpBuilder &lb, Value r, Value kk) { return load(lb, kk, r); },
           false};
  }
  if (!transB) {
    bOp = {guarded(bm, bBase, k, n, n), /*kContiguous=*/false};
  } else {
    auto load = guarded(bm, bBase, n, k, k);
    bOp = {[load](ImplicitLocOpBuilder &lb, Value kk, Value col) { return load(lb, col, kk); },
           true};
  }
  SmallVector<Value> acc =
      emitGemmMainLoop(b, tile, aOp, bOp, k, m0, n0, tid, launch.getWorkgroupAttributions()[0],
                       launch.getWorkgroupAttributions()[1]);
  forEachAccumulator(b, tile, acc, m0, n0, tid, m, n,
                     [&](ImplicitLocOpBuilder &lb, Value row, Value col, Value x) {
                       x = applyEpilogue(lb, op, x, bias, col);
                       storeValue(lb, x, c, add(cBase, add(mul(row, n), col)));
                     });
  b.setInsertionPointAfter(launch);
  return result;
}

class MatmulTiledStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "matmul_tiled"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op, std::string &whyNot) const override {
    auto matmul = dyn_cast<MatmulOp>(op);
    if (!matmul)
      return nullptr;
    return matchMatmul(matmul, whyNot);
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    auto [m, n, batch] = staticMatmulSizes(static_cast<const MatmulProblem &>(problem));
    return GemmTile::choose(m, n, batch, target.multiprocessors)
        .toConfig(problem.op->getContext());
  }
  LogicalResult verifyConfig(const KernelProblem &, DictionaryAttr config,
                             std::string &error) const override {
    return GemmTile::verifyConfig(config, error);
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitMatmul(rewriter, static_cast<const MatmulProblem &>(problem),
                       GemmTile::fromConfig(config), config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createMatmulTiledStrategy() {
  return std::make_unique<MatmulTiledStrategy>();
}

} // namespace axon::gpu_kernels
