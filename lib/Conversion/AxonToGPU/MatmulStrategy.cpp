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
  auto add = [&](Value x, Value y) { return arith::AddIOp::create(b, x, y).getResult(); };
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };
  Value cBase = mul(bz, mul(m, n));
  auto [aOp, bOp] = buildMatmulOperands(b, p, sizes, a, bm, bz);
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
  std::vector<DictionaryAttr> candidateConfigs(const KernelProblem &problem,
                                               const GpuTarget &target) const override {
    return validCandidates(*this, problem, target,
                           GemmTile::tuningCandidates(problem.op->getContext()));
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
