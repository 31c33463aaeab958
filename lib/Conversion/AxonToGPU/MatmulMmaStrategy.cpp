//===- MatmulMmaStrategy.cpp - Strategy "matmul_mma" (sm_80 and later) ----===//
//
// A matmul on the warp-level tensor cores that Ampere introduced
// (`mma.sync`): f16/bf16 operands as m16n8k16 MMAs, and f32 operands as
// m16n8k8 TF32 MMAs when the pipeline allows TF32 (`allow-tf32`; off by
// default, so f32 stays exact FMA like torch). This is the tensor-core path
// for chips without wgmma (sm_80, sm_86, sm_89); on sm_90a, f16/bf16 go to
// `matmul_wgmma` and only TF32 comes here.
//
// Each block computes a bm x bn tile with (bm/wm) x (bn/wn) warps, each warp
// a wm x wn sub-tile of 16x8 MMA fragments with f32 accumulators in
// registers. BK-deep slices of A and B are staged through registers into
// two shared-memory stages (the next slice's global loads are in flight
// during the current slice's MMAs), both stored k-contiguous with a 16-byte
// row pad, so that each lane's fragment loads (one 32-bit word per register)
// hit 32 distinct banks. f32 operands are rounded to TF32 (cvt.rna) as they
// are staged. Ragged edges load zeros. Config: {bm, bn, bk, wm, wn}.
//
//===----------------------------------------------------------------------===//

#include "GemmMainLoop.h"
#include "KernelBuilder.h"
#include "MatmulProblem.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

/// The MMA the operand type selects.
struct MmaKind {
  Type element; // f16, bf16 or f32 (as TF32)
  bool isTf32() const { return element.isF32(); }
  /// k of one MMA: 16 for 16-bit operands, 8 for TF32.
  int64_t kStep() const { return isTf32() ? 8 : 16; }
  int64_t elementBytes() const { return isTf32() ? 4 : 2; }
  /// What shared memory holds: the operand type, or TF32 bits as i32.
  Type storageType() const {
    return isTf32() ? IntegerType::get(element.getContext(), 32) : element;
  }
  NVVM::MMATypes ptxType() const {
    return element.isF16()    ? NVVM::MMATypes::f16
           : element.isBF16() ? NVVM::MMATypes::bf16
                              : NVVM::MMATypes::tf32;
  }
};

struct MmaTile {
  int64_t bm = 128, bn = 128, bk = 32, wm = 64, wn = 32;

  int64_t warps() const { return (bm / wm) * (bn / wn); }
  int64_t threads() const { return warps() * kWarpSize; }
  /// Shared row length in elements: bk plus 16 bytes of pad.
  int64_t rowStride(const MmaKind &kind) const { return bk + 16 / kind.elementBytes(); }
  int64_t sharedBytes(const MmaKind &kind) const {
    return 2 * (bm + bn) * rowStride(kind) * kind.elementBytes();
  }
  std::string label() const {
    return "matmul_mma_" + std::to_string(bm) + "x" + std::to_string(bn) + "x" +
           std::to_string(bk) + "_warp" + std::to_string(wm) + "x" + std::to_string(wn);
  }
  DictionaryAttr toConfig(MLIRContext *ctx) const {
    return makeConfig(ctx, {{"bm", bm}, {"bn", bn}, {"bk", bk}, {"wm", wm}, {"wn", wn}});
  }
  static MmaTile fromConfig(DictionaryAttr config) {
    return {*configInt(config, "bm"), *configInt(config, "bn"), *configInt(config, "bk"),
            *configInt(config, "wm"), *configInt(config, "wn")};
  }
  bool isValid(const MmaKind &kind, std::string &error) const {
    if (wm % 16 || wn % 8)
      error = "wm must be a multiple of 16 and wn of 8 (the 16x8 MMA fragment)";
    else if (bm % wm || bn % wn)
      error = "bm and bn must be multiples of wm and wn";
    else if ((wm / 16) * (wn / 8) > 32)
      error = "a warp tile above 32 fragments (128 accumulators) spills";
    else if (threads() > 1024)
      error = std::to_string(threads()) + " threads; a block has at most 1024";
    else if (bk % kind.kStep() || (bk * kind.elementBytes()) % 32)
      error = "bk must be a multiple of " + std::to_string(kind.kStep()) +
              " and span a multiple of 32 bytes";
    else if ((bm * bk) % threads() || (bn * bk) % threads())
      error = "bm*bk and bn*bk must be multiples of the thread count";
    else if (sharedBytes(kind) > 48 * 1024)
      error = "the two stages need " + std::to_string(sharedBytes(kind)) +
              " bytes of shared memory (at most 48 KB)";
    return error.empty();
  }
  /// 128x128 tiles of eight 64x32 warp tiles when they fill the chip, else
  /// smaller tiles for more blocks.
  static MmaTile choose(const MmaKind &kind, int64_t m, int64_t n, int64_t batch,
                        int64_t multiprocessors) {
    int64_t bk = kind.isTf32() ? 16 : 32;
    auto blocks = [&](int64_t bm, int64_t bn) {
      if (m <= 0 || n <= 0)
        return multiprocessors;
      return ((m + bm - 1) / bm) * ((n + bn - 1) / bn) * std::max<int64_t>(batch, 1);
    };
    if (blocks(128, 128) >= multiprocessors)
      return {128, 128, bk, 64, 32};
    if (blocks(128, 64) >= multiprocessors)
      return {128, 64, bk, 64, 32};
    return {64, 64, bk, 32, 32};
  }
};

