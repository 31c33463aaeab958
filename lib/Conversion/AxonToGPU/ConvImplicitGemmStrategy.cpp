//===- ConvImplicitGemmStrategy.cpp - Strategy "conv_igemm"
//----------------===//
//
// conv2d (NCHW input, FCHW filter) as an implicit GEMM on the shared tiled
// main loop: per image and group, C[f, p] = sum_k W[f, k] * X[k, p] with
// k = (c, kh, kw) and p = (oh, ow). The im2col matrix X is never stored: its
// loader gathers input elements (zero in the padding) as tiles are staged.
// Strides, padding, dilation and groups are handled; bias and activation are
// applied to the accumulators before the single store. Config: the GEMM tile
// {bm, bn, bk, tm, tn}.
//
//===----------------------------------------------------------------------===//

#include "ConvGeometry.h"
#include "GemmMainLoop.h"
#include "KernelBuilder.h"
#include "Strategy.h"

#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

struct ConvProblem : KernelProblem, ConvGeometry {
  explicit ConvProblem(Conv2dOp op)
      : KernelProblem(op), ConvGeometry(ConvGeometry::of(op)), op(op) {}
  mutable Conv2dOp op;
  int64_t batch = -1; // -1 when dynamic
  int64_t cg() const { return c / groups; }
  int64_t fg() const { return f / groups; }
  int64_t kdim() const { return cg() * kh * kw; }
  int64_t pixels() const { return oh * ow; }
};

std::unique_ptr<ConvProblem> matchConv(Conv2dOp op, std::string &whyNot) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  RankedTensorType out = op.getType();
  Type element = out.getElementType();
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
  auto p = std::make_unique<ConvProblem>(op);
  p->batch = in.isDynamicDim(0) ? -1 : in.getDimSize(0);
  return p;
}

