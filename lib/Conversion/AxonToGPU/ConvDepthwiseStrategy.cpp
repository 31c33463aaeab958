//===- ConvDepthwiseStrategy.cpp - Strategy "conv_depthwise"
//---------------===//
//
// A depthwise conv2d (one input channel per group) is memory-bound with a
// few multiply-adds per output: a GEMM tile would be mostly empty. Each
// thread computes one output element; consecutive threads take consecutive
// output columns, so loads and the store are coalesced, and the KH x KW
// window is unrolled with padding checks. Bias and activation are fused.
// Config: {threads}.
//
//===----------------------------------------------------------------------===//

#include "ConvGeometry.h"
#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct DepthwiseProblem : KernelProblem, ConvGeometry {
  explicit DepthwiseProblem(Conv2dOp op)
      : KernelProblem(op), ConvGeometry(ConvGeometry::of(op)), op(op) {}
  mutable Conv2dOp op;
};

constexpr int64_t kMaxWindow = 64;

std::unique_ptr<DepthwiseProblem> matchDepthwise(Conv2dOp op,
                                                 std::string &whyNot) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  auto filter = cast<RankedTensorType>(op.getFilter().getType());
  RankedTensorType out = op.getType();
  Type element = out.getElementType();
  int64_t groups = op.getGroups();
  if (groups == 1 || in.isDynamicDim(1) || in.getDimSize(1) != groups) {
    whyNot = "not depthwise (groups != input channels)";
    return nullptr;
  }
  if (!(element.isF32() || element.isF16() || element.isBF16())) {
    whyNot = "element type is not f32, f16 or bf16";
    return nullptr;
  }
  if (!ConvGeometry::isStaticButBatch(op, whyNot))
    return nullptr;
  if (llvm::is_contained(in.getShape(), 0) ||
      llvm::is_contained(out.getShape(), 0)) {
    whyNot = "zero-sized operands";
    return nullptr;
  }
  if (filter.getDimSize(2) * filter.getDimSize(3) > kMaxWindow) {
    whyNot = "window larger than 64 elements";
    return nullptr;
  }
  auto p = std::make_unique<DepthwiseProblem>(op);
  return p;
}

Value emitDepthwise(RewriterBase &rewriter, const DepthwiseProblem &p,
                    DictionaryAttr config) {
  Conv2dOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  Type f32 = b.getF32Type();
  int64_t threads = *configInt(config, "threads");
  Value input = flatBuffer(b, op.getInput());
  Value filter = flatBuffer(b, op.getFilter());
  Value bias = op.getBias() ? flatBuffer(b, op.getBias()) : Value();
  RankedTensorType resultType = op.getType();
  SmallVector<Value> dynamicDims;
  if (resultType.isDynamicDim(0))
    dynamicDims.push_back(dimSize(b, op.getInput(), 0));
  auto [result, out] = allocResult(b, resultType, dynamicDims);
  Value total = numElements(b, result);
  gpu::LaunchOp launch;
  Value gid =
      buildItemLaunch(b, total, threads, "conv_depthwise", config, &launch);
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  // gid = ((n * F + f) * OH + oy) * OW + ox
  Value ox = arith::RemUIOp::create(b, gid, idx(p.ow));
  Value rest = arith::DivUIOp::create(b, gid, idx(p.ow));
  Value oy = arith::RemUIOp::create(b, rest, idx(p.oh));
  Value plane = arith::DivUIOp::create(b, rest, idx(p.oh)); // n * F + f
  Value f = arith::RemUIOp::create(b, plane, idx(p.f));
  Value n = arith::DivUIOp::create(b, plane, idx(p.f));
  // Output channel f reads input channel f / (F / C).
  Value channel = arith::DivUIOp::create(b, f, idx(p.f / p.c));
  Value inPlane = arith::MulIOp::create(
      b,
      arith::AddIOp::create(b, arith::MulIOp::create(b, n, idx(p.c)), channel),
      idx(p.h * p.w));
  Value y0 = arith::SubIOp::create(b, arith::MulIOp::create(b, oy, idx(p.sh)),
                                   idx(p.padTop));
  Value x0 = arith::SubIOp::create(b, arith::MulIOp::create(b, ox, idx(p.sw)),
                                   idx(p.padLeft));
  Value filterBase = arith::MulIOp::create(b, f, idx(p.kh * p.kw));
  Value acc = constFloat(b, f32, 0.0);
  Value zero = acc;
  for (int64_t ky = 0; ky < p.kh; ++ky) {
    Value iy = arith::AddIOp::create(b, y0, idx(ky * p.dh));
    Value rowInside =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, iy, idx(p.h));
    Value iyc = arith::MinUIOp::create(b, iy, idx(p.h - 1));
    for (int64_t kx = 0; kx < p.kw; ++kx) {
      Value ix = arith::AddIOp::create(b, x0, idx(kx * p.dw));
      Value inside = arith::AndIOp::create(
          b, rowInside,
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, ix, idx(p.w)));
      Value ixc = arith::MinUIOp::create(b, ix, idx(p.w - 1));
      Value at = arith::AddIOp::create(
          b, inPlane,
          arith::AddIOp::create(b, arith::MulIOp::create(b, iyc, idx(p.w)),
                                ixc));
      Value x = arith::SelectOp::create(b, inside,
                                        loadElement(b, input, at, f32), zero);
      Value wv = loadElement(
          b, filter, arith::AddIOp::create(b, filterBase, idx(ky * p.kw + kx)),
          f32);
      acc = math::FmaOp::create(b, x, wv, acc);
    }
  }
  acc = applyEpilogue(b, op, acc, bias, f);
  storeValue(b, acc, out, gid);
  b.setInsertionPointAfter(launch);
  return result;
}

class ConvDepthwiseStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "conv_depthwise"; }
  int priority() const override { return 95; }
  std::unique_ptr<KernelProblem> match(Operation *op,
                                       std::string &whyNot) const override {
    auto conv = dyn_cast<Conv2dOp>(op);
    if (!conv)
      return nullptr;
    return matchDepthwise(conv, whyNot);
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &) const override {
    return threadsConfig(problem.op->getContext(), 256);
  }
  LogicalResult verifyConfig(const KernelProblem &, DictionaryAttr config,
                             std::string &error) const override {
    return verifyThreadsConfig(config, error);
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitDepthwise(
        rewriter, static_cast<const DepthwiseProblem &>(problem), config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createConvDepthwiseStrategy() {
  return std::make_unique<ConvDepthwiseStrategy>();
}

} // namespace axon::gpu_kernels
