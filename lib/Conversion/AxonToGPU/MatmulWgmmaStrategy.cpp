//===- MatmulWgmmaStrategy.cpp - Strategy "matmul_wgmma" (Hopper) ---------===//
//
// f16/bf16 matmul on sm_90a tensor cores, warp-specialized:
//   - one producer warpgroup, of which one thread issues TMA copies of the
//     A tile (bm x 64, 128-byte swizzle) and the B tile (bn/64 boxes of
//     64 x 64 for B[K, N]; one bn x 64 box, k-contiguous like A, for a
//     transposed B[N, K]) into a ring of `stages` shared-memory buffers; each buffer has
//     a "full" mbarrier (TMA transaction bytes) and an "empty" one;
//   - bm/64 consumer warpgroups, each multiplying its 64 rows of A by the
//     whole B tile with `wgmma.mma_async` (f32 accumulators in registers),
//     one group in flight: after step k issues, step k-1 has retired and its
//     buffer is handed back to the producer.
// Ragged M/N/K edges are zero-filled by TMA. The epilogue stages the f32
// tile through shared memory, adds the bias, applies the activation and
// writes 16-byte vectors of the result type. Config: {bm, bn, stages} and,
// for problems too small to fill the chip (LLM decode steps), `splitk`:
// blocks along grid z take slices of K and add their f32 tiles atomically
// into a zeroed workspace; a second kernel applies the epilogue. With
// `kgroups` = 2 (64-row tiles only, pinned), two consumer warpgroups take
// alternate k tiles of the same rows into separate accumulators, summed in
// the epilogue. (Measured on an H200 for 16x4096x4096: no gain, 27.4 ->
// 26.7 TFLOP/s, so the heuristic does not pick it.)
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "MatmulProblem.h"
#include "TensorCoreBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

constexpr int64_t kBlockK = kSwizzleElements; // one 128-byte swizzled row of f16/bf16
constexpr int64_t kWarpgroup = kWarpgroupThreads;
constexpr int64_t kStagingPad = 4; // f32 per staged row, against bank conflicts
constexpr int64_t kSharedLimit = 227 * 1024;

struct WgmmaTile {
  int64_t bm = 128, bn = 256, stages = 4, splitk = 1, kgroups = 1;

  int64_t consumers() const { return bm / 64 * kgroups; }
  int64_t threads() const { return (consumers() + 1) * kWarpgroup; }
  int64_t aBytes() const { return bm * kBlockK * 2; }
  int64_t stageBytes() const { return aBytes() + kBlockK * bn * 2; }
  int64_t stagingBytes() const { return consumers() * 64 * (bn + kStagingPad) * 4; }
  int64_t sharedBytes() const {
    return std::max(stages * stageBytes(), stagingBytes()) + kSwizzleAlign;
  }
  std::string label() const {
    return "matmul_wgmma_" + std::to_string(bm) + "x" + std::to_string(bn) + "x" +
           std::to_string(kBlockK) + "_s" + std::to_string(stages) +
           (splitk > 1 ? "_splitk" + std::to_string(splitk) : "") +
           (kgroups > 1 ? "_kgroups" + std::to_string(kgroups) : "");
  }
  DictionaryAttr toConfig(MLIRContext *ctx) const {
    SmallVector<std::pair<StringRef, int64_t>> entries = {
        {"bm", bm}, {"bn", bn}, {"stages", stages}};
    if (splitk > 1)
      entries.push_back({"splitk", splitk});
    if (kgroups > 1)
      entries.push_back({"kgroups", kgroups});
    return makeConfig(ctx, entries);
  }
  static WgmmaTile fromConfig(DictionaryAttr config) {
    return {*configInt(config, "bm"), *configInt(config, "bn"), *configInt(config, "stages"),
            configInt(config, "splitk").value_or(1), configInt(config, "kgroups").value_or(1)};
  }
  bool isValid(std::string &error) const {
    if (bm != 64 && bm != 128)
      error = "bm must be 64 or 128 (one or two consumer warpgroups)";
    else if (bn % 64 || bn > 256)
      error = "bn must be 64, 128, 192 or 256";
    else if (stages < 2 || stages > 8)
      error = "stages must be in 2..8";
    else if (splitk < 1 || splitk > 64)
      error = "splitk must be in 1..64";
    else if (kgroups != 1 && (kgroups != 2 || bm != 64 || splitk != 1))
      error = "kgroups must be 1, or 2 with bm = 64 and no splitk";
    // A warpgroup frees a buffer when it starts its next tile, which the
    // producer must already have loaded.
    else if (stages <= kgroups)
      error = "stages must exceed kgroups";
    else if (sharedBytes() > kSharedLimit)
      error = "needs " + std::to_string(sharedBytes()) + " bytes of shared memory";
    // Measured on an H200 (2026-12-02, axon-tune in child processes): on
    // large grids (4096x4096x4096, 8192x8192x1024, 4096x11008x4096) 64x64
    // tiles with 3, 4 or 6 stages fail with an unspecified launch failure or
    // leave NaNs, while 8 stages and every other tile pass; small grids pass
    // with any. Not understood yet, so refused rather than emitted (the
    // heuristic's 64x64 tiles always have 8 stages).
    else if (bm == 64 && bn == 64 && stages < 8)
      error = "64x64 tiles need 8 stages (fewer fail on large grids)";
    return error.empty();
  }

