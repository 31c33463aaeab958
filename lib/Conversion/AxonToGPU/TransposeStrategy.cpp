//===- TransposeStrategy.cpp - Strategy "transpose": permutes as copies
//----===//
//
// axon.transpose after merging the dims that stay adjacent:
//   - the innermost dim stays innermost (a head split [B,T,H,D]->[B,H,T,D]):
//     "permute_copy", a vectorized copy; each thread moves `vec` contiguous
//     elements (16 bytes for f32) from its source offset. Config {threads,
//     vec}.
//   - the innermost dim moves: "transpose_tiled", TILE x TILE tiles through
//     shared memory padded by one element (no bank conflicts), read along the
//     input's contiguous dim and written along the output's, so both sides
//     are coalesced; the other dims index tiles through the grid's z.
//     Config {tile, rows} (a block is tile x rows threads).
//
//===----------------------------------------------------------------------===//

#include "CopyKernel.h"
#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct TransposeProblem : KernelProblem {
  explicit TransposeProblem(TransposeOp op) : KernelProblem(op), op(op) {}
  mutable TransposeOp op;
  /// Input dims grouped: group g is input dims groups[g]; the output is the
  /// groups in the order `perm` (over groups).
  SmallVector<SmallVector<int64_t>> groups;
  SmallVector<int64_t> perm;
  bool innerStays() const {
    return perm.back() == static_cast<int64_t>(groups.size()) - 1;
  }
};

std::unique_ptr<TransposeProblem> matchTranspose(TransposeOp op,
                                                 std::string &whyNot) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  if (type.getRank() == 0 || llvm::is_contained(type.getShape(), 0)) {
    whyNot = "rank 0 or zero-sized";
    return nullptr;
  }
  if (type.getElementType().isInteger(1) ||
      !type.getElementType().isIntOrFloat()) {
    whyNot = "boolean or non-scalar elements";
    return nullptr;
  }
  auto p = std::make_unique<TransposeProblem>(op);
  // Output dims i and i+1 that read input dims j and j+1 move together.
  ArrayRef<int64_t> perm = op.getPerm();
  SmallVector<SmallVector<int64_t>> outGroups;
  for (int64_t d : perm) {
    if (!outGroups.empty() && outGroups.back().back() + 1 == d)
      outGroups.back().push_back(d);
    else
      outGroups.push_back({d});
  }
  // Groups in input order, and the output order over them.
  SmallVector<SmallVector<int64_t>> sorted(outGroups);
  llvm::sort(sorted, [](const auto &a, const auto &b) {
    return a.front() < b.front();
  });
  for (const auto &g : outGroups)
    p->perm.push_back(llvm::find(sorted, g) - sorted.begin());
  p->groups = sorted;
  return p;
}

/// Size of each input group (products of dims).
SmallVector<Value> groupSizes(ImplicitLocOpBuilder &b,
                              const TransposeProblem &p) {
  SmallVector<Value> sizes;
  for (const auto &g : p.groups) {
    Value s = constIndex(b, 1);
    for (int64_t d : g)
      s = arith::MulIOp::create(b, s, dimSize(b, p.op.getInput(), d));
    sizes.push_back(s);
  }
  return sizes;
}

/// Row-major strides of dims with `sizes`.
SmallVector<Value> stridesOf(ImplicitLocOpBuilder &b, ArrayRef<Value> sizes) {
  SmallVector<Value> strides(sizes.size());
  Value s = constIndex(b, 1);
  for (int64_t i = sizes.size() - 1; i >= 0; --i) {
    strides[i] = s;
    s = arith::MulIOp::create(b, s, sizes[i]);
  }
  return strides;
}

