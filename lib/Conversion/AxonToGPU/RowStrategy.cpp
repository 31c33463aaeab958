//===- RowStrategy.cpp - Strategy "row": softmax and norms, a block per row ===//
//
// Strategy "row": one thread block per row of the trailing (normalized)
// dimensions. Each thread walks the row with 16-byte vector loads where the
// row length allows, keeps per-thread partial statistics (online max/sum for
// softmax, shifted sums for layer norm), combines them across the block with
// warp shuffles and one round through shared memory, then makes a second
// pass that writes the result. Rows of up to 8 vectors per thread stay in
// registers between the passes (one read and one write of the row); longer
// rows are read twice (the second time mostly from cache).
// Config: {threads, vec} (threads per block, elements per vector access).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

enum class RowKind { Softmax, LogSoftmax, LayerNorm, RmsNorm };

struct RowSpec {
  RowKind kind;
  Value input, scale, bias;
  int64_t firstAxis; // the normalized dims are [firstAxis, rank)
  double epsilon = 0;
};

struct RowProblem : KernelProblem, RowSpec {
  RowProblem(Operation *op, const RowSpec &spec) : KernelProblem(op), RowSpec(spec) {}
};

StringRef strategyName(RowKind kind) {
  switch (kind) {
  case RowKind::Softmax:
    return "row_softmax";
  case RowKind::LogSoftmax:
    return "row_log_softmax";
  case RowKind::LayerNorm:
    return "row_layer_norm";
  case RowKind::RmsNorm:
    return "row_rms_norm";
  }
  llvm_unreachable("row kind");
}

/// Whether `axes` are exactly the trailing dims of a rank-`rank` tensor;
/// returns the first of them.
std::optional<int64_t> trailingAxes(ArrayRef<int64_t> axes, int64_t rank) {
  if (axes.empty())
    return std::nullopt;
  SmallVector<int64_t> sorted;
  for (int64_t a : axes)
    sorted.push_back(a < 0 ? a + rank : a);
  llvm::sort(sorted);
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != rank - static_cast<int64_t>(sorted.size()) + static_cast<int64_t>(i))
      return std::nullopt;
  return sorted.front();
}

/// A per-row parameter (scale/bias) must hold exactly the row's elements.
bool isRowShaped(Value param, RankedTensorType input, int64_t firstAxis) {
  if (!param)
    return true;
  auto type = cast<RankedTensorType>(param.getType());
  return type.getShape() == input.getShape().drop_front(firstAxis);
}

std::optional<RowSpec> matchRowOp(Operation *op, std::string &whyNot) {
  RowSpec p;
  auto rankOf = [](Value v) { return cast<RankedTensorType>(v.getType()).getRank(); };
  // Softmax and log_softmax: only over the last axis.
  auto lastAxisRow = [&](auto s, RowKind kind) -> bool {
    int64_t last = rankOf(s.getInput()) - 1;
    p = {kind, s.getInput(), {}, {}, last};
    return static_cast<int64_t>(s.getAxis()) == last;
  };
  auto reject = [&](const char *why) -> std::optional<RowSpec> {
    whyNot = why;
    return std::nullopt;
  };
  if (auto s = dyn_cast<SoftmaxOp>(op)) {
    if (!lastAxisRow(s, RowKind::Softmax))
      return reject("softmax over an axis other than the last");
  } else if (auto s = dyn_cast<LogSoftmaxOp>(op)) {
    if (!lastAxisRow(s, RowKind::LogSoftmax))
      return reject("log_softmax over an axis other than the last");
  } else if (auto n = dyn_cast<LayerNormOp>(op)) {
    auto first = trailingAxes(n.getAxes(), rankOf(n.getInput()));
    if (!first)
      return reject("normalized axes are not the trailing ones");
    p = {RowKind::LayerNorm, n.getInput(), n.getScale(), n.getBias(), *first,
         n.getEpsilon().convertToDouble()};
  } else if (auto n = dyn_cast<RmsNormOp>(op)) {
    auto first = trailingAxes(n.getAxes(), rankOf(n.getInput()));
    if (!first)
      return reject("normalized axes are not the trailing ones");
    p = {RowKind::RmsNorm, n.getInput(), n.getScale(), {}, *first,
         n.getEpsilon().convertToDouble()};
  } else {
    return std::nullopt;
  }
  auto type = cast<RankedTensorType>(p.input.getType());
  Type element = type.getElementType();
  // Shuffles move 32-bit values: f64 rows stay on the generic path.
  if (!(element.isF32() || element.isF16() || element.isBF16()))
    return reject("element type is not f32, f16 or bf16");
  if (!isRowShaped(p.scale, type, p.firstAxis) || !isRowShaped(p.bias, type, p.firstAxis))
    return reject("scale or bias is not shaped like one row");
  return p;
}

