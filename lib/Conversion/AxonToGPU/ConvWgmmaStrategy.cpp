//===- ConvWgmmaStrategy.cpp - f16/bf16 convolutions on the tensor cores --===//
//
// conv_wgmma: an f16/bf16 NCHW convolution on sm_90a as a GEMM on the
// tensor-core main loop of matmul_wgmma (k = (c, kh, kw), p = (oh, ow)):
//
// - NCHW out (when OH*OW is a multiple of 8, the TMA row size):
//     out[n, f, p] = sum_k W[f, k] * col[n, k, p]
//   the filter as stored is A; B is the input itself for an unstrided,
//   unpadded 1x1 convolution, else `col` gathered by a kernel (8 consecutive
//   pixels per thread: coalesced loads and one 16-byte store); the result is
//   NCHW as it stands; the bias is per row (per filter).
// - NHWC out (other sizes, e.g. 14x14 and 7x7 maps):
//     out^T[n*OH*OW + p, f] = sum_k col[n*OH*OW + p, k] * W[f, k]
//   `col` gathered one row per output pixel (K-contiguous, A), the filter as
//   the transposed B, the bias per column, then a transpose to NCHW.
// The gather costs KH*KW times the input in memory traffic; in exchange the
// FLOPs run at tensor-core rates instead of on the FMA units (conv_igemm).
//
//===----------------------------------------------------------------------===//