  /// As many N columns per block as still give one full wave, then as many
  /// stages as fit; a problem with under half a wave of tiles splits K.
  static WgmmaTile choose(int64_t m, int64_t n, int64_t k, int64_t batch,
                          int64_t multiprocessors) {
    WgmmaTile t;
    t.bm = (m > 0 && m <= 64) ? 64 : 128;
    auto tiles = [&](int64_t bn) {
      int64_t rows = m > 0 ? (m + t.bm - 1) / t.bm : multiprocessors;
      return rows * ((n + bn - 1) / bn) * batch;
    };
    t.bn = 64;
    for (int64_t bn : {256, 128})
      if (bn <= static_cast<int64_t>(llvm::alignTo(n, 64)) && tiles(bn) >= multiprocessors) {
        t.bn = bn;
        break;
      }
    int64_t kTiles = (k + kBlockK - 1) / kBlockK;
    // Measured on an H200 (16x4096x4096 f16): 4 splits make the main kernel
    // 18.9 -> 15.6 us. With separate zeroing and epilogue kernels (6.8 us
    // more) that paid only under a quarter of a wave; the one-kernel form
    // (static sizes) splits under half a wave.
    bool oneKernel = m > 0 && n > 0;
    if (batch == 1 && m > 0 && (oneKernel ? 2 : 4) * tiles(t.bn) <= multiprocessors) {
      int64_t bn = std::min<int64_t>(128, llvm::alignTo(n, 64));
      int64_t splits = std::min(multiprocessors / tiles(bn), kTiles / 4);
      if (splits >= 2) {
        t.bn = bn;
        t.splitk = splits;
      }
    }
    t.stages = 2;
    for (int64_t s = 8; s > 2; --s) {
      WgmmaTile c = t;
      c.stages = s;
      if (c.sharedBytes() <= 200 * 1024) {
        t.stages = s;
        break;
      }
    }
    return t;
  }
};

