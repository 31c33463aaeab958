//===- FlashAttentionStrategy.cpp - Strategy "attention_flash" (sm_90a) ---===//
//
// axon.attention in f16/bf16 as ONE kernel (flash attention): a block of
// one or two warpgroups owns 64 query rows each of one (batch, head); Q is
// loaded once by TMA, K and V blocks of 64 keys stream through a ring of
// TMA stages shared by the warpgroups. Per block:
//   S = Q K^T        wgmma (both operands k-contiguous, 16-deep steps)
//   online softmax   S staged in shared memory; two threads per row keep the
//                    running max and sum in registers, apply scale, mask
//                    (additive, [Lq, Lk] or per batch), causality and the
//                    key tail, and write P = exp(S - max) as f16 in the
//                    swizzled layout wgmma reads
//   O_blk = P V      wgmma (V n-contiguous)
//   O = O * alpha + O_blk in registers (nvgpu keeps wgmma accumulators
//                    opaque, so the rescale happens after a staging round
//                    trip of O_blk).
// Causal blocks wholly above the diagonal are skipped. Config: {bq, bkv,
// stages}: 64 or 128 query rows (one or two warpgroups), 64 keys per step,
// 2 or 3 stages.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "Strategy.h"
#include "TensorCoreBuilder.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

constexpr int64_t kBlock = 64; // query rows per block and keys per step

struct AttentionProblem : KernelProblem {
  explicit AttentionProblem(AttentionOp op) : KernelProblem(op), op(op) {}
  mutable AttentionOp op;
  int64_t batch = 1, lq = 0, lk = 0, d = 0;
  bool batchedMask = false;
};

/// Byte sizes and offsets of the kernel's shared memory: Q (a tile per
/// warpgroup), the K and V stages, P (a tile per warpgroup), f32 scratch.
struct FlashLayout {
  int64_t d, warpgroups, stages;
  int64_t tileBytes() const { return kBlock * d * 2; } // 64 rows of Q, K or V
  int64_t q() const { return 0; }
  int64_t k(int64_t stage) const { return tileBytes() * (warpgroups + stage); }
  int64_t v(int64_t stage) const { return tileBytes() * (warpgroups + stages + stage); }
  int64_t p() const { return tileBytes() * (warpgroups + 2 * stages); }
  int64_t pBytes() const { return kBlock * kBlock * 2; }
  int64_t scratch() const { return p() + warpgroups * pBytes(); }
  int64_t scratchRow() const { return std::max(kBlock, d) + 4; }
  int64_t total() const {
    return scratch() + warpgroups * kBlock * scratchRow() * 4 + kSwizzleAlign;
  }
};

struct FlashConfig {
  int64_t bq = 128, stages = 2;
  static FlashConfig from(DictionaryAttr config) {
    return {*configInt(config, "bq"), *configInt(config, "stages")};
  }
};

