//===- GemmMainLoop.cpp - The tiled GEMM main loop that strategies share --===//

#include "GemmMainLoop.h"
#include "KernelBuilder.h"
#include "Strategy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {

std::string GemmTile::label(StringRef prefix) const {
  return (prefix + "_" + std::to_string(bm) + "x" + std::to_string(bn) + "x" +
          std::to_string(bk) + "_reg" + std::to_string(tm) + "x" +
          std::to_string(tn))
      .str();
}

DictionaryAttr GemmTile::toConfig(MLIRContext *context) const {
  return makeConfig(
      context, {{"bm", bm}, {"bn", bn}, {"bk", bk}, {"tm", tm}, {"tn", tn}});
}

GemmTile GemmTile::fromConfig(DictionaryAttr config) {
  GemmTile t;
  t.bm = configInt(config, "bm").value_or(t.bm);
  t.bn = configInt(config, "bn").value_or(t.bn);
  t.bk = configInt(config, "bk").value_or(t.bk);
  t.tm = configInt(config, "tm").value_or(t.tm);
  t.tn = configInt(config, "tn").value_or(t.tn);
  return t;
}

LogicalResult GemmTile::verifyConfig(DictionaryAttr config,
                                     std::string &error) {
  if (failed(checkConfigKeys(config, {"bm", "bn", "bk", "tm", "tn"}, error)))
    return failure();
  return success(fromConfig(config).isValid(error));
}

bool GemmTile::isValid(std::string &error) const {
  auto fail = [&](const std::string &why) {
    error = why;
    return false;
  };
  if (bm % tm || bn % tn)
    return fail("bm and bn must be multiples of tm and tn");
  if (tm > 16 || tn > 16)
    return fail("register blocks above 16x16 spill");
  int64_t t = threads();
  if (t < kWarpSize || t > 1024 || t % kWarpSize)
    return fail("(bm/tm)*(bn/tn) = " + std::to_string(t) +
                " threads; a block needs a multiple of 32 up to 1024");
  if ((bm * bk) % t || (bn * bk) % t)
    return fail("bm*bk and bn*bk must be multiples of the thread count");
  if (2 * (bm + bn) * bk * 4 > 48 * 1024)
    return fail("the two stages of tiles exceed 48 KB of shared memory");
  return true;
}

std::vector<DictionaryAttr> GemmTile::tuningCandidates(MLIRContext *context) {
  // The tiles of bench/sweep.py's tables: large and small blocks, 8- and
  // 16-deep K slices, square and rectangular register blocks.
  const GemmTile tiles[] = {{128, 128, 8, 8, 8}, {128, 128, 16, 8, 8}, {64, 128, 8, 4, 8},
                            {64, 128, 16, 8, 8}, {128, 64, 8, 8, 4},  {64, 64, 8, 4, 4},
                            {64, 64, 16, 4, 4},  {32, 64, 16, 4, 4}};
  std::vector<DictionaryAttr> configs;
  for (const GemmTile &tile : tiles)
    configs.push_back(tile.toConfig(context));
  return configs;
}

GemmTile GemmTile::choose(int64_t m, int64_t n, int64_t batch,
                          int64_t multiprocessors) {
  GemmTile big;
  if (m <= 0 || n <= 0) // dynamic sizes: the large tile
    return big;
  auto blocks = [&](int64_t bm, int64_t bn) {
    return ((m + bm - 1) / bm) * ((n + bn - 1) / bn) *
           std::max<int64_t>(batch, 1);
  };
  // Two waves of tiles use the machine well; fewer leave it idle. Measured
  // on an H200 (bench/sweep.py, 2026-12-01): 4096^3 runs best on 128x128x8
  // tiles; 4096x768x3072 on 128x64x8 (0.71 ms against 0.78 for 64x64).
  if (blocks(128, 128) >= 2 * multiprocessors)
    return big;
  if (blocks(128, 64) >= 2 * multiprocessors)
    return GemmTile{128, 64, 8, 8, 4};
  return GemmTile{64, 64, 8, 4, 4};
}

SmallVector<Type> gemmSharedBuffers(MLIRContext *context,
                                    const GemmTile &tile) {
  // Two stages each: one is read while the next is written.
  Type f32 = Float32Type::get(context);
  return {workgroupBuffer(context, 2 * tile.bk * tile.bm, f32),
          workgroupBuffer(context, 2 * tile.bk * tile.bn, f32)};
}

SmallVector<StagingSlot> stagingSlots(ImplicitLocOpBuilder &b, Value tid,
                                      int64_t threads, int64_t tileFree,
                                      int64_t bk, bool kContiguous) {
  SmallVector<StagingSlot> slots;
  for (int64_t i = 0; i < tileFree * bk / threads; ++i) {
    Value e = arith::AddIOp::create(b, tid, constIndex(b, i * threads));
    Value kLen = constIndex(b, bk), freeLen = constIndex(b, tileFree);
    if (kContiguous)
      slots.push_back({arith::DivUIOp::create(b, e, kLen),
                       arith::RemUIOp::create(b, e, kLen)});
    else
      slots.push_back({arith::RemUIOp::create(b, e, freeLen),
                       arith::DivUIOp::create(b, e, freeLen)});
  }
  return slots;
}

