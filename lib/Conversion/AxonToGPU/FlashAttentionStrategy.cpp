//===- FlashAttentionStrategy.cpp - Strategy "attention_flash" (sm_90a) ---===//
//
// axon.attention in f16/bf16 as ONE kernel (flash attention): a block of
// one or two warpgroups owns 64 query rows each of one (batch, head); Q is
// loaded once by TMA, K and V blocks of 64 keys stream through a ring of
// TMA stages shared by the warpgroups. Per block of keys:
//   S = Q K^T        wgmma (both operands k-contiguous, 16-deep steps) into
//                    registers: nvvm.wgmma.mma_async, whose accumulators are
//                    values (nvgpu's are opaque)
//   online softmax   on the fragments: each thread holds two rows' worth of
//                    columns; row max and sum over the 4 lanes of a row by
//                    shuffles; scale, additive mask ([Lq, Lk] or per batch),
//                    causality and the key tail applied; O rescaled in place
//   O += P V         P written as f16 pairs in the swizzled layout wgmma
//                    reads (then an async-proxy fence), V n-contiguous.
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
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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
/// warpgroup), the K and V stages, P (a tile per warpgroup).
struct FlashLayout {
  int64_t d, warpgroups, stages;
  int64_t tileBytes() const { return kBlock * d * 2; } // 64 rows of Q, K or V
  int64_t q() const { return 0; }
  int64_t k(int64_t stage) const { return tileBytes() * (warpgroups + stage); }
  int64_t v(int64_t stage) const { return tileBytes() * (warpgroups + stages + stage); }
  int64_t p() const { return tileBytes() * (warpgroups + 2 * stages); }
  int64_t pBytes() const { return kBlock * kBlock * 2; }
  int64_t total() const { return p() + warpgroups * pBytes() + kSwizzleAlign; }
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
      auto load = scf::IfOp::create(b, cmp(arith::CmpIPredicate::ult, idx(j), kvEnd), false);
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(load.thenBlock());
      loadKeys(b, idx(j), idx(j));
    }
  }
  Value ticks = idx(10000000);
  Value falseBit = arith::ConstantIntOp::create(b, 0, 1);
  nvgpu::MBarrierTryWaitParityOp::create(b, barriers, falseBit, ticks, qBarrier);

  // Registers of a 64xN wgmma accumulator: thread (warp w of its
  // warpgroup, lane l) holds rows r0 = 16w + l/4 and r1 = r0 + 8; value
  // 4c + {0, 1} is (r0, 8c + 2(l%4) + {0, 1}), 4c + {2, 3} the same in r1.
  Value lane = arith::RemUIOp::create(b, tid, idx(kWarpSize));
  Value warpInGroup =
      arith::RemUIOp::create(b, arith::DivUIOp::create(b, tid, idx(kWarpSize)), idx(4));
  Value r0 = add(mul(warpInGroup, idx(16)), arith::DivUIOp::create(b, lane, idx(4)));
  Value r1 = add(r0, idx(8));
  Value colInChunk = mul(arith::RemUIOp::create(b, lane, idx(4)), idx(2));
  Value groupRow0 = add(q0, mul(warpgroup, idx(kBlock)));
  Value qPos[2] = {add(groupRow0, r0), add(groupRow0, r1)};
  const int64_t sRegs = kBlock * kBlock / kWarpgroupThreads;
  const int64_t oRegs = kBlock * d / kWarpgroupThreads;
  auto regRow = [](int64_t i) { return (i % 4) / 2; };
  auto regCol = [&](int64_t i) { return add(idx(8 * (i / 4) + i % 2), colInChunk); };

  auto structOf = [&](int64_t n) {
    return LLVM::LLVMStructType::getLiteral(ctx, SmallVector<Type>(n, f32));
  };
  Type sStruct = structOf(sRegs), oStruct = structOf(oRegs);
  auto get = [&](Value agg, int64_t i) {
    return LLVM::ExtractValueOp::create(b, agg, ArrayRef<int64_t>{i}).getResult();
  };
  auto set = [&](Value agg, Value v, int64_t i) {
    return LLVM::InsertValueOp::create(b, agg, v, ArrayRef<int64_t>{i}).getResult();
  };

  // wgmma descriptors of 128-byte-swizzled tiles (the fields nvgpu writes):
  // start address >> 4, leading byte offset 8192 >> 4 (the next 64-column
  // box, for n-contiguous B), stride 1024 >> 4 (8 rows), swizzle mode 1.
  Value smemAddress = arith::IndexCastOp::create(
      b, b.getI64Type(),
      add(memref::ExtractAlignedPointerAsIndexOp::create(b, smem.raw), smem.base));
  auto i64c = [&](int64_t v) { return arith::ConstantIntOp::create(b, v, 64).getResult(); };
  Value descFields = i64c((int64_t(512) << 16) | (int64_t(64) << 32) | (int64_t(1) << 62));
  auto descriptor = [&](Value offset) {
    Value address = arith::AddIOp::create(
        b, smemAddress, arith::IndexCastOp::create(b, b.getI64Type(), offset));
    Value field = arith::ShRUIOp::create(b, arith::AndIOp::create(b, address, i64c(0x3FFFF)),
                                         i64c(4));
    return arith::OrIOp::create(b, field, descFields).getResult();
  };
  auto wgmmaType = [&](Type t) {
    return NVVM::WGMMATypesAttr::get(ctx, t.isF16()    ? NVVM::WGMMATypes::f16
                                          : t.isBF16() ? NVVM::WGMMATypes::bf16
                                                       : NVVM::WGMMATypes::f32);
  };
  // bTransposed: B is n-contiguous (V); else k-contiguous (K).
  auto mma = [&](Type resultType, Value acc, Value descA, Value descB, int64_t n, bool zero,
                 bool bTransposed) {
    return NVVM::WgmmaMmaAsyncOp::create(
               b, resultType, acc, descA, descB, NVVM::MMAShapeAttr::get(ctx, 64, n, 16),
               wgmmaType(element), wgmmaType(element), wgmmaType(f32),
               NVVM::WGMMAScaleOutAttr::get(ctx, zero ? NVVM::WGMMAScaleOut::zero
                                                      : NVVM::WGMMAScaleOut::one),
               NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
               NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
               NVVM::MMALayoutAttr::get(ctx, NVVM::MMALayout::row),
               // NVVM's B layout: `col` is k-contiguous (wgmma's own), `row`
               // n-contiguous (the transposed form).
               NVVM::MMALayoutAttr::get(ctx, bTransposed ? NVVM::MMALayout::row
                                                         : NVVM::MMALayout::col),
               NVVM::MMAIntOverflowAttr())
        .getResult();
  };

  Value negInf = fconst(-std::numeric_limits<double>::infinity());
  Value zeroO = LLVM::PoisonOp::create(b, oStruct);
  for (int64_t i = 0; i < oRegs; ++i)
    zeroO = set(zeroO, fconst(0.0), i);
  SmallVector<Value> init = {negInf, negInf, fconst(0.0), fconst(0.0), zeroO};

  Value pFlat = smem.at(b, idx(layout.p()), {warpgroups * kBlock * kBlock}, element);
  Value pBase = add(idx(layout.p()), mul(warpgroup, idx(layout.pBytes())));
  Value qBase = add(idx(layout.q()), mul(warpgroup, idx(layout.tileBytes())));
  // Steps inside one warpgroup use its own named barrier (1 + warpgroup);
  // the K/V ring is the whole block's.
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
  // Reductions over the four lanes that share a row.
  auto quadReduce = [&](Value x, bool isMax) {
    for (int32_t offset : {1, 2}) {
      Value other =
          gpu::ShuffleOp::create(b, x, offset, kWarpSize, gpu::ShuffleMode::XOR).getResult(0);
      x = isMax ? arith::MaximumFOp::create(b, x, other).getResult()
                : arith::AddFOp::create(b, x, other).getResult();
    }
    return x;
  };

  auto loop = scf::ForOp::create(b, idx(0), kvEnd, idx(1), init);
  b.setInsertionPointToStart(loop.getBody());
  Value j = loop.getInductionVar();
  Value m[2] = {loop.getRegionIterArgs()[0], loop.getRegionIterArgs()[1]};
  Value l[2] = {loop.getRegionIterArgs()[2], loop.getRegionIterArgs()[3]};
  Value o = loop.getRegionIterArgs()[4];
  Value stage = arith::RemUIOp::create(b, j, idx(stages));
  nvgpu::MBarrierTryWaitParityOp::create(b, barriers, ringParity(b, j, stages), ticks, stage);
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

  // S = Q K^T over d in 16-deep steps (both operands k-contiguous: each
  // step starts 32 bytes further along the swizzled rows, the next 64
  // columns one box further).
  NVVM::WgmmaFenceAlignedOp::create(b);
  Value sAcc = LLVM::PoisonOp::create(b, sStruct);
  for (int64_t kk = 0; kk < d / 16; ++kk) {
    int64_t step = (kk / 4) * kBlock * 128 + (kk % 4) * 32;
    sAcc = mma(sStruct, sAcc, descriptor(add(qBase, idx(step))),
               descriptor(add(shift, idx(layout.k(0) + step))), kBlock, kk == 0, false);
  }
  NVVM::WgmmaGroupSyncAlignedOp::create(b);
  NVVM::WgmmaWaitGroupSyncOp::create(b, uint64_t(0));

  // Online softmax in registers.
  Value kBase = mul(j, idx(kBlock));
  SmallVector<Value> x(sRegs), maskValues(sRegs);
  // Mask values come in the fragment's column pairs: one 4-byte load each
  // when Lk is even (a pair past Lk is clamped back; its keys are masked).
  for (int64_t i = 0; mask && i < sRegs; i += 2) {
    Value qClamped = arith::MinUIOp::create(b, qPos[regRow(i)], idx(lq - 1));
    Value rowAt = mul(qClamped, idx(lk));
    if (p.batchedMask)
      rowAt = add(mul(bh, idx(lq * lk)), rowAt);
    Value kPos = add(kBase, regCol(i));
    if (lk % 2 == 0) {
      Value pair = loadVector(b, mask, add(rowAt, arith::MinUIOp::create(b, kPos, idx(lk - 2))),
                              2, f32);
      maskValues[i] = vector::ExtractOp::create(b, pair, 0);
      maskValues[i + 1] = vector::ExtractOp::create(b, pair, 1);
    } else {
      for (int64_t e = 0; e < 2; ++e)
        maskValues[i + e] = loadElement(
            b, mask, add(rowAt, arith::MinUIOp::create(b, add(kPos, idx(e)), idx(lk - 1))), f32);
    }
  }
  Value rowMax[2] = {negInf, negInf};
  for (int64_t i = 0; i < sRegs; ++i) {
    int64_t r = regRow(i);
    Value kPos = add(kBase, regCol(i));
    Value v = arith::MulFOp::create(b, get(sAcc, i), fconst(scale));
    if (mask)
      v = arith::AddFOp::create(b, v, maskValues[i]);
    Value dead = cmp(arith::CmpIPredicate::uge, kPos, idx(lk));
    if (op.getCausal())
      dead = arith::OrIOp::create(b, dead, cmp(arith::CmpIPredicate::ugt, kPos, qPos[r]));
    x[i] = arith::SelectOp::create(b, dead, negInf, v);
    rowMax[r] = arith::MaximumFOp::create(b, rowMax[r], x[i]);
  }
  Value mNew[2], mSafe[2], alpha[2], rowSum[2];
  for (int r = 0; r < 2; ++r) {
    mNew[r] = arith::MaximumFOp::create(b, m[r], quadReduce(rowMax[r], true));
    // A row with every key masked so far subtracts 0 (exp(-inf) = 0).
    mSafe[r] = arith::SelectOp::create(
        b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mNew[r], negInf), fconst(0.0),
        mNew[r]);
    alpha[r] = math::ExpOp::create(b, arith::SubFOp::create(b, m[r], mSafe[r]));
    rowSum[r] = fconst(0.0);
  }
  SmallVector<Value> probs(sRegs);
  for (int64_t i = 0; i < sRegs; ++i) {
    int64_t r = regRow(i);
    probs[i] = math::ExpOp::create(b, arith::SubFOp::create(b, x[i], mSafe[r]));
    rowSum[r] = arith::AddFOp::create(b, rowSum[r], probs[i]);
  }
  Value lNew[2];
  for (int r = 0; r < 2; ++r)
    lNew[r] = arith::AddFOp::create(b, arith::MulFOp::create(b, l[r], alpha[r]),
                                    quadReduce(rowSum[r], false));
  for (int64_t i = 0; i < oRegs; ++i)
    o = set(o, arith::MulFOp::create(b, get(o, i), alpha[regRow(i)]), i);

  // P (f16 pairs) into this warpgroup's swizzled tile: 16-byte chunk c of
  // row r sits at chunk c ^ (r % 8).
  Value rows[2] = {r0, r1};
  for (int64_t i = 0; i < sRegs; i += 2) {
    Value r = rows[regRow(i)];
    Value chunk = idx(i / 4);
    Value swizzled = arith::XOrIOp::create(b, chunk, arith::RemUIOp::create(b, r, idx(8)));
    Value at = add(add(mul(add(mul(warpgroup, idx(kBlock)), r), idx(kBlock)),
                       mul(swizzled, idx(8))),
                   colInChunk);
    Value pair = vector::FromElementsOp::create(b, VectorType::get({2}, f32),
                                                ValueRange{probs[i], probs[i + 1]});
    vector::StoreOp::create(b, convertFloat(b, pair, element), pFlat, ValueRange{at}, false,
                            llvm::Align(4));
  }
  // P is read by the tensor cores (the async proxy) next.
  NVVM::FenceProxyOp::create(b, NVVM::ProxyKindAttr::get(ctx, NVVM::ProxyKind::async_shared),
                             NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
  barrier();

  // O += P V: P k-contiguous (steps of 32 bytes), V n-contiguous (steps of
  // 16 rows = 2048 bytes; its 64-column boxes 8192 bytes apart).
  NVVM::WgmmaFenceAlignedOp::create(b);
  for (int64_t kk = 0; kk < kBlock / 16; ++kk)
    o = mma(oStruct, o, descriptor(add(pBase, idx(kk * 32))),
            descriptor(add(shift, idx(layout.v(0) + kk * 2048))), d, false, true);
  NVVM::WgmmaGroupSyncAlignedOp::create(b);
  NVVM::WgmmaWaitGroupSyncOp::create(b, uint64_t(0));
  // The stage read here is refilled, and P rewritten, in the next step.
  gpu::BarrierOp::create(b);
  scf::YieldOp::create(b, ValueRange{mNew[0], mNew[1], lNew[0], lNew[1], o});

  // O / l, stored as f16 pairs; rows past Lq are not stored.
  b.setInsertionPointAfter(loop);
  Value oFinal = loop.getResult(4);
  Value inv[2];
  for (int r = 0; r < 2; ++r) {
    Value lFinal = loop.getResult(2 + r);
    Value empty = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, lFinal, fconst(0.0));
    inv[r] = arith::SelectOp::create(b, empty, fconst(0.0),
                                     arith::DivFOp::create(b, fconst(1.0), lFinal));
  }
  for (int r = 0; r < 2; ++r) {
    auto store = scf::IfOp::create(b, cmp(arith::CmpIPredicate::ult, qPos[r], idx(lq)), false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(store.thenBlock());
    Value outRow = mul(add(mul(bh, idx(lq)), qPos[r]), idx(d));
    for (int64_t i = 2 * r; i < oRegs; i += 4) {
      Value pair = vector::FromElementsOp::create(
          b, VectorType::get({2}, f32),
          ValueRange{arith::MulFOp::create(b, get(oFinal, i), inv[r]),
                     arith::MulFOp::create(b, get(oFinal, i + 1), inv[r])});
      vector::StoreOp::create(b, convertFloat(b, pair, element), out,
                              ValueRange{add(outRow, regCol(i))}, false, llvm::Align(4));
    }
  }
  b.setInsertionPointAfter(launch);
  return result;
}

class FlashAttentionStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "attention_flash"; }
  int priority() const override { return 110; }
  bool supportsTarget(const GpuTarget &target, std::string &whyNot) const override {
    return target.hasWgmma(whyNot);
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
    // one warpgroup per block and two stages were fastest for both
    // S1024 D64 and causal S4096 D128.
    int64_t bq = kBlock;
    return makeConfig(problem.op->getContext(), {{"bq", bq}, {"bkv", kBlock}, {"stages", 2}});
  }
  std::vector<DictionaryAttr> candidateConfigs(const KernelProblem &problem,
                                               const GpuTarget &target) const override {
    std::vector<DictionaryAttr> proposed;
    for (int64_t bq : {64, 128})
      for (int64_t stages : {2, 3})
        proposed.push_back(makeConfig(problem.op->getContext(),
                                      {{"bq", bq}, {"bkv", kBlock}, {"stages", stages}}));
    return validCandidates(*this, problem, target, proposed);
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