Value emitWgmmaMatmul(RewriterBase &rewriter, const MatmulProblem &p, const WgmmaTile &tile,
                      DictionaryAttr config) {
  MatmulOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  MLIRContext *ctx = b.getContext();
  Type element = op.getType().getElementType();
  Type f32 = b.getF32Type();
  auto smemSpace = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto add = [&](Value x, Value y) { return arith::AddIOp::create(b, x, y).getResult(); };
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };

  MatmulSizes sizes = buildMatmulSizes(b, p);
  Value m = sizes.m, n = sizes.n, k = sizes.k, batch = sizes.batch;
  Value aFlat = flatBuffer(b, op.getLhs()), bFlat = flatBuffer(b, op.getRhs());
  // A per-row bias (conv_wgmma's per-filter bias) or the op's per-column one.
  bool biasPerRow = static_cast<bool>(p.rowBias);
  Value bias = biasPerRow      ? flatBuffer(b, p.rowBias)
               : op.getBias() ? flatBuffer(b, op.getBias())
                              : Value();
  auto [result, cFlat] = allocResult(b, op.getType(), sizes.resultDynamicDims);

  // TMA descriptors over 2-D views: batches of a batched operand are rows.
  auto makeTensorMap = [&](Value flat, Value rows, Value cols, int64_t boxRows) {
    return createTmaDescriptor(b, flat, rows, cols, boxRows);
  };
  bool aBatched = p.lhsBatched && !p.foldBatchIntoM;
  Value descA = makeTensorMap(aFlat, aBatched ? mul(batch, m) : m, k, tile.bm);
  // A transposed B[N, K] is k-contiguous: one bn x 64 box per step.
  bool transB = op.getTransposeRhs();
  Value bRowsPerBatch = transB ? n : k;
  Value descB = transB ? makeTensorMap(bFlat, p.rhsBatched ? mul(batch, n) : n, k, tile.bn)
                       : makeTensorMap(bFlat, p.rhsBatched ? mul(batch, k) : k, n, kBlockK);

  // Split K. With static sizes, each split writes its f32 partial tile to
  // a slice of its own and the last block to finish a tile (an atomic
  // ticket per tile) sums the slices and applies the epilogue: one kernel.
  // The tickets live in a zero constant whose device copy the runtime
  // uploads once and keeps; each tile's last block resets its ticket, so
  // the next call (stream-ordered after this one) finds zeros again.
  // Otherwise the partials are added atomically into a workspace zeroed by
  // a kernel of its own, and a third kernel applies the epilogue.
  bool split = tile.splitk > 1;
  auto resultType = cast<RankedTensorType>(op.getType());
  bool lastBlockReduces = split && resultType.hasStaticShape() && resultType.getRank() == 2;
  Value workspace, tickets;
  if (lastBlockReduces) {
    int64_t rows = resultType.getDimSize(0), cols = resultType.getDimSize(1);
    int64_t tiles = llvm::divideCeil(rows, tile.bm) * llvm::divideCeil(cols, tile.bn);
    workspace = memref::AllocOp::create(
        b, MemRefType::get({tile.splitk * rows * cols}, f32), ValueRange{});
    auto ticketType = RankedTensorType::get({tiles}, b.getI32Type());
    Value zeros = arith::ConstantOp::create(
        b, DenseElementsAttr::get(ticketType, b.getI32IntegerAttr(0).getValue()));
    tickets = bufferization::ToBufferOp::create(
        b, MemRefType::get({tiles}, b.getI32Type()), zeros, /*read_only=*/true);
  } else if (split) {
    workspace = memref::AllocOp::create(b, MemRefType::get({ShapedType::kDynamic}, f32),
                                        ValueRange{mul(m, n)});
    OpBuilder::InsertionGuard guard(b);
    Value i = buildItemLaunch(b, mul(m, n), 256, "matmul_wgmma_splitk_zero", {});
    memref::StoreOp::create(b, constFloat(b, f32, 0.0), workspace, i);
  }

  gpu::LaunchOp launch =
      buildLaunch(b, ceilDiv(b, n, tile.bn), ceilDiv(b, m, tile.bm),
                  split ? idx(tile.splitk) : batch, tile.threads(), {}, tile.label(), config,
                  tile.sharedBytes());
  Value tid = launch.getThreadIds().x;
  Value bz = split ? idx(0) : launch.getBlockIds().z;
  Value m0 = mul(launch.getBlockIds().y, idx(tile.bm));
  Value n0 = mul(launch.getBlockIds().x, idx(tile.bn));
  Value aRow0 = add(aBatched ? mul(bz, m) : idx(0), m0);
  Value bRow0 = p.rhsBatched ? mul(bz, bRowsPerBatch) : idx(0);
  Value warpgroup = arith::DivUIOp::create(b, tid, idx(kWarpgroup));
  auto eq = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::eq, x, y).getResult();
  };

  SharedArena smem = SharedArena::create(b);

  auto barrierType = nvgpu::MBarrierGroupType::get(ctx, smemSpace, tile.stages);
  Value full = nvgpu::MBarrierCreateOp::create(b, barrierType);
  Value empty = nvgpu::MBarrierCreateOp::create(b, barrierType);
  Value isFirst = eq(tid, idx(0));
  Value consumerThreads = idx(tile.consumers() * kWarpgroup);
  // Every consumer thread that reads a buffer releases it (with kgroups,
  // one warpgroup reads each k tile).
  Value readers = tile.kgroups > 1 ? idx(kWarpgroup) : consumerThreads;
  for (int64_t s = 0; s < tile.stages; ++s) {
    nvgpu::MBarrierInitOp::create(b, full, idx(1), idx(s), isFirst);
    nvgpu::MBarrierInitOp::create(b, empty, readers, idx(s), isFirst);
  }
  gpu::BarrierOp::create(b);

  // This block's slice of the k tiles: [kBegin, kBegin + kTiles).
  Value kTiles = ceilDiv(b, k, kBlockK), kBegin = idx(0);
  if (split) {
    Value perSplit = arith::CeilDivUIOp::create(b, kTiles, idx(tile.splitk));
    kBegin = arith::MinUIOp::create(b, mul(launch.getBlockIds().z, perSplit), kTiles);
    kTiles = arith::SubIOp::create(b, arith::MinUIOp::create(b, add(kBegin, perSplit), kTiles),
                                   kBegin);
  }
  Value ticks = idx(10000000);
  auto stageOf = [&](ImplicitLocOpBuilder &lb, Value kt) {
    return arith::RemUIOp::create(lb, kt, idx(tile.stages)).getResult();
  };
  auto stageBase = [&](ImplicitLocOpBuilder &lb, Value stage) {
    return arith::MulIOp::create(lb, stage, idx(tile.stageBytes())).getResult();
  };

  auto roles = scf::IfOp::create(b, eq(warpgroup, idx(tile.consumers())), /*withElse=*/true);
  // Producer: one thread keeps the ring full.
  {
    b.setInsertionPointToStart(roles.thenBlock());
    Value producer = eq(tid, idx(tile.consumers() * kWarpgroup));
    nvgpu::TmaPrefetchOp::create(b, descA, producer);
    nvgpu::TmaPrefetchOp::create(b, descB, producer);
    auto issuer = scf::IfOp::create(b, producer, /*withElse=*/false);
    b.setInsertionPointToStart(issuer.thenBlock());
    auto loop = scf::ForOp::create(b, idx(0), kTiles, idx(1));
    b.setInsertionPointToStart(loop.getBody());
    Value kt = loop.getInductionVar();
    Value stage = stageOf(b, kt);
    // Each buffer is emptied once before its fill: the first wait is for
    // the phase before the first (complete at initialization).
    Value emptied = arith::XOrIOp::create(b, ringParity(b, kt, tile.stages),
                                          arith::ConstantIntOp::create(b, 1, 1));
    nvgpu::MBarrierTryWaitParityOp::create(b, empty, emptied, ticks, stage);
    nvgpu::MBarrierArriveExpectTxOp::create(b, full, idx(tile.stageBytes()), stage, Value());
    Value k0 = mul(add(kBegin, kt), idx(kBlockK));
    Value base = stageBase(b, stage);
    nvgpu::TmaAsyncLoadOp::create(b, smem.at(b, base, {tile.bm, kBlockK}, element), full, descA,
                                  ValueRange{k0, aRow0}, stage, Value(), Value());
    if (transB)
      nvgpu::TmaAsyncLoadOp::create(
          b, smem.at(b, add(base, idx(tile.aBytes())), {tile.bn, kBlockK}, element), full, descB,
          ValueRange{k0, add(bRow0, n0)}, stage, Value(), Value());
    for (int64_t j = 0; !transB && j < tile.bn / 64; ++j) {
      Value offset = add(base, idx(tile.aBytes() + j * kBlockK * 64 * 2));
      nvgpu::TmaAsyncLoadOp::create(b, smem.at(b, offset, {kBlockK, 64}, element), full, descB,
                                    ValueRange{add(n0, idx(64 * j)), add(bRow0, k0)}, stage,
                                    Value(), Value());
    }
  }
  // Consumers: 64 rows of the tile each.
  b.setInsertionPointToStart(roles.elseBlock());
  auto accType =
      nvgpu::WarpgroupAccumulatorType::get(ctx, VectorType::get({64, tile.bn}, f32));
  Value acc0 = nvgpu::WarpgroupMmaInitAccumulatorOp::create(b, accType);
  // Warpgroup w takes k tiles w, w + 2, ... with kgroups; else all of them.
  Value kFirst = tile.kgroups > 1 ? warpgroup : idx(0);
  auto loop = scf::ForOp::create(b, kFirst, kTiles, idx(tile.kgroups), ValueRange{acc0});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kt = loop.getInductionVar();
    Value acc = loop.getRegionIterArgs()[0];
    Value stage = stageOf(b, kt);
    nvgpu::MBarrierTryWaitParityOp::create(b, full, ringParity(b, kt, tile.stages), ticks, stage);
    Value base = stageBase(b, stage);
    Value aBase = tile.kgroups > 1 ? base : add(base, mul(warpgroup, idx(64 * kBlockK * 2)));
    Value bBase = add(base, idx(tile.aBytes()));
    auto descriptor = [&](Value offset, ArrayRef<int64_t> shape, Value map) {
      return wgmmaDescriptor(b, smem, offset, shape, element, map);
    };
    Value next = acc;
    if (!transB) {
      // B is stored k-rows by n-columns: "transposed" for wgmma; nvgpu
      // steps both descriptors through the 64-deep tile.
      next = nvgpu::WarpgroupMmaOp::create(b, accType, descriptor(aBase, {64, kBlockK}, descA),
                                           descriptor(bBase, {kBlockK, tile.bn}, descB),
                                           /*waitGroup=*/1, UnitAttr(), UnitAttr::get(ctx), acc);
    } else {
      // Both operands k-contiguous (swizzled rows of 128 bytes): each
      // 16-deep step starts 32 bytes further along the rows, which nvgpu's
      // own stepping (made for an n-contiguous B) does not do.
      for (int64_t kk = 0; kk < kBlockK / 16; ++kk) {
        Value step = idx(kk * 32);
        next = nvgpu::WarpgroupMmaOp::create(
            b, accType, descriptor(add(aBase, step), {64, 16}, descA),
            descriptor(add(bBase, step), {16, tile.bn}, descB), /*waitGroup=*/1, UnitAttr(),
            UnitAttr(), next);
      }
    }
    // This warpgroup's previous step has retired: its buffer can be refilled.
    auto release = scf::IfOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::uge, kt, add(kFirst, idx(tile.kgroups))),
        false);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(release.thenBlock());
      nvgpu::MBarrierArriveOp::create(b, empty,
                                      stageOf(b, arith::SubIOp::create(b, kt, idx(tile.kgroups))));
    }
    scf::YieldOp::create(b, ValueRange{next});
  }
  NVVM::WgmmaWaitGroupSyncOp::create(b, uint64_t(0));
  // Only the consumers synchronize from here on (named barrier 1).
  auto consumersBarrier = [&] { namedBarrier(b, 1, tile.consumers() * kWarpgroup); };
  consumersBarrier(); // every stage has been read
  int64_t stagingRow = tile.bn + kStagingPad;
  // nvgpu's store puts warp w's rows at 16 * w with w = thread.x / 32 over
  // the whole block, so every warpgroup is given the view at the tile's
  // first row and warpgroup 1 lands in rows 64..127 of the staging buffer.
  Value staging = smem.at(b, idx(0), {tile.consumers() * 64, stagingRow}, f32);
  Value fragmentView = memref::SubViewOp::create(
      b, staging, ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(64), b.getIndexAttr(tile.bn)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  nvgpu::WarpgroupMmaStoreOp::create(b, loop.getResult(0), fragmentView);
  consumersBarrier();

  // Epilogue: 8 consecutive columns per thread and step.
  Value staged = smem.at(b, idx(0), {tile.consumers() * 64 * stagingRow}, f32);
  int64_t chunksPerRow = tile.bn / 8;
  Value cBase = mul(bz, mul(m, n));
  auto chunks = scf::ForOp::create(b, tid, idx(tile.bm * chunksPerRow), consumerThreads);
  b.setInsertionPointToStart(chunks.getBody());
  Value chunk = chunks.getInductionVar();
  Value row = arith::DivUIOp::create(b, chunk, idx(chunksPerRow));
  Value col = mul(arith::RemUIOp::create(b, chunk, idx(chunksPerRow)), idx(8));
  Value gRow = add(m0, row), gCol = add(n0, col);
  auto lt = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y).getResult();
  };
  auto inside = scf::IfOp::create(b, arith::AndIOp::create(b, lt(gRow, m), lt(gCol, n)), false);
  b.setInsertionPointToStart(inside.thenBlock());
  Value at = add(mul(row, idx(stagingRow)), col);
  // With kgroups, the second warpgroup's partial tile is 64 rows below.
  auto stagedValue = [&](Value index, int64_t width) -> Value {
    auto load = [&](Value i) -> Value {
      if (width == 1)
        return memref::LoadOp::create(b, staged, ValueRange{i});
      return vector::LoadOp::create(b, VectorType::get({width}, f32), staged, ValueRange{i},
                                    /*nontemporal=*/false, llvm::Align(4 * width));
    };
    Value v = load(index);
    if (tile.kgroups > 1)
      v = arith::AddFOp::create(b, v, load(add(index, idx(64 * stagingRow))));
    return v;
  };
  if (lastBlockReduces) {
    // This split's partial tile, to its slice of the workspace.
    Value partial = add(mul(launch.getBlockIds().z, mul(m, n)), add(mul(gRow, n), gCol));
    for (int64_t half = 0; half < 2; ++half)
      vector::StoreOp::create(b, stagedValue(add(at, idx(4 * half)), 4), workspace,
                              ValueRange{add(partial, idx(4 * half))}, /*nontemporal=*/false,
                              llvm::Align(16));
    b.setInsertionPointAfter(chunks);
    Value mn = mul(m, n);
    // Published before the ticket is taken (the classic last-block pattern).
    NVVM::MembarOp::create(b, NVVM::MemScopeKind::GPU);
    consumersBarrier();
    Type i32 = b.getI32Type();
    Value flag = smem.at(b, idx(0), {1}, i32);
    Value tileId = add(mul(launch.getBlockIds().y, launch.getGridSize().x),
                       launch.getBlockIds().x);
    auto taker = scf::IfOp::create(b, eq(tid, idx(0)), false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(taker.thenBlock());
      Value one = arith::ConstantIntOp::create(b, 1, 32);
      Value before = memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addi, one, tickets,
                                                 ValueRange{tileId});
      Value last = arith::CmpIOp::create(
          b, arith::CmpIPredicate::eq, before,
          arith::ConstantIntOp::create(b, tile.splitk - 1, 32));
      memref::StoreOp::create(b, arith::ExtUIOp::create(b, i32, last), flag, idx(0));
      auto reset = scf::IfOp::create(b, last, false);
      b.setInsertionPointToStart(reset.thenBlock());
      memref::StoreOp::create(b, arith::ConstantIntOp::create(b, 0, 32), tickets,
                              ValueRange{tileId});
    }
    consumersBarrier();
    Value isLast = arith::CmpIOp::create(b, arith::CmpIPredicate::ne,
                                         memref::LoadOp::create(b, flag, idx(0)),
                                         arith::ConstantIntOp::create(b, 0, 32));
    auto reducer = scf::IfOp::create(b, isLast, false);
    b.setInsertionPointToStart(reducer.thenBlock());
    NVVM::MembarOp::create(b, NVVM::MemScopeKind::GPU);
    auto sums = scf::ForOp::create(b, tid, idx(tile.bm * chunksPerRow), consumerThreads);
    b.setInsertionPointToStart(sums.getBody());
    Value c = sums.getInductionVar();
    Value r = add(m0, arith::DivUIOp::create(b, c, idx(chunksPerRow)));
    Value q = add(n0, mul(arith::RemUIOp::create(b, c, idx(chunksPerRow)), idx(8)));
    auto within = scf::IfOp::create(b, arith::AndIOp::create(b, lt(r, m), lt(q, n)), false);
    b.setInsertionPointToStart(within.thenBlock());
    Value flat = add(mul(r, n), q);
    auto vec4 = VectorType::get({4}, f32);
    SmallVector<Value> values;
    for (int64_t half = 0; half < 2; ++half) {
      Value sum;
      for (int64_t z = 0; z < tile.splitk; ++z) {
        Value part = vector::LoadOp::create(
            b, vec4, workspace, ValueRange{add(mul(idx(z), mn), add(flat, idx(4 * half)))},
            /*nontemporal=*/false, llvm::Align(16));
        sum = sum ? arith::AddFOp::create(b, sum, part).getResult() : part;
      }
      for (int64_t e = 0; e < 4; ++e)
        values.push_back(applyEpilogue(b, op, vector::ExtractOp::create(b, sum, e), bias,
                                       biasPerRow ? r : add(q, idx(4 * half + e))));
    }
    storeValue(b, vector::FromElementsOp::create(b, VectorType::get({8}, f32), values), cFlat,
               flat);
    b.setInsertionPointAfter(launch);
    return result;
  }
  if (split) {
    // Partial sums: added to the workspace; the epilogue runs afterwards.
    Value out = add(mul(gRow, n), gCol);
    for (int64_t e = 0; e < 8; ++e) {
      Value x = stagedValue(add(at, idx(e)), 1);
      memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addf, x, workspace,
                                  ValueRange{add(out, idx(e))});
    }
    b.setInsertionPointAfter(launch);
    Value i = buildItemLaunch(b, mul(m, n), 256, "matmul_wgmma_splitk_epilogue", {});
    Value x = memref::LoadOp::create(b, workspace, i);
    Value biasIndex = biasPerRow ? arith::DivUIOp::create(b, i, n).getResult()
                                 : arith::RemUIOp::create(b, i, n).getResult();
    storeValue(b, applyEpilogue(b, op, x, bias, biasIndex), cFlat, i);
    b.setInsertionPointAfter(i.getDefiningOp()->getParentOfType<gpu::LaunchOp>());
    return result;
  }
  SmallVector<Value> values;
  for (int64_t half = 0; half < 2; ++half) {
    Value v = stagedValue(add(at, idx(4 * half)), 4);
    for (int64_t e = 0; e < 4; ++e) {
      Value x = vector::ExtractOp::create(b, v, e);
      values.push_back(
          applyEpilogue(b, op, x, bias, biasPerRow ? gRow : add(gCol, idx(4 * half + e))));
    }
  }
  Value out = vector::FromElementsOp::create(b, VectorType::get({8}, f32), values);
  storeValue(b, out, cFlat, add(cBase, add(mul(gRow, n), gCol)));
  b.setInsertionPointAfter(launch);
  return result;
}

} // namespace