Value emitPermuteCopy(RewriterBase &rewriter, const TransposeProblem &p,
                      DictionaryAttr config) {
  ImplicitLocOpBuilder b(p.op.getLoc(), rewriter);
  int64_t threads = *configInt(config, "threads"),
          vec = *configInt(config, "vec");
  Value in = flatBuffer(b, p.op.getInput());
  RankedTensorType resultType = p.op.getType();
  SmallVector<Value> dynamicDims;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (resultType.isDynamicDim(d))
      dynamicDims.push_back(dimSize(b, p.op.getInput(), p.op.getPerm()[d]));
  auto [result, out] = allocResult(b, resultType, dynamicDims);
  SmallVector<Value> inSizes = groupSizes(b, p);
  SmallVector<Value> inStrides = stridesOf(b, inSizes);
  SmallVector<Value> outSizes;
  for (int64_t g : p.perm)
    outSizes.push_back(inSizes[g]);
  SmallVector<Value> srcStrides;
  for (int64_t g : p.perm)
    srcStrides.push_back(inStrides[g]);
  emitStridedCopy(b, in, out, outSizes, srcStrides, constIndex(b, 0),
                  numElements(b, result), threads, vec,
                  "permute_copy_vec" + std::to_string(vec), config);
  return result;
}

Value emitTiledTranspose(RewriterBase &rewriter, const TransposeProblem &p,
                         DictionaryAttr config) {
  ImplicitLocOpBuilder b(p.op.getLoc(), rewriter);
  int64_t tile = *configInt(config, "tile"), rows = *configInt(config, "rows");
  Value in = flatBuffer(b, p.op.getInput());
  RankedTensorType resultType = p.op.getType();
  Type element = resultType.getElementType();
  SmallVector<Value> dynamicDims;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (resultType.isDynamicDim(d))
      dynamicDims.push_back(dimSize(b, p.op.getInput(), p.op.getPerm()[d]));
  auto [result, out] = allocResult(b, resultType, dynamicDims);
  int64_t n = p.groups.size();
  SmallVector<Value> inSizes = groupSizes(b, p);
  SmallVector<Value> inStrides = stridesOf(b, inSizes);
  SmallVector<Value> outSizes;
  for (int64_t g : p.perm)
    outSizes.push_back(inSizes[g]);
  SmallVector<Value> outStrides = stridesOf(b, outSizes);
  // The tile spans input group `rowGroup` (the output's innermost) and the
  // input's innermost group (at output position `colPos`).
  int64_t rowGroup = p.perm.back();
  int64_t colPos = llvm::find(p.perm, n - 1) - p.perm.begin();
  int64_t rowPos = n - 1;
  Value rowsTotal = inSizes[rowGroup], colsTotal = inSizes[n - 1];
  // Every other output position indexes tiles through z.
  SmallVector<int64_t> batchPos;
  for (int64_t i = 0; i < n; ++i)
    if (i != colPos && i != rowPos)
      batchPos.push_back(i);
  Value batch = constIndex(b, 1);
  for (int64_t i : batchPos)
    batch = arith::MulIOp::create(b, batch, outSizes[i]);

  Type smemType = workgroupBuffer(b.getContext(), tile * (tile + 1), element);
  gpu::LaunchOp launch =
      buildLaunch(b, ceilDiv(b, colsTotal, tile), ceilDiv(b, rowsTotal, tile),
                  batch, tile * rows, {smemType},
                  "transpose_tiled_" + std::to_string(tile), config);
  Value smem = launch.getWorkgroupAttributions()[0];
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  Value tid = launch.getThreadIds().x;
  Value tx = arith::RemUIOp::create(b, tid, idx(tile));
  Value ty = arith::DivUIOp::create(b, tid, idx(tile));
  Value c0 = arith::MulIOp::create(b, launch.getBlockIds().x, idx(tile));
  Value r0 = arith::MulIOp::create(b, launch.getBlockIds().y, idx(tile));
  Value inBase = idx(0), outBase = idx(0), rest = launch.getBlockIds().z;
  for (int64_t i : llvm::reverse(batchPos)) {
    Value coord = arith::RemUIOp::create(b, rest, outSizes[i]);
    rest = arith::DivUIOp::create(b, rest, outSizes[i]);
    inBase = arith::AddIOp::create(
        b, inBase, arith::MulIOp::create(b, coord, inStrides[p.perm[i]]));
    outBase = arith::AddIOp::create(
        b, outBase, arith::MulIOp::create(b, coord, outStrides[i]));
  }
  auto ult = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y)
        .getResult();
  };
  auto guarded = [&](Value cond, function_ref<void()> body) {
    auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  };
  // Read rows of the input's contiguous dim: smem[r][c].
  for (int64_t j = 0; j < tile; j += rows) {
    Value r = arith::AddIOp::create(b, ty, idx(j));
    Value row = arith::AddIOp::create(b, r0, r),
          col = arith::AddIOp::create(b, c0, tx);
    guarded(
        arith::AndIOp::create(b, ult(row, rowsTotal), ult(col, colsTotal)),
        [&] {
          Value at = arith::AddIOp::create(
              b, inBase,
              arith::AddIOp::create(
                  b, arith::MulIOp::create(b, row, inStrides[rowGroup]), col));
          Value v = memref::LoadOp::create(b, in, ValueRange{at});
          Value s = arith::AddIOp::create(
              b, arith::MulIOp::create(b, r, idx(tile + 1)), tx);
          memref::StoreOp::create(b, v, smem, ValueRange{s});
        });
  }
  gpu::BarrierOp::create(b);
  // Write rows of the output's contiguous dim: out[c][r] = smem[r][c].
  for (int64_t j = 0; j < tile; j += rows) {
    Value c = arith::AddIOp::create(b, ty, idx(j));
    Value col = arith::AddIOp::create(b, c0, c),
          row = arith::AddIOp::create(b, r0, tx);
    guarded(
        arith::AndIOp::create(b, ult(row, rowsTotal), ult(col, colsTotal)),
        [&] {
          Value s = arith::AddIOp::create(
              b, arith::MulIOp::create(b, tx, idx(tile + 1)), c);
          Value v = memref::LoadOp::create(b, smem, ValueRange{s});
          Value at = arith::AddIOp::create(
              b, outBase,
              arith::AddIOp::create(
                  b, arith::MulIOp::create(b, col, outStrides[colPos]), row));
          memref::StoreOp::create(b, v, out, ValueRange{at});
        });
  }
  b.setInsertionPointAfter(launch);
  return result;
}

class TransposeStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "transpose"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op,
                                       std::string &whyNot) const override {
    auto transpose = dyn_cast<TransposeOp>(op);
    if (!transpose)
      return nullptr;
    return matchTranspose(transpose, whyNot);
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &) const override {
    const auto &p = static_cast<const TransposeProblem &>(problem);
    MLIRContext *ctx = problem.op->getContext();
    if (!p.innerStays())
      return makeConfig(ctx, {{"tile", 32}, {"rows", 8}});
    // The innermost group's size decides the vector width.
    auto type = cast<RankedTensorType>(p.op.getInput().getType());
    int64_t inner = 1;
    for (int64_t d : p.groups.back())
      inner =
          type.isDynamicDim(d) || inner < 0 ? -1 : inner * type.getDimSize(d);
    int64_t vec = widestVector({inner}, type.getElementTypeBitWidth());
    return makeConfig(ctx, {{"threads", 256}, {"vec", vec}});
  }
  LogicalResult verifyConfig(const KernelProblem &problem,
                             DictionaryAttr config,
                             std::string &error) const override {
    const auto &p = static_cast<const TransposeProblem &>(problem);
    if (!p.innerStays()) {
      if (failed(checkConfigKeys(config, {"tile", "rows"}, error)))
        return failure();
      int64_t tile = *configInt(config, "tile"),
              rows = *configInt(config, "rows");
      if (tile % rows || tile * rows > 1024 || (tile * rows) % kWarpSize) {
        error = "rows must divide tile and tile*rows be a multiple of 32 up to "
                "1024";
        return failure();
      }
      return success();
    }
    if (failed(checkConfigKeys(config, {"threads", "vec"}, error)))
      return failure();
    DictionaryAttr natural = chooseConfig(problem, GpuTarget());
    if (*configInt(config, "vec") > *configInt(natural, "vec") ||
        *configInt(natural, "vec") % *configInt(config, "vec")) {
      error = "vec must divide the innermost size (at most 16 bytes)";
      return failure();
    }
    return success();
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    const auto &p = static_cast<const TransposeProblem &>(problem);
    if (p.innerStays())
      return {emitPermuteCopy(rewriter, p, config)};
    return {emitTiledTranspose(rewriter, p, config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createTransposeStrategy() {
  return std::make_unique<TransposeStrategy>();
}

} // namespace axon::gpu_kernels
