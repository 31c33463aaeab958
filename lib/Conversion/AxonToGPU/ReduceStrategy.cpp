//===- ReduceStrategy.cpp - Strategy "reduce": reductions over any axes
//----===//
//
// reduce_{sum,mean,max,min,prod} over contiguous axes, and global_avg_pool,
// viewed as [outer, R, inner] (R the reduced elements):
//   - inner == 1, "reduce_rows": a block reduces (a chunk of) one row with
//     vector loads, warp shuffles and one shared-memory round;
//   - inner > 1, "reduce_columns": consecutive threads own consecutive
//     columns (coalesced), `rowLanes` thread rows stride over R, and shared
//     memory combines them.
// With few outputs (full reductions, a sum over axis 0) R is split into
// `splits` chunks reduced in parallel into an f32 workspace, and a second
// launch of the same kernel reduces the partials: two stages instead of
// one thread. 16-bit floats accumulate in f32.
// Config: {threads, vec, splits}.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct ReduceProblem : KernelProblem {
  explicit ReduceProblem(Operation *op) : KernelProblem(op) {}
  Value input;
  ReductionKind combiner = ReductionKind::Sum;
  bool mean = false;
  int64_t firstAxis = 0, lastAxis = 0; // reduced dims [firstAxis, lastAxis]
  // Static sizes of the [outer, R, inner] view, -1 where dynamic.
  int64_t outer = -1, reduced = -1, inner = -1;
};

std::unique_ptr<ReduceProblem> matchReduce(Operation *op, std::string &whyNot) {
  auto p = std::make_unique<ReduceProblem>(op);
  SmallVector<int64_t> axes;
  if (auto g = dyn_cast<GlobalAvgPoolOp>(op)) {
    p->input = g.getInput();
    p->mean = true;
    int64_t rank = cast<RankedTensorType>(p->input.getType()).getRank();
    for (int64_t d = 2; d < rank; ++d)
      axes.push_back(d);
  } else {
    auto setFrom = [&](auto r, ReductionKind c, bool mean) {
      p->input = r.getInput();
      p->combiner = c;
      p->mean = mean;
      axes.assign(r.getAxes().begin(), r.getAxes().end());
    };
    if (auto r = dyn_cast<ReduceSumOp>(op))
      setFrom(r, ReductionKind::Sum, false);
    else if (auto r = dyn_cast<ReduceMeanOp>(op))
      setFrom(r, ReductionKind::Sum, true);
    else if (auto r = dyn_cast<ReduceMaxOp>(op))
      setFrom(r, ReductionKind::Max, false);
    else if (auto r = dyn_cast<ReduceMinOp>(op))
      setFrom(r, ReductionKind::Min, false);
    else if (auto r = dyn_cast<ReduceProdOp>(op))
      setFrom(r, ReductionKind::Prod, false);
    else
      return nullptr;
  }
  auto type = cast<RankedTensorType>(p->input.getType());
  Type element = type.getElementType();
  if (!(element.isF32() || element.isF16() || element.isBF16() ||
        element.isInteger(32))) {
    whyNot = "element type is not f32, f16, bf16 or i32";
    return nullptr;
  }
  if (axes.empty() || llvm::is_contained(type.getShape(), 0)) {
    whyNot = "no reduced axes, or a zero-sized input";
    return nullptr;
  }
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1) {
      whyNot = "the reduced axes are not contiguous";
      return nullptr;
    }
  p->firstAxis = axes.front();
  p->lastAxis = axes.back();
  auto product = [&](int64_t from, int64_t to) -> int64_t {
    int64_t n = 1;
    for (int64_t d = from; d < to; ++d) {
      if (type.isDynamicDim(d))
        return -1;
      n *= type.getDimSize(d);
    }
    return n;
  };
  p->outer = product(0, p->firstAxis);
  p->reduced = product(p->firstAxis, p->lastAxis + 1);
  p->inner = product(p->lastAxis + 1, type.getRank());
  if (p->inner < 0) {
    whyNot = "dynamic dims after the reduced axes";
    return nullptr;
  }
  return p;
}

Value reduceLanes(ImplicitLocOpBuilder &b, ReductionKind c, Value v) {
  auto vec = dyn_cast<VectorType>(v.getType());
  if (!vec)
    return v;
  Value acc = vector::ExtractOp::create(b, v, ArrayRef<int64_t>{0});
  for (int64_t l = 1; l < vec.getNumElements(); ++l)
    acc = combine(b, b.getLoc(), c, acc,
                  vector::ExtractOp::create(b, v, ArrayRef<int64_t>{l}));
  return acc;
}