Value emitMmaMatmul(RewriterBase &rewriter, const MatmulProblem &p, const MmaKind &kind,
                    const MmaTile &tile, DictionaryAttr config) {
  MatmulOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  Type storage = kind.storageType();
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto add = [&](Value x, Value y) { return arith::AddIOp::create(b, x, y).getResult(); };
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };

  MatmulSizes sizes = buildMatmulSizes(b, p);
  Value m = sizes.m, n = sizes.n, k = sizes.k;
  Value a = flatBuffer(b, op.getLhs()), bBuffer = flatBuffer(b, op.getRhs());
  Value bias = op.getBias() ? flatBuffer(b, op.getBias()) : Value();
  auto [result, c] = allocResult(b, op.getType(), sizes.resultDynamicDims);
  int64_t ld = tile.rowStride(kind);
  int64_t aStage = tile.bm * ld, bStage = tile.bn * ld;
  gpu::LaunchOp launch = buildLaunch(
      b, ceilDiv(b, n, tile.bn), ceilDiv(b, m, tile.bm), sizes.batch, tile.threads(),
      {workgroupBuffer(ctx, 2 * aStage, storage), workgroupBuffer(ctx, 2 * bStage, storage)},
      tile.label(), config);
  Value aShared = launch.getWorkgroupAttributions()[0];
  Value bShared = launch.getWorkgroupAttributions()[1];
  Value tid = launch.getThreadIds().x, bz = launch.getBlockIds().z;
  Value m0 = mul(launch.getBlockIds().y, idx(tile.bm));
  Value n0 = mul(launch.getBlockIds().x, idx(tile.bn));
  auto [aOp, bOp] = buildMatmulOperands(b, p, sizes, a, bBuffer, bz);

  // Staging: global loads (as f32) rounded to the storage type in registers,
  // then stored row-major with k contiguous: A_s[row][k], B_s[col][k].
  SmallVector<StagingSlot> aSlots =
      stagingSlots(b, tid, tile.threads(), tile.bm, tile.bk, aOp.kContiguous);
  SmallVector<StagingSlot> bSlots =
      stagingSlots(b, tid, tile.threads(), tile.bn, tile.bk, bOp.kContiguous);
  auto toStorage = [&](Value x) -> Value {
    if (kind.isTf32())
      return NVVM::ConvertFloatToTF32Op::create(b, i32, x, NVVM::FPRoundingMode::RNA,
                                                NVVM::SaturationMode::NONE, false);
    return arith::TruncFOp::create(b, storage, x);
  };
  auto fetch = [&](Value k0) {
    SmallVector<Value> regs;
    for (const StagingSlot &s : aSlots)
      regs.push_back(toStorage(aOp.load(b, add(m0, s.f), add(k0, s.kk))));
    for (const StagingSlot &s : bSlots)
      regs.push_back(toStorage(bOp.load(b, add(k0, s.kk), add(n0, s.f))));
    return regs;
  };
  auto deposit = [&](ArrayRef<Value> regs, Value stage) {
    Value aBase = mul(stage, idx(aStage)), bBase = mul(stage, idx(bStage));
    for (auto [i, s] : llvm::enumerate(aSlots))
      memref::StoreOp::create(b, regs[i], aShared,
                              ValueRange{add(aBase, add(mul(s.f, idx(ld)), s.kk))});
    for (auto [i, s] : llvm::enumerate(bSlots))
      memref::StoreOp::create(b, regs[aSlots.size() + i], bShared,
                              ValueRange{add(bBase, add(mul(s.f, idx(ld)), s.kk))});
  };

  // Lane coordinates in the MMA fragments: group g (row of A/C, column of
  // B) and t, the lane within the group (k of A/B, column pair of C).
  Value lane = arith::RemUIOp::create(b, tid, idx(kWarpSize));
  Value warp = arith::DivUIOp::create(b, tid, idx(kWarpSize));
  Value g = arith::DivUIOp::create(b, lane, idx(4));
  Value t = arith::RemUIOp::create(b, lane, idx(4));
  int64_t warpsN = tile.bn / tile.wn;
  Value warpRow = mul(arith::DivUIOp::create(b, warp, idx(warpsN)), idx(tile.wm));
  Value warpCol = mul(arith::RemUIOp::create(b, warp, idx(warpsN)), idx(tile.wn));
  int64_t fm = tile.wm / 16, fn = tile.wn / 8;

  deposit(fetch(idx(0)), idx(0));
  gpu::BarrierOp::create(b);
  SmallVector<Value> init(fm * fn * 4, constFloat(b, f32, 0.0));
  init.push_back(idx(0));
  auto kLoop = scf::ForOp::create(b, idx(0), k, idx(tile.bk), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    Value stage = kLoop.getRegionIterArgs().back();
    SmallVector<Value> acc(kLoop.getRegionIterArgs().drop_back());
    SmallVector<Value> next = fetch(add(k0, idx(tile.bk)));
    // One fragment register: TF32 is one i32 word; f16 a pair of
    // k-adjacent halves (bf16 pairs travel as i32, as NVVM wants them).
    VectorType pair = VectorType::get({2}, storage);
    auto fragment = [&](Value buffer, Value at) -> Value {
      if (kind.isTf32())
        return memref::LoadOp::create(b, buffer, ValueRange{at});
      Value v = vector::LoadOp::create(b, pair, buffer, ValueRange{at});
      if (kind.element.isF16())
        return v;
      Value word = vector::BitCastOp::create(b, VectorType::get({1}, i32), v);
      return vector::ExtractOp::create(b, word, ArrayRef<int64_t>{0});
    };
    // Lane (g, t) reads k = ks + t*kPerReg (+ kStep/2) of its rows.
    int64_t kPerReg = kind.isTf32() ? 1 : 2, half = kind.kStep() / 2;
    Value laneK = mul(t, idx(kPerReg));
    Value aBase = add(mul(stage, idx(aStage)), laneK);
    Value bBase = add(mul(stage, idx(bStage)), laneK);
    Type resultStruct = LLVM::LLVMStructType::getLiteral(ctx, {f32, f32, f32, f32});
    for (int64_t ks = 0; ks < tile.bk; ks += kind.kStep()) {
      SmallVector<SmallVector<Value, 4>> aFrag(fm), bFrag(fn);
      for (int64_t i = 0; i < fm; ++i) {
        Value r0 = add(warpRow, add(g, idx(i * 16)));
        Value at0 = add(aBase, add(mul(r0, idx(ld)), idx(ks)));
        Value at1 = add(at0, idx(8 * ld));
        aFrag[i] = {fragment(aShared, at0), fragment(aShared, at1),
                    fragment(aShared, add(at0, idx(half))),
                    fragment(aShared, add(at1, idx(half)))};
      }
      for (int64_t j = 0; j < fn; ++j) {
        Value col = add(warpCol, add(g, idx(j * 8)));
        Value at = add(bBase, add(mul(col, idx(ld)), idx(ks)));
        bFrag[j] = {fragment(bShared, at), fragment(bShared, add(at, idx(half)))};
      }
      for (int64_t i = 0; i < fm; ++i)
        for (int64_t j = 0; j < fn; ++j) {
          MutableArrayRef<Value> cFrag(&acc[(i * fn + j) * 4], 4);
          Value d = NVVM::MmaOp::create(
              b, resultStruct, aFrag[i], bFrag[j], cFrag, {16, 8, kind.kStep()},
              std::nullopt, std::nullopt,
              std::array<NVVM::MMATypes, 2>{kind.ptxType(), kind.ptxType()},
              std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row, NVVM::MMALayout::col});
          for (int64_t e = 0; e < 4; ++e)
            cFrag[e] = LLVM::ExtractValueOp::create(b, d, ArrayRef<int64_t>{e});
        }
    }
    Value other = arith::SubIOp::create(b, idx(1), stage);
    deposit(next, other);
    gpu::BarrierOp::create(b);
    acc.push_back(other);
    scf::YieldOp::create(b, acc);
  }

  // Accumulator e of fragment (i, j) is C[row g (+8 for e >= 2)][col 2t + e%2].
  Value cBase = mul(bz, mul(m, n));
  auto lt = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y).getResult();
  };
  for (int64_t i = 0; i < fm; ++i)
    for (int64_t j = 0; j < fn; ++j)
      for (int64_t e = 0; e < 4; ++e) {
        Value row = add(m0, add(warpRow, add(g, idx(i * 16 + (e >= 2 ? 8 : 0)))));
        Value col = add(n0, add(warpCol, add(mul(t, idx(2)), idx(j * 8 + e % 2))));
        auto inside =
            scf::IfOp::create(b, arith::AndIOp::create(b, lt(row, m), lt(col, n)), false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(inside.thenBlock());
        Value x = applyEpilogue(b, op, kLoop.getResult((i * fn + j) * 4 + e), bias, col);
        storeValue(b, x, c, add(cBase, add(mul(row, n), col)));
      }
  b.setInsertionPointAfter(launch);
  return result;
}

class MatmulMmaStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "matmul_mma"; }
  int priority() const override { return 105; }
  bool supportsTarget(const GpuTarget &target, std::string &whyNot) const override {
    return target.hasMmaSync(whyNot);
  }
  std::unique_ptr<KernelProblem> match(Operation *op, std::string &whyNot) const override {
    auto matmul = dyn_cast<MatmulOp>(op);
    if (!matmul)
      return nullptr;
    return matchMatmul(matmul, whyNot);
  }
  bool accepts(const KernelProblem &problem, const GpuTarget &target,
               std::string &whyNot) const override {
    if (kindOf(problem).isTf32() && !target.allowTf32) {
      whyNot = "f32 stays on exact FMA unless allow-tf32 is set";
      return false;
    }
    return true;
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    auto [m, n, batch] = staticMatmulSizes(static_cast<const MatmulProblem &>(problem));
    return MmaTile::choose(kindOf(problem), m, n, batch, target.multiprocessors)
        .toConfig(problem.op->getContext());
  }
  LogicalResult verifyConfig(const KernelProblem &problem, DictionaryAttr config,
                             std::string &error) const override {
    if (failed(checkConfigKeys(config, {"bm", "bn", "bk", "wm", "wn"}, error)))
      return failure();
    return success(MmaTile::fromConfig(config).isValid(kindOf(problem), error));
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitMmaMatmul(rewriter, static_cast<const MatmulProblem &>(problem),
                          kindOf(problem), MmaTile::fromConfig(config), config)};
  }

private:
  static MmaKind kindOf(const KernelProblem &problem) {
    return {static_cast<const MatmulProblem &>(problem).op.getType().getElementType()};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createMatmulMmaStrategy() {
  return std::make_unique<MatmulMmaStrategy>();
}

} // namespace axon::gpu_kernels