SmallVector<Value> emitGemmMainLoop(ImplicitLocOpBuilder &b,
                                    const GemmTile &tile, const GemmOperand &a,
                                    const GemmOperand &bOperand, Value k,
                                    Value m0, Value n0, Value tid,
                                    Value aShared, Value bShared) {
  Type f32 = b.getF32Type();
  int64_t threads = tile.threads();
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto add = [&](Value x, Value y) {
    return arith::AddIOp::create(b, x, y).getResult();
  };
  auto mul = [&](Value x, Value y) {
    return arith::MulIOp::create(b, x, y).getResult();
  };
  Value threadsX = idx(tile.bn / tile.tn);
  Value tx = arith::RemUIOp::create(b, tid, threadsX);
  Value ty = arith::DivUIOp::create(b, tid, threadsX);
  Value zero = constFloat(b, f32, 0.0);

  SmallVector<StagingSlot> aSlots = stagingSlots(b, tid, threads, tile.bm,
                                                 tile.bk, a.kContiguous),
                           bSlots = stagingSlots(b, tid, threads, tile.bn,
                                                 tile.bk, bOperand.kContiguous);
  // Global loads of the slice at k0 into registers.
  auto fetch = [&](Value k0) {
    SmallVector<Value> regs;
    for (const StagingSlot &s : aSlots)
      regs.push_back(a.load(b, add(m0, s.f), add(k0, s.kk)));
    for (const StagingSlot &s : bSlots)
      regs.push_back(bOperand.load(b, add(k0, s.kk), add(n0, s.f)));
    return regs;
  };
  // Registers into shared-memory stage `stage` (k-major).
  auto deposit = [&](ArrayRef<Value> regs, Value stage) {
    Value aBase = mul(stage, idx(tile.bk * tile.bm)),
          bBase = mul(stage, idx(tile.bk * tile.bn));
    for (auto [i, s] : llvm::enumerate(aSlots))
      memref::StoreOp::create(
          b, regs[i], aShared,
          ValueRange{add(aBase, add(mul(s.kk, idx(tile.bm)), s.f))});
    for (auto [i, s] : llvm::enumerate(bSlots))
      memref::StoreOp::create(
          b, regs[aSlots.size() + i], bShared,
          ValueRange{add(bBase, add(mul(s.kk, idx(tile.bn)), s.f))});
  };

  // Prologue: slice 0 into stage 0.
  deposit(fetch(idx(0)), idx(0));
  gpu::BarrierOp::create(b);

  // Each step: fetch the next slice into registers (its global loads are in
  // flight during the FMAs), compute on the current stage, deposit the next
  // slice into the other stage, one barrier. Slices past K load zeros.
  SmallVector<Value> init(tile.tm * tile.tn, zero);
  init.push_back(idx(0));
  auto kLoop = scf::ForOp::create(b, idx(0), k, idx(tile.bk), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(kLoop.getBody());
  Value k0 = kLoop.getInductionVar();
  Value stage = kLoop.getRegionIterArgs().back();
  SmallVector<Value> next = fetch(add(k0, idx(tile.bk)));
  SmallVector<Value> acc(kLoop.getRegionIterArgs().drop_back());
  Value aRow = add(mul(stage, idx(tile.bk * tile.bm)), mul(ty, idx(tile.tm)));
  Value bCol = add(mul(stage, idx(tile.bk * tile.bn)), mul(tx, idx(tile.tn)));
  auto readFragment = [&](Value buffer, Value start, int64_t count) {
    SmallVector<Value> values;
    for (int64_t q = 0; q < count; q += 4) {
      int64_t w = std::min<int64_t>(4, count - q);
      Value vec = vector::LoadOp::create(b, VectorType::get({w}, f32), buffer,
                                         ValueRange{add(start, idx(q))});
      for (int64_t l = 0; l < w; ++l)
        values.push_back(
            vector::ExtractOp::create(b, vec, ArrayRef<int64_t>{l}));
    }
    return values;
  };
  for (int64_t kk = 0; kk < tile.bk; ++kk) {
    SmallVector<Value> av =
        readFragment(aShared, add(idx(kk * tile.bm), aRow), tile.tm);
    SmallVector<Value> bv =
        readFragment(bShared, add(idx(kk * tile.bn), bCol), tile.tn);
    for (int64_t i = 0; i < tile.tm; ++i)
      for (int64_t j = 0; j < tile.tn; ++j)
        acc[i * tile.tn + j] =
            math::FmaOp::create(b, av[i], bv[j], acc[i * tile.tn + j]);
  }
  Value other = arith::SubIOp::create(b, idx(1), stage);
  deposit(next, other);
  gpu::BarrierOp::create(b);
  acc.push_back(other);
  scf::YieldOp::create(b, acc);
  return SmallVector<Value>(kLoop.getResults().drop_back());
}

void forEachAccumulator(
    ImplicitLocOpBuilder &b, const GemmTile &tile, ArrayRef<Value> acc,
    Value m0, Value n0, Value tid, Value m, Value n,
    function_ref<void(ImplicitLocOpBuilder &, Value, Value, Value)> fn) {
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto add = [&](Value x, Value y) {
    return arith::AddIOp::create(b, x, y).getResult();
  };
  auto lt = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y)
        .getResult();
  };
  Value threadsX = idx(tile.bn / tile.tn);
  Value tx = arith::RemUIOp::create(b, tid, threadsX);
  Value ty = arith::DivUIOp::create(b, tid, threadsX);
  Value rowStart = add(m0, arith::MulIOp::create(b, ty, idx(tile.tm)));
  Value colStart = add(n0, arith::MulIOp::create(b, tx, idx(tile.tn)));
  for (int64_t i = 0; i < tile.tm; ++i) {
    Value row = add(rowStart, idx(i));
    auto rowIf = scf::IfOp::create(b, lt(row, m), /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rowIf.thenBlock());
    for (int64_t j = 0; j < tile.tn; ++j) {
      Value col = add(colStart, idx(j));
      auto colIf = scf::IfOp::create(b, lt(col, n), /*withElseRegion=*/false);
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(colIf.thenBlock());
      fn(b, row, col, acc[i * tile.tn + j]);
    }
  }
}

} // namespace axon::gpu_kernels