/// One launch of the reduction over [outer, R, inner] read from `in`, R cut
/// into `splits` chunks of `chunk` elements along R. With splits > 1 it
/// writes partials [outer, splits, inner] (accumulator type) to `out`;
/// otherwise `finalize` applies to each result before the store.
struct Stage {
  Value in, out;
  Value outer, reduced, inner, chunk;
  int64_t splits, threads, vec;
  Type accType;
  ReductionKind combiner;
  std::function<Value(ImplicitLocOpBuilder &, Value)> finalize;
};

void emitRowStage(ImplicitLocOpBuilder &b, const Stage &s,
                  DictionaryAttr config) {
  SmallVector<Type> scratch = {
      workgroupBuffer(b.getContext(), s.threads / kWarpSize, s.accType)};
  Value one = constIndex(b, 1);
  gpu::LaunchOp launch = buildLaunch(b, constIndex(b, s.splits), s.outer, one,
                                     s.threads, scratch, "reduce_rows", config);
  Value tid = launch.getThreadIds().x;
  Value split = launch.getBlockIds().x, row = launch.getBlockIds().y;
  Value begin = arith::MulIOp::create(b, split, s.chunk);
  Value end = arith::MinUIOp::create(
      b, arith::AddIOp::create(b, begin, s.chunk), s.reduced);
  Value rowBase = arith::MulIOp::create(b, row, s.reduced);
  Value init = reductionIdentity(b, b.getLoc(), s.accType, s.combiner);
  // vec > 1 only when R and the chunk are multiples of vec (aligned).
  Value start = arith::AddIOp::create(
      b, begin, arith::MulIOp::create(b, tid, constIndex(b, s.vec)));
  auto loop = scf::ForOp::create(
      b, start, end, constIndex(b, s.threads * s.vec), ValueRange{init});
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(loop.getBody());
    Value v = loadVector(
        b, s.in, arith::AddIOp::create(b, rowBase, loop.getInductionVar()),
        s.vec, s.accType);
    scf::YieldOp::create(b, combine(b, b.getLoc(), s.combiner,
                                    loop.getRegionIterArgs()[0],
                                    reduceLanes(b, s.combiner, v)));
  }
  Combine combineFn = [&](ImplicitLocOpBuilder &lb, ArrayRef<Value> x,
                          ArrayRef<Value> y) {
    return SmallVector<Value>{combine(lb, lb.getLoc(), s.combiner, x[0], y[0])};
  };
  SmallVector<Value> scratchBuffers(launch.getWorkgroupAttributions());
  Value total = blockAllReduce(b, {loop.getResult(0)}, scratchBuffers, tid,
                               s.threads, combineFn)[0];
  auto leader = scf::IfOp::create(
      b,
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, constIndex(b, 0)),
      false);
  b.setInsertionPointToStart(leader.thenBlock());
  if (s.splits > 1)
    storeValue(
        b, total, s.out,
        arith::AddIOp::create(
            b, arith::MulIOp::create(b, row, constIndex(b, s.splits)), split));
  else
    storeValue(b, s.finalize(b, total), s.out, row);
  b.setInsertionPointAfter(launch);
}

