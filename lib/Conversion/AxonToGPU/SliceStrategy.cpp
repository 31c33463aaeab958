//===- SliceStrategy.cpp - Strategy "slice": strided slices as copies
//------===//
//
// axon.slice with static shapes and positive steps (e.g. the q/k/v split of
// a fused projection) becomes one vectorized strided copy: source strides
// are the input's strides times the steps, the base is the offset of the
// slice's first element. Vectors need a unit innermost step and an aligned
// start, innermost size and input row. Config {threads, vec}.
//
//===----------------------------------------------------------------------===//

#include "CopyKernel.h"
#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct SliceProblem : KernelProblem {
  explicit SliceProblem(SliceOp op) : KernelProblem(op), op(op) {}
  mutable SliceOp op;
  SmallVector<int64_t> firsts; // the first source index of each dim
};

std::unique_ptr<SliceProblem> matchSlice(SliceOp op, std::string &whyNot) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  RankedTensorType out = op.getType();
  if (!in.hasStaticShape() || in.getRank() == 0 ||
      llvm::is_contained(out.getShape(), 0)) {
    whyNot = "dynamic, rank-0 or empty shapes";
    return nullptr;
  }
  if (in.getElementType().isInteger(1) || !in.getElementType().isIntOrFloat()) {
    whyNot = "boolean or non-scalar elements";
    return nullptr;
  }
  if (llvm::any_of(op.getSteps(), [](int64_t s) { return s <= 0; })) {
    whyNot = "negative steps";
    return nullptr;
  }
  auto p = std::make_unique<SliceProblem>(op);
  for (int64_t d = 0; d < in.getRank(); ++d) {
    // Python's rules for a positive step: negative starts count from the
    // end, and starts are clamped to [0, n].
    int64_t n = in.getDimSize(d), start = op.getStarts()[d];
    p->firsts.push_back(start < 0 ? std::max<int64_t>(n + start, 0)
                                  : std::min(start, n));
  }
  return p;
}

class SliceStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "slice"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op,
                                       std::string &whyNot) const override {
    auto slice = dyn_cast<SliceOp>(op);
    if (!slice)
      return nullptr;
    return matchSlice(slice, whyNot);
  }
  /// Vectors need unit innermost steps and alignment of every vector.
  static int64_t maxVec(const SliceProblem &p) {
    auto in = cast<RankedTensorType>(p.op.getInput().getType());
    if (p.op.getSteps().back() != 1)
      return 1;
    return widestVector({in.getShape().back(), p.firsts.back(),
                         p.op.getType().getShape().back()},
                        in.getElementTypeBitWidth());
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &) const override {
    const auto &p = static_cast<const SliceProblem &>(problem);
    return makeConfig(p.op->getContext(),
                      {{"threads", 256}, {"vec", maxVec(p)}});
  }
  LogicalResult verifyConfig(const KernelProblem &problem,
                             DictionaryAttr config,
                             std::string &error) const override {
    if (failed(checkConfigKeys(config, {"threads", "vec"}, error)))
      return failure();
    int64_t most = maxVec(static_cast<const SliceProblem &>(problem));
    int64_t vec = *configInt(config, "vec");
    if (vec > most || most % vec || *configInt(config, "threads") > 1024) {
      error = "vec must divide " + std::to_string(most) +
              " and threads be at most 1024";
      return failure();
    }
    return success();
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    const auto &p = static_cast<const SliceProblem &>(problem);
    ImplicitLocOpBuilder b(p.op.getLoc(), rewriter);
    auto inType = cast<RankedTensorType>(p.op.getInput().getType());
    RankedTensorType outType = p.op.getType();
    int64_t vec = *configInt(config, "vec"),
            threads = *configInt(config, "threads");
    Value in = flatBuffer(b, p.op.getInput());
    auto [result, out] = allocResult(b, outType, {});
    SmallVector<Value> outSizes, srcStrides;
    int64_t stride = 1, base = 0;
    SmallVector<int64_t> strides(inType.getRank());
    for (int64_t d = inType.getRank() - 1; d >= 0; --d) {
      strides[d] = stride;
      base += p.firsts[d] * stride;
      stride *= inType.getDimSize(d);
    }
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      outSizes.push_back(constIndex(b, outType.getDimSize(d)));
      srcStrides.push_back(constIndex(b, strides[d] * p.op.getSteps()[d]));
    }
    emitStridedCopy(b, in, out, outSizes, srcStrides, constIndex(b, base),
                    constIndex(b, outType.getNumElements()), threads, vec,
                    "slice_copy_vec" + std::to_string(vec), config);
    return {result};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createSliceStrategy() {
  return std::make_unique<SliceStrategy>();
}

} // namespace axon::gpu_kernels