Value emitConv(RewriterBase &rewriter, const ConvProblem &p,
               const GemmTile &tile, DictionaryAttr config) {
  Conv2dOp op = p.op;
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  Type f32 = b.getF32Type();
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  Value input = flatBuffer(b, op.getInput());
  Value filter = flatBuffer(b, op.getFilter());
  Value bias = op.getBias() ? flatBuffer(b, op.getBias()) : Value();
  RankedTensorType resultType = op.getType();
  Value batch = dimSize(b, op.getInput(), 0);
  SmallVector<Value> dynamicDims;
  if (resultType.isDynamicDim(0))
    dynamicDims.push_back(batch);
  auto [result, out] = allocResult(b, resultType, dynamicDims);
  Value fg = idx(p.fg()), kdim = idx(p.kdim()), pixels = idx(p.pixels());
  Value images = arith::MulIOp::create(b, batch, idx(p.groups));
  gpu::LaunchOp launch = buildLaunch(
      b, ceilDiv(b, pixels, tile.bn), ceilDiv(b, fg, tile.bm), images,
      tile.threads(), gemmSharedBuffers(b.getContext(), tile),
      tile.label("conv_igemm"), config);
  Value tid = launch.getThreadIds().x;
  Value m0 = arith::MulIOp::create(b, launch.getBlockIds().y, idx(tile.bm));
  Value n0 = arith::MulIOp::create(b, launch.getBlockIds().x, idx(tile.bn));
  Value bz = launch.getBlockIds().z;
  Value image = arith::DivUIOp::create(b, bz, idx(p.groups));
  Value group = arith::RemUIOp::create(b, bz, idx(p.groups));
  Value zero = constFloat(b, f32, 0.0);
  // First filter row and first input channel of this group.
  Value fBase = arith::MulIOp::create(b, group, fg);
  Value cBase =
      arith::AddIOp::create(b, arith::MulIOp::create(b, image, idx(p.c)),
                            arith::MulIOp::create(b, group, idx(p.cg())));

  auto ult = [](ImplicitLocOpBuilder &lb, Value x, Value y) {
    return arith::CmpIOp::create(lb, arith::CmpIPredicate::ult, x, y)
        .getResult();
  };
  // A = this group's filters, [Fg, Kdim] row-major.
  GemmOperand a{
      [=](ImplicitLocOpBuilder &lb, Value r, Value k) -> Value {
        Value inside =
            arith::AndIOp::create(lb, ult(lb, r, fg), ult(lb, k, kdim));
        Value rc = arith::MinUIOp::create(lb, r, constIndex(lb, p.fg() - 1));
        Value kc = arith::MinUIOp::create(lb, k, constIndex(lb, p.kdim() - 1));
        Value at = arith::AddIOp::create(
            lb,
            arith::MulIOp::create(lb, arith::AddIOp::create(lb, fBase, rc),
                                  kdim),
            kc);
        return arith::SelectOp::create(lb, inside,
                                       loadElement(lb, filter, at, f32), zero);
      },
      /*kContiguous=*/true};
  // B = the implicit im2col matrix, [Kdim, OH*OW]; zero in the padding.
  GemmOperand bOp{
      [=](ImplicitLocOpBuilder &lb, Value k, Value pix) -> Value {
        auto c = [&](int64_t v) { return constIndex(lb, v); };
        Value kc = arith::MinUIOp::create(lb, k, c(p.kdim() - 1));
        Value pc = arith::MinUIOp::create(lb, pix, c(p.pixels() - 1));
        Value window = c(p.kh * p.kw);
        Value ch = arith::DivUIOp::create(lb, kc, window);
        Value rem = arith::RemUIOp::create(lb, kc, window);
        Value ky = arith::DivUIOp::create(lb, rem, c(p.kw));
        Value kx = arith::RemUIOp::create(lb, rem, c(p.kw));
        Value oy = arith::DivUIOp::create(lb, pc, c(p.ow));
        Value ox = arith::RemUIOp::create(lb, pc, c(p.ow));
        // iy = oy*sh + ky*dh - padTop (may be negative: signed compares).
        Value iy = arith::SubIOp::create(
            lb,
            arith::AddIOp::create(lb, arith::MulIOp::create(lb, oy, c(p.sh)),
                                  arith::MulIOp::create(lb, ky, c(p.dh))),
            c(p.padTop));
        Value ix = arith::SubIOp::create(
            lb,
            arith::AddIOp::create(lb, arith::MulIOp::create(lb, ox, c(p.sw)),
                                  arith::MulIOp::create(lb, kx, c(p.dw))),
            c(p.padLeft));
        // As unsigned, a negative coordinate is huge: one compare per bound.
        Value inside = arith::AndIOp::create(
            lb,
            arith::AndIOp::create(lb, ult(lb, k, kdim), ult(lb, pix, pixels)),
            arith::AndIOp::create(lb, ult(lb, iy, c(p.h)),
                                  ult(lb, ix, c(p.w))));
        Value iyc = arith::MinUIOp::create(lb, iy, c(p.h - 1));
        Value ixc = arith::MinUIOp::create(lb, ix, c(p.w - 1));
        Value plane = arith::AddIOp::create(lb, cBase, ch);
        Value at = arith::AddIOp::create(
            lb,
            arith::MulIOp::create(
                lb,
                arith::AddIOp::create(
                    lb, arith::MulIOp::create(lb, plane, c(p.h)), iyc),
                c(p.w)),
            ixc);
        return arith::SelectOp::create(lb, inside,
                                       loadElement(lb, input, at, f32), zero);
      },
      /*kContiguous=*/false};
  SmallVector<Value> acc = emitGemmMainLoop(
      b, tile, a, bOp, kdim, m0, n0, tid, launch.getWorkgroupAttributions()[0],
      launch.getWorkgroupAttributions()[1]);
  // out[image, fBase + f, pix]
  Value outBase = arith::MulIOp::create(
      b,
      arith::AddIOp::create(b, arith::MulIOp::create(b, image, idx(p.f)),
                            fBase),
      pixels);
  forEachAccumulator(
      b, tile, acc, m0, n0, tid, fg, pixels,
      [&](ImplicitLocOpBuilder &lb, Value row, Value col, Value x) {
        Value channel = arith::AddIOp::create(lb, fBase, row);
        x = applyEpilogue(lb, op, x, bias, channel);
        Value at = arith::AddIOp::create(
            lb, outBase,
            arith::AddIOp::create(lb, arith::MulIOp::create(lb, row, pixels),
                                  col));
        storeValue(lb, x, out, at);
      });
  b.setInsertionPointAfter(launch);
  return result;
}

class ConvImplicitGemmStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "conv_igemm"; }
  int priority() const override { return 90; }
  std::unique_ptr<KernelProblem> match(Operation *op,
                                       std::string &whyNot) const override {
    auto conv = dyn_cast<Conv2dOp>(op);
    if (!conv)
      return nullptr;
    return matchConv(conv, whyNot);
  }
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    const auto &p = static_cast<const ConvProblem &>(problem);
    int64_t images = p.batch < 0 ? -1 : p.batch * p.groups;
    GemmTile tile =
        GemmTile::choose(p.fg(), p.pixels(), images, target.multiprocessors);
    // Few filters per group (e.g. 64): a 64-row tile wastes nothing, and
    // 16-deep slices halve the barriers of a gathered B (H200: 0.116 ms
    // against 0.150 for 64x128x8 on ResNet-50's 8x64x56x56 3x3 layer).
    if (p.fg() <= 64)
      tile = GemmTile{64, 64, 16, 4, 4};
    return tile.toConfig(problem.op->getContext());
  }
  std::vector<DictionaryAttr> candidateConfigs(const KernelProblem &problem,
                                               const GpuTarget &target) const override {
    return validCandidates(*this, problem, target,
                           GemmTile::tuningCandidates(problem.op->getContext()));
  }
  LogicalResult verifyConfig(const KernelProblem &, DictionaryAttr config,
                             std::string &error) const override {
    return GemmTile::verifyConfig(config, error);
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    return {emitConv(rewriter, static_cast<const ConvProblem &>(problem),
                     GemmTile::fromConfig(config), config)};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createConvImplicitGemmStrategy() {
  return std::make_unique<ConvImplicitGemmStrategy>();
}

} // namespace axon::gpu_kernels