void emitColumnStage(ImplicitLocOpBuilder &b, const Stage &s,
                     DictionaryAttr config) {
  // colLanes threads x vec columns per block row; rowLanes rows of threads.
  int64_t colLanes = std::min<int64_t>(64, s.threads);
  int64_t rowLanes = s.threads / colLanes;
  int64_t cols = colLanes * s.vec;
  SmallVector<Type> scratch = {
      workgroupBuffer(b.getContext(), s.threads * s.vec, s.accType)};
  gpu::LaunchOp launch =
      buildLaunch(b, ceilDiv(b, s.inner, cols), constIndex(b, s.splits),
                  s.outer, s.threads, scratch, "reduce_columns", config);
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  Value tid = launch.getThreadIds().x;
  Value lane = arith::RemUIOp::create(b, tid, idx(colLanes));
  Value rowLane = arith::DivUIOp::create(b, tid, idx(colLanes));
  Value col = arith::AddIOp::create(
      b, arith::MulIOp::create(b, launch.getBlockIds().x, idx(cols)),
      arith::MulIOp::create(b, lane, idx(s.vec)));
  Value split = launch.getBlockIds().y, o = launch.getBlockIds().z;
  Value begin = arith::MulIOp::create(b, split, s.chunk);
  Value end = arith::MinUIOp::create(
      b, arith::AddIOp::create(b, begin, s.chunk), s.reduced);
  Value base =
      arith::MulIOp::create(b, arith::MulIOp::create(b, o, s.reduced), s.inner);
  Value inRange =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col, s.inner);
  // Out-of-range lanes read column 0 (harmless) and never store.
  Value colc = arith::SelectOp::create(b, inRange, col, idx(0));
  Type accVec = s.vec == 1 ? s.accType : VectorType::get({s.vec}, s.accType);
  Value init = reductionIdentity(b, b.getLoc(), s.accType, s.combiner);
  if (s.vec > 1)
    init = vector::BroadcastOp::create(b, accVec, init);
  auto loop = scf::ForOp::create(b, arith::AddIOp::create(b, begin, rowLane),
                                 end, idx(rowLanes), ValueRange{init});
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(loop.getBody());
    Value at = arith::AddIOp::create(
        b, base,
        arith::AddIOp::create(
            b, arith::MulIOp::create(b, loop.getInductionVar(), s.inner),
            colc));
    Value v = loadVector(b, s.in, at, s.vec, s.accType);
    scf::YieldOp::create(
        b, combine(b, b.getLoc(), s.combiner, loop.getRegionIterArgs()[0], v));
  }
  Value smem = launch.getWorkgroupAttributions()[0];
  Value slot = arith::MulIOp::create(b, tid, idx(s.vec));
  if (s.vec > 1)
    vector::StoreOp::create(b, loop.getResult(0), smem, ValueRange{slot});
  else
    memref::StoreOp::create(b, loop.getResult(0), smem, ValueRange{slot});
  gpu::BarrierOp::create(b);
  auto first = scf::IfOp::create(
      b,
      arith::AndIOp::create(
          b,
          arith::CmpIOp::create(b, arith::CmpIPredicate::eq, rowLane, idx(0)),
          inRange),
      false);
  b.setInsertionPointToStart(first.thenBlock());
  for (int64_t l = 0; l < s.vec; ++l) {
    Value acc = memref::LoadOp::create(
        b, smem, ValueRange{arith::AddIOp::create(b, slot, idx(l))});
    for (int64_t r = 1; r < rowLanes; ++r)
      acc = combine(
          b, b.getLoc(), s.combiner, acc,
          memref::LoadOp::create(b, smem,
                                 ValueRange{arith::AddIOp::create(
                                     b, slot, idx(r * colLanes * s.vec + l))}));
    Value c = arith::AddIOp::create(b, col, idx(l));
    // partial[o, split, c] or result[o, c]
    Value row = s.splits > 1
                    ? arith::AddIOp::create(
                          b, arith::MulIOp::create(b, o, idx(s.splits)), split)
                          .getResult()
                    : o;
    Value at =
        arith::AddIOp::create(b, arith::MulIOp::create(b, row, s.inner), c);
    storeValue(b, s.splits > 1 ? acc : s.finalize(b, acc), s.out, at);
  }
  b.setInsertionPointAfter(launch);
}