Value emitFlashAttention(RewriterBase &rewriter, const AttentionProblem &p, DictionaryAttr config) {
  FlashConfig fc = FlashConfig::from(config);
  const int64_t warpgroups = fc.bq / kBlock, stages = fc.stages;
  const int64_t threads = warpgroups * kWarpgroupThreads;
  AttentionOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  MLIRContext *ctx = b.getContext();
  Type element = op.getType().getElementType();
  Type f32 = b.getF32Type();
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto add = [&](Value x, Value y) { return arith::AddIOp::create(b, x, y).getResult(); };
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };
  auto cmp = [&](arith::CmpIPredicate pred, Value x, Value y) {
    return arith::CmpIOp::create(b, pred, x, y).getResult();
  };
  auto fconst = [&](double v) { return constFloat(b, f32, v); };
  const int64_t d = p.d, lq = p.lq, lk = p.lk;
  FlashLayout layout{d, warpgroups, stages};
  double scale = op.getScale() ? op.getScale()->convertToDouble() : 1.0 / std::sqrt(double(d));

  Value qFlat = flatBuffer(b, op.getQuery()), kFlat = flatBuffer(b, op.getKey());
  Value vFlat = flatBuffer(b, op.getValue());
  Value mask = op.getMask() ? flatBuffer(b, op.getMask()) : Value();
  auto [result, out] = allocResult(b, op.getType(), ValueRange{});
  Value descQ = createTmaDescriptor(b, qFlat, idx(p.batch * lq), idx(d), kBlock);
  Value descK = createTmaDescriptor(b, kFlat, idx(p.batch * lk), idx(d), kBlock);
  Value descV = createTmaDescriptor(b, vFlat, idx(p.batch * lk), idx(d), kBlock);

  gpu::LaunchOp launch =
      buildLaunch(b, idx((lq + fc.bq - 1) / fc.bq), idx(p.batch), idx(1), threads, {},
                  "attention_flash_d" + std::to_string(d) + "_q" + std::to_string(fc.bq) + "_s" +
                      std::to_string(stages),
                  config, layout.total());
  Value tid = launch.getThreadIds().x;
  Value q0 = mul(launch.getBlockIds().x, idx(fc.bq));
  Value warpgroup = arith::DivUIOp::create(b, tid, idx(kWarpgroupThreads));
  Value bh = launch.getBlockIds().y;
  Value qRow0 = add(mul(bh, idx(lq)), q0), kvRow0 = mul(bh, idx(lk));
  SharedArena smem = SharedArena::create(b);

  // Barriers 0..stages-1: the K/V stages; `stages`: Q.
  auto barrierType = nvgpu::MBarrierGroupType::get(
      ctx, gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup), stages + 1);
  Value barriers = nvgpu::MBarrierCreateOp::create(b, barrierType);
  Value qBarrier = idx(stages);
  Value isFirst = cmp(arith::CmpIPredicate::eq, tid, idx(0));
  for (int64_t i = 0; i <= stages; ++i)
    nvgpu::MBarrierInitOp::create(b, barriers, idx(1), idx(i), isFirst);
  gpu::BarrierOp::create(b);

  // Blocks of keys; causal attention stops at the diagonal.
  int64_t kvBlocks = (lk + kBlock - 1) / kBlock;
  Value kvEnd = idx(kvBlocks);
  if (op.getCausal())
    kvEnd = arith::MinUIOp::create(b, kvEnd, arith::CeilDivUIOp::create(b, add(q0, idx(fc.bq)),
                                                                       idx(kBlock)));
  Value kvEndValue = kvEnd;
  int64_t boxes = d / kSwizzleElements;
  auto loadTile = [&](ImplicitLocOpBuilder &lb, Value map, Value row, int64_t dst, Value dstDyn,
                      Value barrier) {
    for (int64_t a = 0; a < boxes; ++a) {
      Value at = arith::AddIOp::create(lb, dstDyn, idx(dst + a * kBlock * 128));
      nvgpu::TmaAsyncLoadOp::create(lb, smem.at(lb, at, {kBlock, kSwizzleElements}, element),
                                    barriers, map, ValueRange{idx(a * kSwizzleElements), row},
                                    barrier, Value(), Value());
    }
  };
  // Keys [j*64, j*64 + 64) into stage `stage` (a Value).
  auto loadKeys = [&](ImplicitLocOpBuilder &lb, Value j, Value stage) {
    nvgpu::MBarrierArriveExpectTxOp::create(lb, barriers, idx(2 * layout.tileBytes()), stage,
                                            Value());
    Value row = arith::AddIOp::create(lb, kvRow0, arith::MulIOp::create(lb, j, idx(kBlock)));
    Value shift = arith::MulIOp::create(lb, stage, idx(layout.tileBytes()));
    loadTile(lb, descK, row, layout.k(0), shift, stage);
    loadTile(lb, descV, row, layout.v(0), shift, stage);
  };
  {
    auto first = scf::IfOp::create(b, isFirst, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(first.thenBlock());
    nvgpu::TmaPrefetchOp::create(b, descK, Value());
    nvgpu::TmaPrefetchOp::create(b, descV, Value());
    nvgpu::MBarrierArriveExpectTxOp::create(b, barriers, idx(warpgroups * layout.tileBytes()),
                                            qBarrier, Value());
    for (int64_t w = 0; w < warpgroups; ++w)
      loadTile(b, descQ, add(qRow0, idx(w * kBlock)), layout.q() + w * layout.tileBytes(), idx(0),
               qBarrier);
    // The ring starts full (as far as there are blocks).
    for (int64_t j = 0; j + 1 < stages; ++j) {
      auto load = scf::IfOp::create(b, cmp(arith::CmpIPredicate::ult, idx(j), kvEndValue), false);
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(load.thenBlock());
      loadKeys(b, idx(j), idx(j));
    }
  }
  Value ticks = idx(10000000);
  Value falseBit = arith::ConstantIntOp::create(b, 0, 1);
  nvgpu::MBarrierTryWaitParityOp::create(b, barriers, falseBit, ticks, qBarrier);

  // Thread t owns half of row t/2: columns [h*32, h*32+32) of S and
  // [h*d/2, h*d/2 + d/2) of O.
  Value row = arith::DivUIOp::create(b, tid, idx(2));
  Value half = arith::RemUIOp::create(b, tid, idx(2));
  Value qPos = add(q0, row);
  const int64_t sCols = kBlock / 2, oCols = d / 2;
  Value negInf = fconst(-std::numeric_limits<double>::infinity());
  SmallVector<Value> init = {negInf, fconst(0.0)};
  for (int64_t c = 0; c < oCols; ++c)
    init.push_back(fconst(0.0));

  auto sAcc = nvgpu::WarpgroupAccumulatorType::get(ctx, VectorType::get({kBlock, kBlock}, f32));
  auto oAcc = nvgpu::WarpgroupAccumulatorType::get(ctx, VectorType::get({kBlock, d}, f32));
  // nvgpu's fragment store numbers warps across the block: every warpgroup
  // is given the view at row 0 and warpgroup w lands in rows 64w.. .
  Value scratch2d = smem.at(b, idx(layout.scratch()), {fc.bq, layout.scratchRow()}, f32);
  auto fragmentView = [&](int64_t cols) {
    return memref::SubViewOp::create(
        b, scratch2d, ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(kBlock), b.getIndexAttr(cols)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  };
  Value scratch = smem.at(b, idx(layout.scratch()), {fc.bq * layout.scratchRow()}, f32);
  Value pFlat = smem.at(b, idx(layout.p()), {warpgroups * kBlock * kBlock}, element);
  // Steps inside one warpgroup use its own named barrier (1 + warpgroup);
  // the ring and the scratch are the whole block's.
  // (Barrier ids stay constants: a computed id makes ptxas reserve all 16.)
  auto barrier = [&] {
    if (warpgroups == 1)
      return namedBarrier(b, 1, kWarpgroupThreads);
    auto which = scf::IfOp::create(b, cmp(arith::CmpIPredicate::eq, warpgroup, idx(0)), true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(which.thenBlock());
    namedBarrier(b, 1, kWarpgroupThreads);
    b.setInsertionPointToStart(which.elseBlock());
    namedBarrier(b, 2, kWarpgroupThreads);
  };
  auto readScratch = [&](Value col, int64_t count) {
    SmallVector<Value> values;
    Value base = add(mul(row, idx(layout.scratchRow())), col);
    for (int64_t c = 0; c < count; c += 4) {
      Value v = vector::LoadOp::create(b, VectorType::get({4}, f32), scratch,
                                       ValueRange{add(base, idx(c))}, false, llvm::Align(16));
      for (int64_t e = 0; e < 4; ++e)
        values.push_back(vector::ExtractOp::create(b, v, e));
    }
    return values;
  };
  auto shuffleMax = [&](Value x) {
    Value other = gpu::ShuffleOp::create(b, x, 1, kWarpSize, gpu::ShuffleMode::XOR).getResult(0);
    return arith::MaximumFOp::create(b, x, other).getResult();
  };
  auto shuffleSum = [&](Value x) {
    Value other = gpu::ShuffleOp::create(b, x, 1, kWarpSize, gpu::ShuffleMode::XOR).getResult(0);
    return arith::AddFOp::create(b, x, other).getResult();
  };

  auto loop = scf::ForOp::create(b, idx(0), kvEnd, idx(1), init);
  b.setInsertionPointToStart(loop.getBody());
  Value j = loop.getInductionVar();
  Value m = loop.getRegionIterArgs()[0], l = loop.getRegionIterArgs()[1];
  SmallVector<Value> o(loop.getRegionIterArgs().drop_front(2));
  Value stage = arith::RemUIOp::create(b, j, idx(stages));
  Value parity = arith::TruncIOp::create(
      b, b.getI1Type(),
      arith::IndexCastOp::create(b, b.getI64Type(), arith::DivUIOp::create(b, j, idx(stages))));
  nvgpu::MBarrierTryWaitParityOp::create(b, barriers, parity, ticks, stage);
  {
    // Block j + stages - 1 goes where block j - 1 was, read in the step
    // that the block barrier below closed.
    Value next = add(j, idx(stages - 1));
    auto prefetch = scf::IfOp::create(
        b, arith::AndIOp::create(b, isFirst, cmp(arith::CmpIPredicate::ult, next, kvEnd)), false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(prefetch.thenBlock());
    loadKeys(b, next, arith::RemUIOp::create(b, next, idx(stages)));
  }
  Value shift = mul(stage, idx(layout.tileBytes()));

  // S = Q K^T over d in 16-deep steps (both operands k-contiguous).
  Value s = nvgpu::WarpgroupMmaInitAccumulatorOp::create(b, sAcc);
  for (int64_t kk = 0; kk < d / 16; ++kk) {
    int64_t step = (kk / 4) * kBlock * 128 + (kk % 4) * 32;
    Value dq = wgmmaDescriptor(b, smem, add(mul(warpgroup, idx(layout.tileBytes())),
                                            idx(layout.q() + step)),
                               {kBlock, 16}, element, descQ);
    Value dk = wgmmaDescriptor(b, smem, add(shift, idx(layout.k(0) + step)), {16, kBlock}, element,
                               descK);
    s = nvgpu::WarpgroupMmaOp::create(b, sAcc, dq, dk, /*waitGroup=*/1, UnitAttr(), UnitAttr(), s);
  }
  NVVM::WgmmaWaitGroupSyncOp::create(b, uint64_t(0));
  nvgpu::WarpgroupMmaStoreOp::create(b, s, fragmentView(kBlock));
  barrier();

  // Online softmax on this thread's 32 scores.
  Value col0 = mul(half, idx(sCols));
  SmallVector<Value> x = readScratch(col0, sCols);
  Value kPos0 = add(mul(j, idx(kBlock)), col0);
  Value maskRow;
  if (mask) {
    // The mask row of this query (clamped: a row past Lq is never stored).
    Value qClamped = arith::MinUIOp::create(b, qPos, idx(lq - 1));
    maskRow = mul(qClamped, idx(lk));
    if (p.batchedMask)
      maskRow = add(mul(bh, idx(lq * lk)), maskRow);
  }
  // Mask values: 16-byte loads when rows are whole 8-element chunks (a
  // chunk past Lk is clamped back; its keys are masked below anyway).
  SmallVector<Value> maskValues;
  for (int64_t c = 0; mask && c < sCols; c += (lk % 8 == 0 ? 8 : 1)) {
    Value kPos = add(kPos0, idx(c));
    if (lk % 8 == 0) {
      Value at = add(maskRow, arith::MinUIOp::create(b, kPos, idx(lk - 8)));
      Value chunk = loadVector(b, mask, at, 8, f32);
      for (int64_t e = 0; e < 8; ++e)
        maskValues.push_back(vector::ExtractOp::create(b, chunk, e));
    } else {
      Value at = add(maskRow, arith::MinUIOp::create(b, kPos, idx(lk - 1)));
      maskValues.push_back(loadElement(b, mask, at, f32));
    }
  }
  Value rowMax = negInf;
  for (int64_t c = 0; c < sCols; ++c) {
    Value kPos = add(kPos0, idx(c));
    Value v = arith::MulFOp::create(b, x[c], fconst(scale));
    if (mask)
      v = arith::AddFOp::create(b, v, maskValues[c]);
    Value dead = cmp(arith::CmpIPredicate::uge, kPos, idx(lk));
    if (op.getCausal())
      dead = arith::OrIOp::create(b, dead, cmp(arith::CmpIPredicate::ugt, kPos, qPos));
    x[c] = arith::SelectOp::create(b, dead, negInf, v);
    rowMax = arith::MaximumFOp::create(b, rowMax, x[c]);
  }
  Value mNew = arith::MaximumFOp::create(b, m, shuffleMax(rowMax));
  // A row with every key masked so far subtracts 0 (exp(-inf) = 0), not -inf.
  Value mSafe = arith::SelectOp::create(
      b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mNew, negInf), fconst(0.0), mNew);
  Value alpha = math::ExpOp::create(b, arith::SubFOp::create(b, m, mSafe));
  Value rowSum = fconst(0.0);
  SmallVector<Value> probs;
  for (int64_t c = 0; c < sCols; ++c) {
    Value e = math::ExpOp::create(b, arith::SubFOp::create(b, x[c], mSafe));
    rowSum = arith::AddFOp::create(b, rowSum, e);
    probs.push_back(e);
  }
  Value lNew = arith::AddFOp::create(b, arith::MulFOp::create(b, l, alpha), shuffleSum(rowSum));
  // P[row, c] in the 128-byte swizzle: 16-byte chunk q of row r sits at
  // chunk q ^ (r % 8).
  Value rowMod = arith::RemUIOp::create(b, row, idx(8));
  Value pRow = row; // row * 64 elements: warpgroup w's P starts at 64w rows
  for (int64_t q = 0; q < sCols / 8; ++q) {
    Value chunk = add(mul(half, idx(sCols / 8)), idx(q));
    Value swizzled = arith::XOrIOp::create(b, chunk, rowMod);
    Value at = add(mul(pRow, idx(kBlock)), mul(swizzled, idx(8)));
    Value v = vector::FromElementsOp::create(b, VectorType::get({8}, f32),
                                             ArrayRef<Value>(probs).slice(q * 8, 8));
    vector::StoreOp::create(b, convertFloat(b, v, element), pFlat, ValueRange{at}, false,
                            llvm::Align(16));
  }
  // P is read by the tensor cores (the async proxy) next.
  NVVM::FenceProxyOp::create(b, NVVM::ProxyKindAttr::get(ctx, NVVM::ProxyKind::async_shared),
                             NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
  barrier();

  // O_blk = P V (V n-contiguous: nvgpu steps the 64-deep tile).
  Value ob = nvgpu::WarpgroupMmaInitAccumulatorOp::create(b, oAcc);
  Value dp = wgmmaDescriptor(b, smem, add(mul(warpgroup, idx(layout.pBytes())), idx(layout.p())),
                            {kBlock, kBlock}, element, descQ);
  Value dv = wgmmaDescriptor(b, smem, add(shift, idx(layout.v(0))), {kBlock, d}, element, descV);
  ob = nvgpu::WarpgroupMmaOp::create(b, oAcc, dp, dv, /*waitGroup=*/1, UnitAttr(),
                                     UnitAttr::get(ctx), ob);
  NVVM::WgmmaWaitGroupSyncOp::create(b, uint64_t(0));
  nvgpu::WarpgroupMmaStoreOp::create(b, ob, fragmentView(d));
  barrier();
  SmallVector<Value> blockOut = readScratch(mul(half, idx(oCols)), oCols);
  SmallVector<Value> next = {mNew, lNew};
  for (int64_t c = 0; c < oCols; ++c)
    next.push_back(arith::AddFOp::create(b, arith::MulFOp::create(b, o[c], alpha), blockOut[c]));
  // The stage read here is refilled in the next step: the whole block.
  gpu::BarrierOp::create(b);
  scf::YieldOp::create(b, next);

  // O / l, stored as 16-byte vectors; rows past Lq are not stored.
  b.setInsertionPointAfter(loop);
  Value lFinal = loop.getResult(1);
  Value empty = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, lFinal, fconst(0.0));
  Value inv = arith::SelectOp::create(b, empty, fconst(0.0),
                                      arith::DivFOp::create(b, fconst(1.0), lFinal));
  auto store = scf::IfOp::create(b, cmp(arith::CmpIPredicate::ult, qPos, idx(lq)), false);
  b.setInsertionPointToStart(store.thenBlock());
  Value outRow = add(mul(add(mul(bh, idx(lq)), qPos), idx(d)), mul(half, idx(oCols)));
  for (int64_t c = 0; c < oCols; c += 8) {
    SmallVector<Value> lanes;
    for (int64_t e = 0; e < 8; ++e)
      lanes.push_back(arith::MulFOp::create(b, loop.getResult(2 + c + e), inv));
    Value v = vector::FromElementsOp::create(b, VectorType::get({8}, f32), lanes);
    storeValue(b, v, out, add(outRow, idx(c)));
  }
  b.setInsertionPointAfter(launch);
  return result;
}

class FlashAttentionStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "attention_flash"; }
  int priority() const override { return 110; }
  bool supportsTarget(const GpuTarget &target, std::string &whyNot) const override {
    if (target.hasWgmma())
      return true;
    whyNot = "wgmma needs sm_90a, the target is " + target.chip;
    return false;
  }
  std::unique_ptr<KernelProblem> match(Operation *operation, std::string &whyNot) const override {
    auto op = dyn_cast<AttentionOp>(operation);
    if (!op)
      return nullptr;
    auto reject = [&](const char *why) -> std::unique_ptr<KernelProblem> {
      whyNot = why;
      return nullptr;
    };
    auto q = cast<RankedTensorType>(op.getQuery().getType());
    auto k = cast<RankedTensorType>(op.getKey().getType());
    auto v = cast<RankedTensorType>(op.getValue().getType());
    Type element = q.getElementType();
    if (!element.isF16() && !element.isBF16())
      return reject("not f16 or bf16");
    if (k.getElementType() != element || v.getElementType() != element)
      return reject("mixed element types");
    if (!q.hasStaticShape() || !k.hasStaticShape() || !v.hasStaticShape())
      return reject("dynamic shapes");
    int64_t rank = q.getRank();
    if (rank < 3 || k.getRank() != rank || v.getRank() != rank)
      return reject("operands are not [batch..., length, head] of one rank");
    if (q.getShape().drop_back(2) != k.getShape().drop_back(2) ||
        q.getShape().drop_back(2) != v.getShape().drop_back(2))
      return reject("broadcast batch dimensions");
    auto p = std::make_unique<AttentionProblem>(op);
    p->lq = q.getDimSize(rank - 2);
    p->lk = k.getDimSize(rank - 2);
    p->d = q.getDimSize(rank - 1);
    if (p->d != 64 && p->d != 128)
      return reject("head size is not 64 or 128");
    if (k.getDimSize(rank - 1) != p->d || v.getDimSize(rank - 1) != p->d ||
        v.getDimSize(rank - 2) != p->lk)
      return reject("key/value sizes differ from the query's head size");
    if (p->lq == 0 || p->lk == 0)
      return reject("zero-sized sequences");
    for (int64_t dim : q.getShape().drop_back(2))
      p->batch *= dim;
    if (Value mask = op.getMask()) {
      auto type = cast<RankedTensorType>(mask.getType());
      if (type.getElementType() != element)
        return reject("the mask is not additive in the operands' type");
      if (!type.hasStaticShape() || type.getRank() < 2 ||
          type.getShape().take_back(2) != ArrayRef<int64_t>{p->lq, p->lk})
        return reject("the mask is not [..., Lq, Lk]");
      ArrayRef<int64_t> lead = type.getShape().drop_back(2);
      bool ones = llvm::all_of(lead, [](int64_t s) { return s == 1; });
      if (!ones && lead != q.getShape().drop_back(2))
        return reject("the mask broadcasts over only some batch dimensions");
      p->batchedMask = !ones;
    }
    return p;
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem, const GpuTarget &) const override {
    // Measured on an H200 (bench/sweep.py attention, docs/Benchmarks.md):
    // deeper rings did not help; two warpgroups sharing K/V blocks won 8% on
    // causal S4096 D128 and lost 3% on S1024 D64.
    auto &p = static_cast<const AttentionProblem &>(problem);
    int64_t bq = p.op.getCausal() ? 128 : 64;
    return makeConfig(problem.op->getContext(), {{"bq", bq}, {"bkv", kBlock}, {"stages", 2}});
  }
  LogicalResult verifyConfig(const KernelProblem &, DictionaryAttr config,
                             std::string &error) const override {
    if (failed(checkConfigKeys(config, {"bq", "bkv", "stages"}, error)))
      return failure();
    int64_t bq = *configInt(config, "bq"), stages = *configInt(config, "stages");
    if ((bq != 64 && bq != 128) || *configInt(config, "bkv") != kBlock) {
      error = "bq must be 64 or 128 (one or two warpgroups) and bkv 64";
      return failure();
    }
    if (stages < 2 || stages > 3) {
      error = "stages must be 2 or 3";
      return failure();
    }
    return success();
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitFlashAttention(rewriter, static_cast<const AttentionProblem &>(problem), config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createFlashAttentionStrategy() {
  return std::make_unique<FlashAttentionStrategy>();
}

} // namespace axon::gpu_kernels