/// Sums the lanes of a vector (identity for scalars).
Value sumLanes(ImplicitLocOpBuilder &b, Value v) {
  if (!isa<VectorType>(v.getType()))
    return v;
  return vector::ReductionOp::create(b, vector::CombiningKind::ADD, v);
}

Value maxLanes(ImplicitLocOpBuilder &b, Value v) {
  if (!isa<VectorType>(v.getType()))
    return v;
  return vector::ReductionOp::create(b, vector::CombiningKind::MAXIMUMF, v);
}

/// `scalar` broadcast to the shape of `like`.
Value splatLike(ImplicitLocOpBuilder &b, Value scalar, Value like) {
  if (auto vec = dyn_cast<VectorType>(like.getType()))
    return vector::BroadcastOp::create(b, vec, scalar);
  return scalar;
}

/// exp(a - m) where a <= m, defined as 1 when a == m (also for -inf == -inf,
/// which an empty partial has).
Value rescale(ImplicitLocOpBuilder &b, Value a, Value m) {
  Value same = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, a, m);
  Value e = math::ExpOp::create(b, arith::SubFOp::create(b, a, m));
  return arith::SelectOp::create(b, same, constFloat(b, a.getType(), 1.0), e);
}

SmallVector<Value> combineSoftmax(ImplicitLocOpBuilder &b, ArrayRef<Value> x,
                                  ArrayRef<Value> y) {
  Value m = arith::MaximumFOp::create(b, x[0], y[0]);
  Value s = arith::AddFOp::create(b, arith::MulFOp::create(b, x[1], rescale(b, x[0], m)),
                                  arith::MulFOp::create(b, y[1], rescale(b, y[0], m)));
  return {m, s};
}

SmallVector<Value> combineSums(ImplicitLocOpBuilder &b, ArrayRef<Value> x,
                               ArrayRef<Value> y) {
  SmallVector<Value> r;
  for (auto [a, c] : llvm::zip(x, y))
    r.push_back(arith::AddFOp::create(b, a, c));
  return r;
}