std::vector<DictionaryAttr> wgmmaCandidateConfigs(MLIRContext *context, int64_t m, int64_t n,
                                                  int64_t batch, const GpuTarget &target) {
  std::vector<DictionaryAttr> proposed;
  for (int64_t bm : {64, 128})
    for (int64_t bn : {64, 128, 256}) {
      for (int64_t stages : {3, 4, 6, 8})
        proposed.push_back(WgmmaTile{bm, bn, stages}.toConfig(context));
      // Splits only where the tiles leave most multiprocessors idle.
      int64_t tiles = m > 0 && n > 0 ? ((m + bm - 1) / bm) * ((n + bn - 1) / bn) * batch : -1;
      if (batch == 1 && tiles > 0 && 2 * tiles <= target.multiprocessors)
        for (int64_t splitk : {2, 4, 8})
          proposed.push_back(WgmmaTile{bm, bn, 4, splitk}.toConfig(context));
    }
  return proposed;
}

DictionaryAttr chooseWgmmaConfig(MLIRContext *context, int64_t m, int64_t n, int64_t k,
                                 int64_t batch, const GpuTarget &target) {
  return WgmmaTile::choose(m, n, k, batch, target.multiprocessors).toConfig(context);
}

namespace {

class MatmulWgmmaStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "matmul_wgmma"; }
  int priority() const override { return 110; }
  bool supportsTarget(const GpuTarget &target, std::string &whyNot) const override {
    return target.hasWgmma(whyNot);
  }
  std::unique_ptr<KernelProblem> match(Operation *op, std::string &whyNot) const override {
    auto matmul = dyn_cast<MatmulOp>(op);
    if (!matmul)
      return nullptr;
    Type element = matmul.getType().getElementType();
    if (!element.isF16() && !element.isBF16()) {
      whyNot = "not f16 or bf16";
      return nullptr;
    }
    std::unique_ptr<MatmulProblem> p = matchMatmul(matmul, whyNot);
    if (!p)
      return nullptr;
    auto reject = [&](const char *why) -> std::unique_ptr<KernelProblem> {
      whyNot = why;
      return nullptr;
    };
    if (matmul.getTransposeLhs())
      return reject("a transposed lhs (A is read k-contiguous)");
    auto lhs = cast<RankedTensorType>(matmul.getLhs().getType());
    auto rhs = cast<RankedTensorType>(matmul.getRhs().getType());
    bool transB = matmul.getTransposeRhs();
    int64_t k = lhs.getShape().back();
    int64_t n = rhs.getShape()[rhs.getRank() - (transB ? 2 : 1)];
    if (ShapedType::isDynamic(k) || ShapedType::isDynamic(n))
      return reject("dynamic K or N");
    if (k % 8 || n % 8)
      return reject("K and N must be multiples of 8 (TMA rows are 16-byte aligned)");
    if (p->rhsBatched && !transB && k % kBlockK)
      return reject("a batched B needs K to be a multiple of 64");
    return p;
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    auto &p = static_cast<const MatmulProblem &>(problem);
    auto [m, n, batch] = staticMatmulSizes(p);
    int64_t k = cast<RankedTensorType>(p.op.getLhs().getType()).getShape().back();
    return chooseWgmmaConfig(problem.op->getContext(), m, n, k, batch, target);
  }
  std::vector<DictionaryAttr> candidateConfigs(const KernelProblem &problem,
                                               const GpuTarget &target) const override {
    auto [m, n, batch] = staticMatmulSizes(static_cast<const MatmulProblem &>(problem));
    std::vector<DictionaryAttr> proposed =
        wgmmaCandidateConfigs(problem.op->getContext(), m, n, batch, target);
    return validCandidates(*this, problem, target, proposed);
  }
  LogicalResult verifyConfig(const KernelProblem &problem, DictionaryAttr config,
                             std::string &error) const override {
    return verifyWgmmaConfig(
        config, staticMatmulSizes(static_cast<const MatmulProblem &>(problem))[2] != 1, error);
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitWgmmaMatmul(rewriter, static_cast<const MatmulProblem &>(problem),
                            WgmmaTile::fromConfig(config), config)};
  }
};

} // namespace

LogicalResult verifyWgmmaConfig(DictionaryAttr config, bool batched, std::string &error) {
  SmallVector<StringRef> keys = {"bm", "bn", "stages"};
  for (StringRef optional : {"splitk", "kgroups"})
    if (configInt(config, optional))
      keys.push_back(optional);
  if (failed(checkConfigKeys(config, keys, error)))
    return failure();
  WgmmaTile tile = WgmmaTile::fromConfig(config);
  if (tile.splitk > 1 && batched) {
    error = "splitk needs an unbatched problem";
    return failure();
  }
  return success(tile.isValid(error));
}

std::unique_ptr<KernelStrategy> createMatmulWgmmaStrategy() {
  return std::make_unique<MatmulWgmmaStrategy>();
}

} // namespace axon::gpu_kernels