Value emitReduce(RewriterBase &rewriter, const ReduceProblem &p,
                 DictionaryAttr config) {
  ImplicitLocOpBuilder b(p.op->getLoc(), rewriter);
  auto inType = cast<RankedTensorType>(p.input.getType());
  Type element = inType.getElementType();
  Type accType = computeTypeFor(element);
  int64_t threads = *configInt(config, "threads"),
          vec = *configInt(config, "vec"),
          splits = *configInt(config, "splits");
  auto product = [&](int64_t from, int64_t to) {
    Value n = constIndex(b, 1);
    for (int64_t d = from; d < to; ++d)
      n = arith::MulIOp::create(b, n, dimSize(b, p.input, d));
    return n;
  };
  Value outer = product(0, p.firstAxis),
        reduced = product(p.firstAxis, p.lastAxis + 1),
        inner = product(p.lastAxis + 1, inType.getRank());
  auto resultType = cast<RankedTensorType>(p.op->getResult(0).getType());
  SmallVector<Value> dynamicDims;
  // Result dims are the input's kept dims (size 1 where kept reduced).
  for (int64_t d = 0, in = 0; d < resultType.getRank(); ++d) {
    if (resultType.getRank() == inType.getRank())
      in = d;
    else
      in = d < p.firstAxis ? d : d + (p.lastAxis - p.firstAxis + 1);
    if (resultType.isDynamicDim(d))
      dynamicDims.push_back(dimSize(b, p.input, in));
  }
  auto [result, out] = allocResult(b, resultType, dynamicDims);
  Value in = flatBuffer(b, p.input);
  Value countF;
  if (p.mean)
    countF = arith::UIToFPOp::create(
        b, accType, arith::IndexCastUIOp::create(b, b.getI64Type(), reduced));
  auto finalize = [&](ImplicitLocOpBuilder &lb, Value x) -> Value {
    return p.mean ? arith::DivFOp::create(lb, x, countF).getResult() : x;
  };
  Value chunk = ceilDiv(b, reduced, splits);
  if (p.inner == 1 && vec > 1) // chunks stay multiples of vec (aligned loads)
    chunk =
        arith::MulIOp::create(b, ceilDiv(b, chunk, vec), constIndex(b, vec));
  Stage s{in,     out,     outer, reduced, inner,      chunk,
          splits, threads, vec,   accType, p.combiner, finalize};
  bool rows = p.inner == 1;
  if (splits > 1) {
    // Stage 1 into an f32 workspace [outer, splits, inner], stage 2 over it.
    Value count = arith::MulIOp::create(
        b, arith::MulIOp::create(b, outer, inner), constIndex(b, splits));
    Value workspace = memref::AllocOp::create(
        b, MemRefType::get({ShapedType::kDynamic}, accType), ValueRange{count});
    s.out = workspace;
    rows ? emitRowStage(b, s, config) : emitColumnStage(b, s, config);
    Stage second{workspace,  out,
                 outer,      constIndex(b, splits),
                 inner,      constIndex(b, splits),
                 1,          threads,
                 1,          accType,
                 p.combiner, finalize};
    rows ? emitRowStage(b, second, config) : emitColumnStage(b, second, config);
    // The device-memory pass frees the workspace when the function returns.
  } else {
    rows ? emitRowStage(b, s, config) : emitColumnStage(b, s, config);
  }
  return result;
}

class ReduceStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "reduce"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op,
                                       std::string &whyNot) const override {
    return matchReduce(op, whyNot);
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    const auto &p = static_cast<const ReduceProblem &>(problem);
    int64_t bytes = std::max<int64_t>(
        1,
        cast<RankedTensorType>(p.input.getType()).getElementTypeBitWidth() / 8);
    int64_t vec = 16 / bytes > 4 ? 4 : 16 / bytes;
    int64_t along = p.inner == 1 ? p.reduced : p.inner;
    while (vec > 1 && (along < 0 || along % vec))
      vec /= 2;
    // Enough blocks for about four waves; each split keeps >= 256 rows
    // (columns) or 16K elements (rows) of work.
    int64_t splits = 1;
    if (p.outer > 0 && p.reduced > 0) {
      int64_t blocks = p.outer * (p.inner == 1 ? 1 : (p.inner + 255) / 256);
      int64_t wanted = (4 * target.multiprocessors + blocks - 1) / blocks;
      int64_t minChunk = p.inner == 1 ? 16384 : 256;
      splits =
          std::clamp<int64_t>(std::min(wanted, p.reduced / minChunk), 1, 1024);
    }
    return makeConfig(problem.op->getContext(),
                      {{"threads", 256}, {"vec", vec}, {"splits", splits}});
  }
  LogicalResult verifyConfig(const KernelProblem &problem,
                             DictionaryAttr config,
                             std::string &error) const override {
    if (failed(checkConfigKeys(config, {"threads", "vec", "splits"}, error)))
      return failure();
    int64_t threads = *configInt(config, "threads"),
            vec = *configInt(config, "vec");
    if (threads % kWarpSize || threads > 1024 ||
        (threads < 64 && threads % 64)) {
      error = "threads must be a multiple of 64 up to 1024";
      return failure();
    }
    if (*configInt(config, "splits") > 65535) {
      error = "at most 65535 splits";
      return failure();
    }
    const auto &p = static_cast<const ReduceProblem &>(problem);
    int64_t along = p.inner == 1 ? p.reduced : p.inner;
    if (vec != 1 && (vec > 4 || along < 0 || along % vec)) {
      error = "vec must be 1, 2 or 4 dividing the contiguous size";
      return failure();
    }
    return success();
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitReduce(rewriter, static_cast<const ReduceProblem &>(problem),
                       config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createReduceStrategy() {
  return std::make_unique<ReduceStrategy>();
}

} // namespace axon::gpu_kernels