/// Builds `for j = tid*vec; j < rowLength; j += threads*vec` with `init`
/// carried; `body` gets j and the carried values and returns the new ones.
/// With `chunks` > 0 (a static row of exactly chunks*threads*vec elements)
/// the loop is unrolled, so values can stay in registers across passes.
SmallVector<Value>
rowLoop(ImplicitLocOpBuilder &b, Value tid, Value rowLength, int64_t threads, int64_t vec,
        int64_t chunks, ValueRange init,
        function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value, ValueRange)> body) {
  Value start = arith::MulIOp::create(b, tid, constIndex(b, vec));
  if (chunks > 0) {
    SmallVector<Value> carried(init);
    for (int64_t c = 0; c < chunks; ++c) {
      Value j = arith::AddIOp::create(b, start, constIndex(b, c * threads * vec));
      SmallVector<Value> next = body(b, j, carried);
      if (!init.empty())
        carried = next;
    }
    return carried;
  }
  auto loop = scf::ForOp::create(b, start, rowLength, constIndex(b, threads * vec), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  // Without carried values the builder already added the terminator.
  if (init.empty())
    b.setInsertionPoint(loop.getBody()->getTerminator());
  SmallVector<Value> next = body(b, loop.getInductionVar(), loop.getRegionIterArgs());
  if (!init.empty())
    scf::YieldOp::create(b, next);
  return SmallVector<Value>(loop.getResults());
}

/// The row length when static.
std::optional<int64_t> staticRowLength(const RowProblem &p) {
  auto type = cast<RankedTensorType>(p.input.getType());
  int64_t length = 1;
  for (int64_t d = p.firstAxis; d < type.getRank(); ++d) {
    if (type.isDynamicDim(d))
      return std::nullopt;
    length *= type.getDimSize(d);
  }
  return length;
}

DictionaryAttr chooseRowConfig(const RowProblem &p) {
  std::optional<int64_t> length = staticRowLength(p);
  // 16-byte accesses: 4 f32, or 8 f16/bf16.
  int64_t elementBytes =
      std::max<int64_t>(1, cast<ShapedType>(p.op->getResult(0).getType()).getElementTypeBitWidth() / 8);
  int64_t wide = std::max<int64_t>(4, 16 / elementBytes);
  int64_t vec = !length ? 1 : *length % wide == 0 ? wide : *length % 4 == 0 ? 4 : 1;
  int64_t threads = 256;
  if (length)
    threads = std::clamp<int64_t>(
        static_cast<int64_t>(llvm::PowerOf2Ceil((*length + vec - 1) / vec)), kWarpSize, 256);
  return makeConfig(p.op->getContext(), {{"threads", threads}, {"vec", vec}});
}

Value formRowKernel(RewriterBase &rewriter, Operation *op, const RowProblem &p,
                    DictionaryAttr config) {
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  auto type = cast<RankedTensorType>(p.input.getType());
  Type element = type.getElementType();
  Type ct = computeTypeFor(element);
  int64_t rank = type.getRank();

  // Rows x rowLength.
  Value rows = constIndex(b, 1), rowLength = constIndex(b, 1);
  for (int64_t d = 0; d < rank; ++d) {
    Value size = dimSize(b, p.input, d);
    if (d < p.firstAxis)
      rows = arith::MulIOp::create(b, rows, size);
    else
      rowLength = arith::MulIOp::create(b, rowLength, size);
  }
  std::optional<int64_t> staticLength = staticRowLength(p);
  int64_t vec = *configInt(config, "vec");
  int64_t threads = *configInt(config, "threads");

  // Rows that fit (at most 8 vectors per thread) stay in registers between
  // the two passes: one read of the row instead of two.
  int64_t chunks = 0;
  if (staticLength && *staticLength % (threads * vec) == 0 &&
      *staticLength / (threads * vec) <= 8)
    chunks = *staticLength / (threads * vec);

  Value in = flatBuffer(b, p.input);
  Value scale = p.scale ? flatBuffer(b, p.scale) : Value();
  Value bias = p.bias ? flatBuffer(b, p.bias) : Value();
  auto [result, out] = allocResult(b, p.input, element);

  int64_t partials = threads / kWarpSize;
  int64_t members = 2;
  SmallVector<Type> scratchTypes(members, workgroupBuffer(b.getContext(), partials, ct));
  Value one = constIndex(b, 1);
  gpu::LaunchOp launch =
      buildLaunch(b, rows, one, one, threads, scratchTypes, strategyName(p.kind), config);
  SmallVector<Value> scratch(launch.getWorkgroupAttributions());
  Value row = launch.getBlockIds().x;
  Value tid = launch.getThreadIds().x;
  Value rowBase = arith::MulIOp::create(b, row, rowLength);
  auto at = [&](Value j) { return arith::AddIOp::create(b, rowBase, j).getResult(); };
  Value zero = constFloat(b, ct, 0.0);
  SmallVector<Value> cached;
  size_t nextCached = 0;
  bool secondPass = false;
  auto loadRow = [&](ImplicitLocOpBuilder &lb, Value j) -> Value {
    if (chunks == 0)
      return loadVector(lb, in, at(j), vec, ct);
    if (secondPass)
      return cached[nextCached++];
    cached.push_back(loadVector(lb, in, at(j), vec, ct));
    return cached.back();
  };
  Value lengthF = arith::UIToFPOp::create(
      b, ct, arith::IndexCastUIOp::create(b, b.getI64Type(), rowLength));

  // Pass 1: per-thread partials, then the block-wide statistics.
  SmallVector<Value> stats;
  Value shift;
  if (p.kind == RowKind::Softmax || p.kind == RowKind::LogSoftmax) {
    Value negInf = constFloat(b, ct, -std::numeric_limits<double>::infinity());
    SmallVector<Value> partial = rowLoop(
        b, tid, rowLength, threads, vec, chunks, {negInf, zero},
        [&](ImplicitLocOpBuilder &lb, Value j, ValueRange acc) -> SmallVector<Value> {
          Value v = loadRow(lb, j);
          Value m = arith::MaximumFOp::create(lb, acc[0], maxLanes(lb, v));
          // While everything seen is -inf (masked), exp(x - m) must be 0,
          // not exp(-inf + inf) = NaN: subtract 0 instead of m then.
          Value allMasked = arith::CmpFOp::create(lb, arith::CmpFPredicate::OEQ, m, negInf);
          Value shiftBy = arith::SelectOp::create(lb, allMasked, zero, m);
          Value e = math::ExpOp::create(
              lb, arith::SubFOp::create(lb, v, splatLike(lb, shiftBy, v)));
          Value s = arith::AddFOp::create(
              lb, arith::MulFOp::create(lb, acc[1], rescale(lb, acc[0], m)), sumLanes(lb, e));
          return {m, s};
        });
    stats = blockAllReduce(b, partial, scratch, tid, threads, combineSoftmax);
  } else {
    // Layer norm sums (x - shift) and its square with the row's first element
    // as the shift, which keeps the variance accurate for large means.
    shift = p.kind == RowKind::LayerNorm ? loadElement(b, in, rowBase, ct) : zero;
    SmallVector<Value> partial = rowLoop(
        b, tid, rowLength, threads, vec, chunks, {zero, zero},
        [&](ImplicitLocOpBuilder &lb, Value j, ValueRange acc) -> SmallVector<Value> {
          Value v = loadRow(lb, j);
          Value d = arith::SubFOp::create(lb, v, splatLike(lb, shift, v));
          Value s1 = arith::AddFOp::create(lb, acc[0], sumLanes(lb, d));
          Value s2 = arith::AddFOp::create(
              lb, acc[1], sumLanes(lb, arith::MulFOp::create(lb, d, d)));
          return {s1, s2};
        });
    stats = blockAllReduce(b, partial, scratch, tid, threads, combineSums);
  }

  // Pass 2: y = f(x, statistics), written once.
  Value a, c; // y = x * a + c (per row) before scale/bias, or exp form
  Value eps = constFloat(b, ct, p.epsilon);
  switch (p.kind) {
  case RowKind::Softmax:
    a = arith::DivFOp::create(b, constFloat(b, ct, 1.0), stats[1]);
    break;
  case RowKind::LogSoftmax:
    c = arith::AddFOp::create(b, stats[0], math::LogOp::create(b, stats[1]));
    break;
  case RowKind::LayerNorm: {
    Value m1 = arith::DivFOp::create(b, stats[0], lengthF);
    Value m2 = arith::DivFOp::create(b, stats[1], lengthF);
    Value var = arith::MaximumFOp::create(
        b, arith::SubFOp::create(b, m2, arith::MulFOp::create(b, m1, m1)), zero);
    a = math::RsqrtOp::create(b, arith::AddFOp::create(b, var, eps));
    c = arith::AddFOp::create(b, shift, m1); // the mean
    break;
  }
  case RowKind::RmsNorm:
    a = math::RsqrtOp::create(
        b, arith::AddFOp::create(b, arith::DivFOp::create(b, stats[1], lengthF), eps));
    break;
  }
  secondPass = true;
  rowLoop(b, tid, rowLength, threads, vec, chunks, {},
          [&](ImplicitLocOpBuilder &lb, Value j, ValueRange) -> SmallVector<Value> {
            Value v = loadRow(lb, j);
            Value y;
            switch (p.kind) {
            case RowKind::Softmax:
              y = arith::MulFOp::create(
                  lb, math::ExpOp::create(lb, arith::SubFOp::create(lb, v, splatLike(lb, stats[0], v))),
                  splatLike(lb, a, v));
              break;
            case RowKind::LogSoftmax:
              y = arith::SubFOp::create(lb, v, splatLike(lb, c, v));
              break;
            case RowKind::LayerNorm:
              y = arith::MulFOp::create(
                  lb, arith::SubFOp::create(lb, v, splatLike(lb, c, v)), splatLike(lb, a, v));
              break;
            case RowKind::RmsNorm:
              y = arith::MulFOp::create(lb, v, splatLike(lb, a, v));
              break;
            }
            if (scale)
              y = arith::MulFOp::create(lb, y, loadVector(lb, scale, j, vec, ct));
            if (bias)
              y = arith::AddFOp::create(lb, y, loadVector(lb, bias, j, vec, ct));
            storeValue(lb, y, out, at(j));
            return {};
          });
  b.setInsertionPointAfter(launch);
  return result;
}


class RowStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "row"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op, std::string &whyNot) const override {
    if (!isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp, RmsNormOp>(op))
      return nullptr;
    std::optional<RowSpec> p = matchRowOp(op, whyNot);
    return p ? std::make_unique<RowProblem>(op, *p) : nullptr;
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem, const GpuTarget &) const override {
    return chooseRowConfig(static_cast<const RowProblem &>(problem));
  }
  LogicalResult verifyConfig(const KernelProblem &problem, DictionaryAttr config,
                             std::string &error) const override {
    if (failed(checkConfigKeys(config, {"threads", "vec"}, error)))
      return failure();
    int64_t threads = *configInt(config, "threads"), vec = *configInt(config, "vec");
    if (threads % kWarpSize || threads > 1024) {
      error = "threads must be a multiple of 32 up to 1024";
      return failure();
    }
    std::optional<int64_t> length = staticRowLength(static_cast<const RowProblem &>(problem));
    if (vec != 1 && (vec > 4 || !length || *length % vec)) {
      error = "vec must be 1, or 2 or 4 dividing a static row length";
      return failure();
    }
    return success();
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {formRowKernel(rewriter, problem.op, static_cast<const RowProblem &>(problem),
                          config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createRowStrategy() { return std::make_unique<RowStrategy>(); }

} // namespace axon::gpu_kernels
