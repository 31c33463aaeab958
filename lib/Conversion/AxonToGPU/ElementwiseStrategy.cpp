//===- ElementwiseStrategy.cpp - Strategy "elementwise": vectorized kernels ===//
//
// Strategy "elementwise_vecN": a fused all-parallel linalg.generic becomes a
// kernel in which each thread computes N consecutive elements (N = 4 when the
// innermost dimension allows, so f32 operands move as 16-byte vectors).
// Operands indexed like the result are read with vector loads; broadcast
// operands are read once and splatted (or gathered lane by lane when they
// vary along the innermost dimension in another order). The generic's body
// is re-emitted on vectors, which its elementwise-mappable ops allow.
// Each thread handles `unroll` groups `threads` apart, all loaded before any
// is stored. Config: {threads, vec, unroll}.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "Strategy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

/// Each map result must be a loop dim or the constant 0 (a broadcast dim).
bool isSimpleIndexing(AffineMap map) {
  return llvm::all_of(map.getResults(), [](AffineExpr e) {
    if (isa<AffineDimExpr>(e))
      return true;
    auto c = dyn_cast<AffineConstantExpr>(e);
    return c && c.getValue() == 0;
  });
}

const char *unsupportedReason(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumReductionLoops() != 0 ||
      op.getNumLoops() == 0)
    return "not an all-parallel generic on tensors";
  for (OpOperand &init : op.getDpsInitsMutable())
    if (!op.getMatchingIndexingMap(&init).isIdentity())
      return "a result is not indexed by the identity";
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<RankedTensorType>(input->get().getType()))
      return "an operand is not a ranked tensor";
    if (!isSimpleIndexing(op.getMatchingIndexingMap(input)))
      return "an operand is indexed by an expression other than a loop dim or 0";
  }
  for (Operation &bodyOp : op.getBody()->without_terminator()) {
    if (isa<arith::ConstantOp>(bodyOp))
      continue;
    if (!OpTrait::hasElementwiseMappableTraits(&bodyOp) || bodyOp.getNumRegions() != 0)
      return "the body has an op that is not elementwise-mappable (e.g. linalg.index)";
  }
  // Element types must be vectorizable scalars (no index, no complex).
  for (Value v : op->getOperands()) {
    Type e = cast<ShapedType>(v.getType()).getElementType();
    if (!e.isIntOrFloat())
      return "an element type is not an integer or float";
  }
  return nullptr;
}

/// Whether any operand is boolean: i1 vectors would be stored bit-packed,
/// and booleans are bytes in memory.
bool hasBoolOperand(linalg::GenericOp op) {
  return llvm::any_of(op->getOperandTypes(), [](Type t) {
    return cast<ShapedType>(t).getElementType().isInteger(1);
  });
}

int64_t innerSize(linalg::GenericOp op) {
  return cast<RankedTensorType>(op.getDpsInits()[0].getType()).getShape().back();
}

