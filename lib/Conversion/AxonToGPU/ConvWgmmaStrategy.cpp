//===- ConvWgmmaStrategy.cpp - f16/bf16 convolutions on the tensor cores --===//
//
// conv_wgmma: an f16/bf16 NCHW convolution on sm_90a as a GEMM on the
// tensor-core main loop of matmul_wgmma,
//   out^T[n*OH*OW + p, f] = sum_k col[n*OH*OW + p, k] * W[f, k],
//   k = (c, kh, kw),
// in three kernels: a gather of the input windows into `col` (one row per
// output pixel, the rows K-contiguous as the tensor cores' A operand wants
// them, zeros where a window crosses the padding), matmul_wgmma with the
// filter as its transposed B (W is [F, C*KH*KW] as stored) and the conv's
// bias and activation as its fused epilogue (the bias is per filter: per
// column of this product), and a transpose of [N, OH*OW, F] to NCHW.
// The gather costs KH*KW times the input in memory traffic; in exchange the
// FLOPs run at tensor-core rates instead of on the FMA units (conv_igemm).
//
//===----------------------------------------------------------------------===//

#include "ConvGeometry.h"
#include "KernelBuilder.h"
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
  int64_t m() const { return batch * pixels(); }
  int64_t k() const { return g.c * g.kh * g.kw; }
};

/// Forms `op`'s kernels with the builtin strategy `name` (with `config`, or
/// its heuristic's when null) and returns what replaced its result. The ops
/// conv_wgmma builds are ones it checked that strategy takes.
Value emitThrough(RewriterBase &rewriter, StringRef name, Operation *op, DictionaryAttr config) {
  const KernelStrategy *strategy = StrategyRegistry::builtin().lookup(name);
  std::string whyNot;
  std::unique_ptr<KernelProblem> problem = strategy ? strategy->match(op, whyNot) : nullptr;
  if (!problem) {
    op->emitError() << "conv_wgmma built an op that '" << name << "' declines: " << whyNot;
    llvm::report_fatal_error("conv_wgmma: inconsistent decomposition");
  }
  if (!config)
    config = strategy->chooseConfig(*problem, GpuTarget::forChip("sm_90a"));
  rewriter.setInsertionPoint(op);
  Value result = strategy->emit(rewriter, *problem, config).front();
  rewriter.replaceOp(op, result);
  return result;
}

/// Writes col[row, k] = x[n, c, oh*sh + kh*dh - top, ow*sw + kw*dw - left]
/// (zero in the padding), kGatherWidth consecutive k per thread.
Value emitGather(ImplicitLocOpBuilder &b, const ConvGemmProblem &p, Value input) {
  const ConvGeometry &g = p.g;
  Type element = p.op.getType().getElementType();
  auto colType = RankedTensorType::get({p.m(), p.k()}, element);
  auto [col, colFlat] = allocResult(b, colType, ValueRange{});
  Value xFlat = flatBuffer(b, input);
  Value i = buildItemLaunch(b, constIndex(b, p.m() * p.k() / kGatherWidth), 256,
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
  Value imageBase = mul(n, g.c * g.h * g.w);
  Value zero = constFloat(b, element, 0.0);
  SmallVector<Value> values;
  for (int64_t e = 0; e < kGatherWidth; ++e) {
    Value k = add(k0, idx(e));
    Value c = div(k, g.kh * g.kw), tap = rem(k, g.kh * g.kw);
    Value ih = arith::AddIOp::create(b, top, signedIndex(mul(div(tap, g.kw), g.dh)));
    Value iw = arith::AddIOp::create(b, left, signedIndex(mul(rem(tap, g.kw), g.dw)));
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
    Value at = add(imageBase, add(mul(c, g.h * g.w), add(mul(clamp(ih, g.h), g.w), clamp(iw, g.w))));
    Value x = loadElement(b, xFlat, at, element);
    values.push_back(arith::SelectOp::create(b, inside, x, zero));
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
  /// The GEMM's: M = N*OH*OW, N = F, K = C*KH*KW.
  DictionaryAttr chooseConfig(const KernelProblem &problem,
                              const GpuTarget &target) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    return chooseWgmmaConfig(problem.op->getContext(), p.m(), p.g.f, p.k(), target);
  }
  std::vector<DictionaryAttr> candidateConfigs(const KernelProblem &problem,
                                               const GpuTarget &target) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    std::vector<DictionaryAttr> proposed =
        wgmmaCandidateConfigs(problem.op->getContext(), p.m(), p.g.f, target);
    return validCandidates(*this, problem, target, proposed);
  }
  LogicalResult verifyConfig(const KernelProblem &, DictionaryAttr config,
                             std::string &error) const override {
    return verifyWgmmaConfig(config, /*batched=*/false, error);
  }
  SmallVector<Value> emit(RewriterBase &rewriter, const KernelProblem &problem,
                          DictionaryAttr config) const override {
    auto &p = static_cast<const ConvGemmProblem &>(problem);
    Conv2dOp conv = p.op;
    ImplicitLocOpBuilder b(conv.getLoc(), rewriter);
    Type element = conv.getType().getElementType();
    Value col = emitGather(b, p, conv.getInput());
    // W [F, C, KH, KW] is the GEMM's transposed B as stored: [F, K].
    Value filter = tensor::CollapseShapeOp::create(
        b, RankedTensorType::get({p.g.f, p.k()}, element), conv.getFilter(),
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    auto gemmType = RankedTensorType::get({p.m(), p.g.f}, element);
    auto gemm = MatmulOp::create(b, gemmType, col, filter, conv.getBias(),
                                 /*transpose_lhs=*/false, /*transpose_rhs=*/true,
                                 conv.getActivation(), conv.getClipMinAttr(),
                                 conv.getClipMaxAttr());
    // The GEMM's ops go between the filter's reshape and the conv.
    Operation *marker = filter.getDefiningOp();
    Value product = emitThrough(rewriter, "matmul_wgmma", gemm, config);
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
    // [N, OH*OW, F] -> [N, F, OH*OW] -> [N, F, OH, OW].
    Value pixelsFirst = tensor::ExpandShapeOp::create(
        b, RankedTensorType::get({p.batch, p.pixels(), p.g.f}, element), product,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    auto transpose = TransposeOp::create(
        b, RankedTensorType::get({p.batch, p.g.f, p.pixels()}, element), pixelsFirst,
        b.getDenseI64ArrayAttr({0, 2, 1}));
    Value nchw = emitThrough(rewriter, "transpose", transpose, {});
    b.setInsertionPoint(conv);
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