#include "ConvGeometry.h"
#include "KernelBuilder.h"
#include "MatmulProblem.h"
#include "Strategy.h"

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Support/GpuAbi.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {
namespace {

/// Elements of `col` each gather thread writes (one 16-byte store).
constexpr int64_t kGatherWidth = 8;

struct ConvGemmProblem : KernelProblem {
  ConvGemmProblem(Conv2dOp op, ConvGeometry g, int64_t batch)
      : KernelProblem(op), op(op), g(g), batch(batch) {}
  mutable Conv2dOp op;
  ConvGeometry g;
  int64_t batch;
  int64_t pixels() const { return g.oh * g.ow; }
  int64_t k() const { return g.c * g.kh * g.kw; }
  /// Whether the GEMM writes NCHW directly (else NHWC and a transpose).
  bool nchw() const { return pixels() % 8 == 0 && (batch == 1 || k() % 64 == 0); }
  /// An unstrided, unpadded 1x1 convolution reads the input as B.
  bool pointwise() const {
    return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 &&
           g.padLeft == 0 && g.oh == g.h && g.ow == g.w;
  }
  /// The GEMM's rows, columns and batch.
  std::array<int64_t, 3> gemmSizes() const {
    if (nchw())
      return {g.f, pixels(), batch};
    return {batch * pixels(), g.f, 1};
  }
};

/// The problem the builtin strategy `name` makes of an op conv_wgmma built
/// (one it checked that strategy takes).
std::unique_ptr<KernelProblem> matchBuilt(const KernelStrategy *strategy, Operation *op) {
  std::string whyNot;
  std::unique_ptr<KernelProblem> problem = strategy ? strategy->match(op, whyNot) : nullptr;
  if (!problem) {
    op->emitError() << "conv_wgmma built an op that its strategy declines: " << whyNot;
    llvm::report_fatal_error("conv_wgmma: inconsistent decomposition");
  }
  return problem;
}

/// Forms `op`'s kernels with the builtin strategy `name` and its heuristic's
/// config; returns what replaced its result.
Value emitThrough(RewriterBase &rewriter, StringRef name, Operation *op) {
  const KernelStrategy *strategy = StrategyRegistry::builtin().lookup(name);
  std::unique_ptr<KernelProblem> problem = matchBuilt(strategy, op);
  rewriter.setInsertionPoint(op);
  Value result = strategy->emit(rewriter, *problem, strategy->chooseConfig(
                                                        *problem, GpuTarget::forChip("sm_90a")))
                     .front();
  rewriter.replaceOp(op, result);
  return result;
}

/// The GEMM on matmul_wgmma with `config`, and `rowBias` (if any) per row.
Value emitGemm(RewriterBase &rewriter, MatmulOp gemm, Value rowBias, DictionaryAttr config) {
  const KernelStrategy *strategy = StrategyRegistry::builtin().lookup("matmul_wgmma");
  std::unique_ptr<KernelProblem> problem = matchBuilt(strategy, gemm);
  static_cast<MatmulProblem &>(*problem).rowBias = rowBias;
  rewriter.setInsertionPoint(gemm);
  Value result = strategy->emit(rewriter, *problem, config).front();
  rewriter.replaceOp(gemm, result);
  return result;
}

/// x[n, c, oh*sh + kh*dh - top, ow*sw + kw*dw - left], zero in the padding
/// (`n` and `c` as index values, the rest as signed i64 window positions).
Value loadWindowElement(ImplicitLocOpBuilder &b, const ConvGemmProblem &p, Value xFlat, Value n,
                        Value c, Value ih, Value iw) {
  const ConvGeometry &g = p.g;
  Type element = p.op.getType().getElementType();
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto i64c = [&](int64_t v) { return arith::ConstantIntOp::create(b, v, 64).getResult(); };
  auto within = [&](Value v, int64_t size) {
    Value low = arith::CmpIOp::create(b, arith::CmpIPredicate::sge, v, i64c(0));
    Value high = arith::CmpIOp::create(b, arith::CmpIPredicate::slt, v, i64c(size));
    return arith::AndIOp::create(b, low, high).getResult();
  };
  Value inside = arith::AndIOp::create(b, within(ih, g.h), within(iw, g.w));
  // A clamped (always valid) address; the value is dropped outside.
  auto clamp = [&](Value v, int64_t size) {
    Value low = arith::MaxSIOp::create(b, v, i64c(0));
    Value high = arith::MinSIOp::create(b, low, i64c(size - 1));
    return arith::IndexCastOp::create(b, b.getIndexType(), high).getResult();
  };
  Value plane = arith::AddIOp::create(b, arith::MulIOp::create(b, n, idx(g.c)), c);
  Value at = arith::AddIOp::create(
      b, arith::MulIOp::create(b, plane, idx(g.h * g.w)),
      arith::AddIOp::create(b, arith::MulIOp::create(b, clamp(ih, g.h), idx(g.w)),
                            clamp(iw, g.w)));
  Value x = loadElement(b, xFlat, at, element);
  return arith::SelectOp::create(b, inside, x, constFloat(b, element, 0.0));
}

/// col[n, k, p] for the NCHW GEMM: kGatherWidth consecutive pixels per
/// thread (P is a multiple of it, so they share n and k).
Value emitGatherNCHW(ImplicitLocOpBuilder &b, const ConvGemmProblem &p, Value input) {
  const ConvGeometry &g = p.g;
  Type element = p.op.getType().getElementType();
  auto colType = RankedTensorType::get({p.batch, p.k(), p.pixels()}, element);
  auto [col, colFlat] = allocResult(b, colType, ValueRange{});
  Value xFlat = flatBuffer(b, input);
  Value i = buildItemLaunch(b, constIndex(b, p.batch * p.k() * p.pixels() / kGatherWidth), 256,
                            "im2col_conv_wgmma", {});
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto div = [&](Value a, int64_t d) { return arith::DivUIOp::create(b, a, idx(d)).getResult(); };
  auto rem = [&](Value a, int64_t d) { return arith::RemUIOp::create(b, a, idx(d)).getResult(); };
  auto mul = [&](Value a, int64_t v) { return arith::MulIOp::create(b, a, idx(v)).getResult(); };
  Type i64 = b.getI64Type();
  auto signedIndex = [&](Value v) { return arith::IndexCastOp::create(b, i64, v).getResult(); };
  auto i64c = [&](int64_t v) { return arith::ConstantIntOp::create(b, v, 64).getResult(); };
  Value first = mul(i, kGatherWidth);
  Value n = div(first, p.k() * p.pixels()), inImage = rem(first, p.k() * p.pixels());
  Value k = div(inImage, p.pixels()), p0 = rem(inImage, p.pixels());
  Value c = div(k, g.kh * g.kw), tap = rem(k, g.kh * g.kw);
  Value rowOffset = arith::SubIOp::create(b, signedIndex(mul(div(tap, g.kw), g.dh)), i64c(g.padTop));
  Value colOffset =
      arith::SubIOp::create(b, signedIndex(mul(rem(tap, g.kw), g.dw)), i64c(g.padLeft));
  SmallVector<Value> values;
  for (int64_t e = 0; e < kGatherWidth; ++e) {
    Value pixel = arith::AddIOp::create(b, p0, idx(e));
    Value ih = arith::AddIOp::create(b, signedIndex(mul(div(pixel, g.ow), g.sh)), rowOffset);
    Value iw = arith::AddIOp::create(b, signedIndex(mul(rem(pixel, g.ow), g.sw)), colOffset);
    values.push_back(loadWindowElement(b, p, xFlat, n, c, ih, iw));
  }
  Value vector =
      vector::FromElementsOp::create(b, VectorType::get({kGatherWidth}, element), values);
  storeValue(b, vector, colFlat, first);
  b.setInsertionPointAfter(i.getDefiningOp()->getParentOfType<gpu::LaunchOp>());
  return col;
}

/// col[n*OH*OW + p, k] for the NHWC GEMM: kGatherWidth consecutive k per
/// thread (K is a multiple of it).
Value emitGatherNHWC(ImplicitLocOpBuilder &b, const ConvGemmProblem &p, Value input) {
  const ConvGeometry &g = p.g;
  Type element = p.op.getType().getElementType();
  auto colType = RankedTensorType::get({p.batch * p.pixels(), p.k()}, element);
  auto [col, colFlat] = allocResult(b, colType, ValueRange{});
  Value xFlat = flatBuffer(b, input);
  Value i = buildItemLaunch(b, constIndex(b, p.batch * p.pixels() * p.k() / kGatherWidth), 256,
                            "im2col_conv_wgmma", {});
  auto idx = [&](int64_t v) { return constIndex(b, v); };
  auto div = [&](Value a, int64_t d) { return arith::DivUIOp::create(b, a, idx(d)).getResult(); };
  auto rem = [&](Value a, int64_t d) { return arith::RemUIOp::create(b, a, idx(d)).getResult(); };
  auto mul = [&](Value a, int64_t v) { return arith::MulIOp::create(b, a, idx(v)).getResult(); };
  auto add = [&](Value a, Value c) { return arith::AddIOp::create(b, a, c).getResult(); };
  Value first = mul(i, kGatherWidth);
  Value row = div(first, p.k()), k0 = rem(first, p.k());
  Value n = div(row, p.pixels()), pixel = rem(row, p.pixels());
  // The window's corner, in index arithmetic that may go below zero.
  Type i64 = b.getI64Type();
  auto signedIndex = [&](Value v) { return arith::IndexCastOp::create(b, i64, v).getResult(); };
  auto i64c = [&](int64_t v) { return arith::ConstantIntOp::create(b, v, 64).getResult(); };
  Value top = arith::SubIOp::create(b, signedIndex(mul(div(pixel, g.ow), g.sh)), i64c(g.padTop));
  Value left =
      arith::SubIOp::create(b, signedIndex(mul(rem(pixel, g.ow), g.sw)), i64c(g.padLeft));
  SmallVector<Value> values;
  for (int64_t e = 0; e < kGatherWidth; ++e) {
    Value k = add(k0, idx(e));
    Value c = div(k, g.kh * g.kw), tap = rem(k, g.kh * g.kw);
    Value ih = arith::AddIOp::create(b, top, signedIndex(mul(div(tap, g.kw), g.dh)));
    Value iw = arith::AddIOp::create(b, left, signedIndex(mul(rem(tap, g.kw), g.dw)));
    values.push_back(loadWindowElement(b, p, xFlat, n, c, ih, iw));
  }
  Value vector =
      vector::FromElementsOp::create(b, VectorType::get({kGatherWidth}, element), values);
  storeValue(b, vector, colFlat, first);
  b.setInsertionPointAfter(i.getDefiningOp()->getParentOfType<gpu::LaunchOp>());
  return col;
}

class ConvWgmmaStrategy : public KernelStrategy {
public:
  StringRef name() const override { return "conv_wgmma"; }
  // Ahead of conv_igemm, which takes what this declines.
  int priority() const override { return 92; }
  bool supportsTarget(const GpuTarget &target, std::string &whyNot) const override {
    return target.hasWgmma(whyNot);
  }
  std::unique_ptr<KernelProblem> match(Operation *op, std::string &whyNot) const override {
    auto conv = dyn_cast<Conv2dOp>(op);
    if (!conv)
      return nullptr;
    Type element = conv.getType().getElementType();
    if (!element.isF16() && !element.isBF16()) {
      whyNot = "not f16 or bf16";
      return nullptr;
    }
    if (!conv.getType().hasStaticShape() ||
        !cast<RankedTensorType>(conv.getInput().getType()).hasStaticShape() ||
        !cast<RankedTensorType>(conv.getFilter().getType()).hasStaticShape()) {
      whyNot = "dynamic sizes";
      return nullptr;
    }
    ConvGeometry g = ConvGeometry::of(conv);
    if (g.groups != 1) {
      whyNot = "grouped (conv_depthwise and conv_igemm take those)";
      return nullptr;
    }
    auto problem = std::make_unique<ConvGemmProblem>(
        conv, g, cast<RankedTensorType>(conv.getInput().getType()).getDimSize(0));
    // The GEMM's K rows of W and F columns are TMA rows: 16-byte multiples.
    if (problem->k() % 8 || g.f % 8) {
      whyNot = "C*KH*KW and F must be multiples of 8 (TMA rows are 16-byte aligned)";
      return nullptr;
    }
    return problem;
  }
  /// The GEMM's (gemmSizes, K = C*KH*KW).
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    auto [m, n, batch] = p.gemmSizes();
    return chooseWgmmaConfig(problem.op->getContext(), m, n, p.k(), batch, target);
  }
  std::vector<DictionaryAttr> candidateConfigs(const KernelProblem &problem,
                                               const GpuTarget &target) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    auto [m, n, batch] = p.gemmSizes();
    std::vector<DictionaryAttr> proposed =
        wgmmaCandidateConfigs(problem.op->getContext(), m, n, batch, target);
    return validCandidates(*this, problem, target, proposed);
  }
  LogicalResult verifyConfig(const KernelProblem &problem, DictionaryAttr config,
                             std::string &error) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    return verifyWgmmaConfig(config, /*batched=*/p.gemmSizes()[2] != 1, error);
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    Conv2dOp conv = p.op;
    ImplicitLocOpBuilder b(conv.getLoc(), rewriter);
    Type element = conv.getType().getElementType();
    // W [F, C, KH, KW] is [F, K] as stored.
    auto filterType = RankedTensorType::get({p.g.f, p.k()}, element);
    auto asFilterMatrix = [&] {
      return tensor::CollapseShapeOp::create(b, filterType, conv.getFilter(),
                                             ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}})
          .getResult();
    };
    MatmulOp gemm;
    if (p.nchw()) {
      Value col = p.pointwise()
                      ? tensor::CollapseShapeOp::create(
                            b, RankedTensorType::get({p.batch, p.g.c, p.pixels()}, element),
                            conv.getInput(), ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}})
                            .getResult()
                      : emitGatherNCHW(b, p, conv.getInput());
      // [1, F, K]: the filter broadcast over the images (matmul_wgmma's
      // batched operands have one rank).
      Value filter = tensor::ExpandShapeOp::create(
          b, RankedTensorType::get({1, p.g.f, p.k()}, element), asFilterMatrix(),
          ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      gemm = MatmulOp::create(b, RankedTensorType::get({p.batch, p.g.f, p.pixels()}, element),
                              filter, col, /*bias=*/Value(), /*transpose_lhs=*/false,
                              /*transpose_rhs=*/false, conv.getActivation(),
                              conv.getClipMinAttr(), conv.getClipMaxAttr());
    } else {
      Value col = emitGatherNHWC(b, p, conv.getInput());
      gemm = MatmulOp::create(b, RankedTensorType::get({p.batch * p.pixels(), p.g.f}, element),
                              col, asFilterMatrix(), conv.getBias(), /*transpose_lhs=*/false,
                              /*transpose_rhs=*/true, conv.getActivation(),
                              conv.getClipMinAttr(), conv.getClipMaxAttr());
    }
    // The GEMM's ops go between its operands and the conv.
    Operation *marker = gemm->getPrevNode();
    Value product = emitGemm(rewriter, gemm, p.nchw() ? conv.getBias() : Value(), config);
    // Its main kernel carries the conv's name (and so its FLOPs in profiles).
    for (Operation *op = marker->getNextNode(); op && op != conv.getOperation();
         op = op->getNextNode()) {
      auto label = op->getAttrOfType<StringAttr>(abi::kStrategyAttr);
      if (isa<gpu::LaunchOp>(op) && label && label.getValue().starts_with("matmul_wgmma_") &&
          !label.getValue().contains("splitk_"))
        op->setAttr(abi::kStrategyAttr,
                    b.getStringAttr("conv_" + label.getValue().drop_front(7).str()));
    }
    // After the kernels (a result buffer is defined before the kernel that
    // writes it), where the conv was.
    b.setInsertionPoint(conv);
    Value nchw = product;
    if (!p.nchw()) {
      // [N, OH*OW, F] -> [N, F, OH*OW].
      Value pixelsFirst = tensor::ExpandShapeOp::create(
          b, RankedTensorType::get({p.batch, p.pixels(), p.g.f}, element), product,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      auto transpose = TransposeOp::create(
          b, RankedTensorType::get({p.batch, p.g.f, p.pixels()}, element), pixelsFirst,
          b.getDenseI64ArrayAttr({0, 2, 1}));
      nchw = emitThrough(rewriter, "transpose", transpose);
      b.setInsertionPoint(conv);
    }
    Value result = tensor::ExpandShapeOp::create(
        b, conv.getType(), nchw, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    return {result};
  }
};

} // namespace

std::unique_ptr<KernelStrategy> createConvWgmmaStrategy() {
  return std::make_unique<ConvWgmmaStrategy>();
}

} // namespace axon::gpu_kernels