Value formElementwiseKernel(RewriterBase &rewriter, linalg::GenericOp op,
                            SmallVector<Value> &results, DictionaryAttr config) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  Value like = op.getDpsInits()[0];
  auto outType = cast<RankedTensorType>(like.getType());
  int64_t rank = outType.getRank();
  int64_t vec = *configInt(config, "vec");
  int64_t kThreads = *configInt(config, "threads");

  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(dimSize(b, like, d));
  Value total = numElements(b, like);

  struct Input {
    Value buffer;
    AffineMap map;
    SmallVector<Value> sizes; // of the operand, for its linear index
  };
  SmallVector<Input> inputs;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    Input in{flatBuffer(b, operand->get()), op.getMatchingIndexingMap(operand), {}};
    auto t = cast<RankedTensorType>(operand->get().getType());
    for (int64_t d = 0; d < t.getRank(); ++d)
      in.sizes.push_back(dimSize(b, operand->get(), d));
    inputs.push_back(std::move(in));
  }
  SmallVector<Value> outs;
  for (Value init : op.getDpsInits()) {
    auto [tensor, buffer] =
        allocResult(b, init, cast<RankedTensorType>(init.getType()).getElementType());
    results.push_back(tensor);
    outs.push_back(buffer);
  }

  // Each thread handles `unroll` groups of `vec` elements, `threads` groups
  // apart (coalesced). All groups are loaded first (clamped to the last
  // group, so every load is in bounds) and computed, then stored under their
  // guards: the loads of all groups are in flight together.
  int64_t unroll = *configInt(config, "unroll");
  Value one = constIndex(b, 1);
  Value grid = ceilDiv(b, ceilDiv(b, total, vec), kThreads * unroll);
  gpu::LaunchOp launch = buildLaunch(b, grid, one, one, kThreads, {},
                                     "elementwise_vec" + std::to_string(vec), config);
  Value blockStart =
      arith::MulIOp::create(b, launch.getBlockIds().x, constIndex(b, kThreads * unroll));
  Value lastGroup = arith::SubIOp::create(b, total, constIndex(b, vec));
  auto vectorOf = [&](Type element) -> Type {
    return vec == 1 ? element : VectorType::get({vec}, element);
  };
  Block *body = op.getBody();

  // Loads the operands of the group starting at `first` into `mapping`.
  auto loadGroup = [&](Value first, IRMapping &mapping) {
    // The multi-index of the first element (innermost varies fastest).
    SmallVector<Value> index(rank);
    Value rest = first;
    for (int64_t d = rank - 1; d >= 0; --d) {
      index[d] = arith::RemUIOp::create(b, rest, sizes[d]);
      rest = arith::DivUIOp::create(b, rest, sizes[d]);
    }
    for (auto [in, arg] : llvm::zip(inputs, body->getArguments())) {
      Type element = cast<MemRefType>(in.buffer.getType()).getElementType();
      if (in.map.isIdentity()) {
        mapping.map(arg, loadVector(b, in.buffer, first, vec, element));
        continue;
      }
      // Linear index of the operand element `lane` steps along the
      // innermost loop dim.
      auto linearAt = [&](int64_t lane) {
        Value linear = constIndex(b, 0);
        for (auto [r, expr] : llvm::enumerate(in.map.getResults())) {
          Value i = constIndex(b, 0);
          if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
            i = index[dim.getPosition()];
            if (lane && dim.getPosition() == static_cast<unsigned>(rank - 1))
              i = arith::AddIOp::create(b, i, constIndex(b, lane));
          }
          linear = arith::AddIOp::create(b, arith::MulIOp::create(b, linear, in.sizes[r]), i);
        }
        return linear;
      };
      bool usesInner = in.map.isFunctionOfDim(rank - 1);
      bool innerIsLast = in.map.getNumResults() != 0 &&
                         in.map.getResults().back() == b.getAffineDimExpr(rank - 1);
      Value loaded;
      if (vec == 1 || !usesInner) {
        loaded = loadElement(b, in.buffer, linearAt(0), element);
        if (vec > 1)
          loaded = vector::BroadcastOp::create(b, vectorOf(element), loaded);
      } else if (innerIsLast) {
        loaded = loadVector(b, in.buffer, linearAt(0), vec, element);
      } else {
        SmallVector<Value> lanes;
        for (int64_t l = 0; l < vec; ++l)
          lanes.push_back(loadElement(b, in.buffer, linearAt(l), element));
        loaded = vector::FromElementsOp::create(b, cast<VectorType>(vectorOf(element)), lanes);
      }
      mapping.map(arg, loaded);
    }
  };
  // Re-emits the body on vectors; scalar constants are splatted.
  auto computeGroup = [&](IRMapping &mapping) {
    for (Operation &bodyOp : body->without_terminator()) {
      if (auto cst = dyn_cast<arith::ConstantOp>(bodyOp)) {
        Value c = arith::ConstantOp::create(b, cst.getValue().getType(),
                                            cast<TypedAttr>(cst.getValue()));
        if (vec > 1)
          c = vector::BroadcastOp::create(b, vectorOf(c.getType()), c);
        mapping.map(cst.getResult(), c);
        continue;
      }
      // Scalars captured from outside the generic are splatted too (the
      // launch captures them; outlining passes them as kernel arguments).
      for (Value operand : bodyOp.getOperands())
        if (vec > 1 && !mapping.contains(operand) &&
            !op.getRegion().isAncestor(operand.getParentRegion()))
          mapping.map(operand, vector::BroadcastOp::create(
                                   b, vectorOf(operand.getType()), operand));
      Operation *clone = b.clone(bodyOp, mapping);
      for (OpResult r : clone->getResults())
        r.setType(vectorOf(r.getType()));
    }
  };

  SmallVector<Value> firsts;
  SmallVector<IRMapping> mappings(unroll);
  for (int64_t u = 0; u < unroll; ++u) {
    Value group = arith::AddIOp::create(
        b, blockStart,
        arith::AddIOp::create(b, constIndex(b, u * kThreads), launch.getThreadIds().x));
    Value first = arith::MulIOp::create(b, group, constIndex(b, vec));
    firsts.push_back(first);
    loadGroup(arith::MinUIOp::create(b, first, lastGroup), mappings[u]);
  }
  for (int64_t u = 0; u < unroll; ++u)
    computeGroup(mappings[u]);
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  for (int64_t u = 0; u < unroll; ++u) {
    auto guard = scf::IfOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, firsts[u], total), false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(guard.thenBlock());
    for (auto [value, out] : llvm::zip(yield.getValues(), outs))
      storeValue(b, mappings[u].lookupOrDefault(value), out, firsts[u]);
  }
  b.setInsertionPointAfter(launch);
  return results.front();
}

class ElementwiseStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "elementwise"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op, std::string &whyNot) const override {
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (!generic)
      return nullptr;
    if (const char *reason = unsupportedReason(generic)) {
      whyNot = reason;
      return nullptr;
    }
    return std::make_unique<KernelProblem>(op);
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem, const GpuTarget &) const override {
    auto op = cast<linalg::GenericOp>(problem.op);
    int64_t inner = innerSize(op);
    int64_t vec =
        !hasBoolOperand(op) && !ShapedType::isDynamic(inner) && inner % 4 == 0 ? 4 : 1;
    // Several groups per thread keep more loads in flight on large tensors.
    auto type = cast<RankedTensorType>(op.getDpsInits()[0].getType());
    int64_t unroll = type.hasStaticShape() && type.getNumElements() >= (int64_t(1) << 22) ? 4 : 1;
    return makeConfig(op->getContext(), {{"threads", 256}, {"vec", vec}, {"unroll", unroll}});
  }
  LogicalResult verifyConfig(const KernelProblem &problem, DictionaryAttr config,
                             std::string &error) const override {
    if (failed(checkConfigKeys(config, {"threads", "vec", "unroll"}, error)))
      return failure();
    if (*configInt(config, "unroll") > 8) {
      error = "unroll must be at most 8";
      return failure();
    }
    auto op = cast<linalg::GenericOp>(problem.op);
    int64_t threads = *configInt(config, "threads"), vec = *configInt(config, "vec");
    int64_t inner = innerSize(op);
    if (threads % kWarpSize || threads > 1024) {
      error = "threads must be a multiple of 32 up to 1024";
      return failure();
    }
    if (vec != 1 && (vec > 4 || hasBoolOperand(op) || ShapedType::isDynamic(inner) ||
                     inner % vec)) {
      error = "vec must be 1, or 2 or 4 dividing a static innermost size (no booleans)";
      return failure();
    }
    return success();
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    SmallVector<Value> results;
    formElementwiseKernel(rewriter, cast<linalg::GenericOp>(problem.op), results, config);
    return results;
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createElementwiseStrategy() {
  return std::make_unique<ElementwiseStrategy>();
}

} // namespace axon::gpu_kernels
