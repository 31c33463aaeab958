//===- PoolStrategy.cpp - Strategy "pool_direct": max/avg pooling
//----------===//
//
// 2-D max and average pooling in one pass: each thread computes one output
// element over its unrolled window (consecutive threads on consecutive
// output columns). Padded positions are skipped by max; an average divides
// by the positions inside the input, or inside the padded input with
// count_include_pad (a ceil-mode overhang never counts), as the linalg
// lowering does. Config: {threads}.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct PoolProblem : KernelProblem {
  explicit PoolProblem(Operation *op) : KernelProblem(op) {}
  bool isMax = true, countIncludePad = false;
  Value input;
  int64_t c, h, w, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom,
      padRight;
};

constexpr int64_t kMaxWindow = 256;

template <typename PoolOp>
std::unique_ptr<PoolProblem>
matchPool(PoolOp op, bool isMax, bool countIncludePad, std::string &whyNot) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  RankedTensorType out = op.getType();
  Type element = out.getElementType();
  if (!(element.isF32() || element.isF16() || element.isBF16()) ||
      ShapedType::isDynamicShape(in.getShape().drop_front()) ||
      ShapedType::isDynamicShape(out.getShape().drop_front()) ||
      llvm::is_contained(in.getShape(), 0) ||
      llvm::is_contained(out.getShape(), 0)) {
    whyNot =
        "dynamic or zero sizes, or an element type other than f32, f16, bf16";
    return nullptr;
  }
  ArrayRef<int64_t> k = op.getKernelShape();
  if (k[0] * k[1] > kMaxWindow) {
    whyNot = "window larger than 256 elements";
    return nullptr;
  }
  auto p = std::make_unique<PoolProblem>(op);
  p->isMax = isMax;
  p->countIncludePad = countIncludePad;
  p->input = op.getInput();
  p->c = in.getDimSize(1);
  p->h = in.getDimSize(2);
  p->w = in.getDimSize(3);
  p->oh = out.getDimSize(2);
  p->ow = out.getDimSize(3);
  p->kh = k[0];
  p->kw = k[1];
  p->sh = op.getStrides()[0];
  p->sw = op.getStrides()[1];
  p->dh = op.getDilations()[0];
  p->dw = op.getDilations()[1];
  p->padTop = op.getPadding()[0];
  p->padLeft = op.getPadding()[1];
  p->padBottom = op.getPadding()[2];
  p->padRight = op.getPadding()[3];
  return p;
}

Value emitPool(RewriterBase &rewriter, const PoolProblem &p,
               DictionaryAttr config) {
  ImplicitLocOpBuilder b(p.op->getLoc(), rewriter);
  Type f32 = b.getF32Type();
  int64_t threads = *configInt(config, "threads");
  Value input = flatBuffer(b, p.input);
  auto resultType = cast<RankedTensorType>(p.op->getResult(0).getType());
  SmallVector<Value> dynamicDims;
  if (resultType.isDynamicDim(0))
    dynamicDims.push_back(dimSize(b, p.input, 0));
  auto [result, out] = allocResult(b, resultType, dynamicDims);
  Value total = numElements(b, result);
  gpu::LaunchOp launch;
  Value gid = buildItemLaunch(
      b, total, threads, p.isMax ? "pool_max" : "pool_avg", config, &launch);
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  Value ox = arith::RemUIOp::create(b, gid, idx(p.ow));
  Value rest = arith::DivUIOp::create(b, gid, idx(p.ow));
  Value oy = arith::RemUIOp::create(b, rest, idx(p.oh));
  Value plane = arith::DivUIOp::create(b, rest, idx(p.oh)); // n * C + c
  Value inPlane = arith::MulIOp::create(b, plane, idx(p.h * p.w));
  // Window origin in input coordinates (index arithmetic wraps: a negative
  // coordinate compares as huge unsigned).
  Value y0 = arith::SubIOp::create(b, arith::MulIOp::create(b, oy, idx(p.sh)),
                                   idx(p.padTop));
  Value x0 = arith::SubIOp::create(b, arith::MulIOp::create(b, ox, idx(p.sw)),
                                   idx(p.padLeft));
  Value acc = constFloat(
      b, f32, p.isMax ? -std::numeric_limits<double>::infinity() : 0.0);
  Value count = constFloat(b, f32, 0.0);
  Value zero = constFloat(b, f32, 0.0), oneF = constFloat(b, f32, 1.0);
  auto ult = [&](Value x, int64_t bound) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, idx(bound))
        .getResult();
  };
  for (int64_t ky = 0; ky < p.kh; ++ky) {
    Value iy = arith::AddIOp::create(b, y0, idx(ky * p.dh));
    // Shifted by the top padding, the padded rows are [0, h + top + bottom).
    Value padY = arith::AddIOp::create(b, iy, idx(p.padTop));
    Value rowIn = ult(iy, p.h),
          rowPadded = ult(padY, p.h + p.padTop + p.padBottom);
    Value iyc = arith::MinUIOp::create(b, iy, idx(p.h - 1));
    for (int64_t kx = 0; kx < p.kw; ++kx) {
      Value ix = arith::AddIOp::create(b, x0, idx(kx * p.dw));
      Value padX = arith::AddIOp::create(b, ix, idx(p.padLeft));
      Value inside = arith::AndIOp::create(b, rowIn, ult(ix, p.w));
      Value ixc = arith::MinUIOp::create(b, ix, idx(p.w - 1));
      Value at = arith::AddIOp::create(
          b, inPlane,
          arith::AddIOp::create(b, arith::MulIOp::create(b, iyc, idx(p.w)),
                                ixc));
      Value x = loadElement(b, input, at, f32);
      if (p.isMax) {
        acc = arith::SelectOp::create(
            b, inside, arith::MaximumFOp::create(b, acc, x), acc);
        continue;
      }
      acc = arith::AddFOp::create(b, acc,
                                  arith::SelectOp::create(b, inside, x, zero));
      Value counted =
          p.countIncludePad
              ? arith::AndIOp::create(b, rowPadded,
                                      ult(padX, p.w + p.padLeft + p.padRight))
                    .getResult()
              : inside;
      count = arith::AddFOp::create(
          b, count, arith::SelectOp::create(b, counted, oneF, zero));
    }
  }
  if (!p.isMax)
    acc = arith::DivFOp::create(b, acc, count);
  storeValue(b, acc, out, gid);
  b.setInsertionPointAfter(launch);
  return result;
}

class PoolStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "pool_direct"; }
  int priority() const override { return 100; }
  std::unique_ptr<KernelProblem> match(Operation *op,
                                       std::string &whyNot) const override {
    if (auto pool = dyn_cast<MaxPool2dOp>(op))
      return matchPool(pool, /*isMax=*/true, false, whyNot);
    if (auto pool = dyn_cast<AvgPool2dOp>(op))
      return matchPool(pool, /*isMax=*/false, pool.getCountIncludePad(),
                       whyNot);
    return nullptr;
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
    return {
        emitPool(rewriter, static_cast<const PoolProblem &>(problem), config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createPoolStrategy() {
  return std::make_unique<PoolStrategy>();
}

} // namespace axon::gpu_kernels
