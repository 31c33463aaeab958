//===- VectorizeContractions.cpp - Register-blocked CPU matmuls -----------===//
//
// The CPU's matmul main loop, built from MLIR's TilingInterface and linalg
// vectorizer: thread blocks (scf.forall), register tiles (scf.for, peeled so
// full tiles are static) and a K loop whose body is one outer product of
// FMAs on an accumulator that stays in vector registers.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/Passes.h"

#include "CPUStrategy.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace axon {
#define GEN_PASS_DEF_AXONCPUVECTORIZECONTRACTIONS
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace {

/// Marks register tiles between the tiling and the vectorization steps.
constexpr llvm::StringLiteral kRegisterTile = "axon.cpu.register_tile";
/// Marks the K loops whose accumulator is hoisted into vector registers.
constexpr llvm::StringLiteral kReductionLoop = "axon.cpu.k_loop";

/// The loop dimensions of a contraction with one M, one N and one K; the
/// others (`batch`: batch and unit dimensions) iterate one at a time.
struct MatmulDims {
  SmallVector<unsigned> batch;
  unsigned m, n, k;
};

/// Returns the dimensions when `op` is an f32 contraction on tensors whose
/// N dimension is the innermost one of the right operand and the result,
/// so that a register tile's row is a contiguous vector load and store.
static std::optional<MatmulDims> matchContraction(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  for (Value v : op->getOperands())
    if (!getElementTypeOrSelf(v.getType()).isF32())
      return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->k.size() != 1 ||
      dims->batch.size() + dims->m.size() + dims->n.size() + 1 != op.getNumLoops())
    return std::nullopt;
  // Of several M (or N) dimensions, the one innermost in the result is the
  // tile's; the others (a convolution's batch next to its output pixels,
  // unit dimensions) iterate one at a time, like batch dimensions.
  AffineMap result = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<unsigned> outer = llvm::to_vector(dims->batch);
  auto single = [&](ArrayRef<unsigned> candidates) -> std::optional<unsigned> {
    if (candidates.empty())
      return std::nullopt;
    auto position = [&](unsigned d) {
      return result.getResultPosition(getAffineDimExpr(d, op.getContext())).value_or(0);
    };
    unsigned chosen = candidates.front();
    for (unsigned d : candidates)
      if ((ranges[chosen] == 1 && ranges[d] != 1) ||
          ((ranges[d] != 1) == (ranges[chosen] != 1) && position(d) > position(chosen)))
        chosen = d;
    for (unsigned d : candidates)
      if (d != chosen)
        outer.push_back(d);
    return chosen;
  };
  std::optional<unsigned> m = single(dims->m), nDim = single(dims->n);
  if (!m || !nDim)
    return std::nullopt;
  AffineExpr n = getAffineDimExpr(*nDim, op.getContext());
  for (OpOperand *operand : {op.getDpsInputOperand(1), op.getDpsInitOperand(0)}) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (map.getNumResults() == 0 || map.getResults().back() != n)
      return std::nullopt;
  }
  return MatmulDims{outer, *m, *nDim, dims->k[0]};
}

/// The raw f32 data of a constant, dense or resource (ONNX weights), or
/// nothing when it is neither or is a splat.
static std::optional<ArrayRef<char>> constantData(arith::ConstantOp constant) {
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
    return dense.isSplat() ? std::nullopt : std::optional(dense.getRawData());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

/// `value` (rank >= 2) with its last two dimensions swapped: a new constant
/// when it is one (weights are transposed once, at compile time), else a
/// linalg.transpose.
static Value transposeLastTwo(RewriterBase &rewriter, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 1], perm[rank - 2]);
  SmallVector<int64_t> shape = applyPermutation(type.getShape(), perm);
  auto transposedType = RankedTensorType::get(shape, type.getElementType());

  auto constant = value.getDefiningOp<arith::ConstantOp>();
  std::optional<ArrayRef<char>> raw = constant ? constantData(constant) : std::nullopt;
  if (raw && type.hasStaticShape() && raw->size() == type.getNumElements() * sizeof(float)) {
    int64_t rows = shape[rank - 1], cols = shape[rank - 2], batch = type.getNumElements() / (rows * cols);
    const float *in = reinterpret_cast<const float *>(raw->data());
    std::vector<float> out(type.getNumElements());
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
          out[(b * cols + c) * rows + r] = in[(b * rows + r) * cols + c];
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(out));
    auto attr = DenseResourceElementsAttr::get(transposedType, "axon_transposed", std::move(blob));
    return arith::ConstantOp::create(rewriter, loc, attr);
  }
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, value);
  Value init = tensor::EmptyOp::create(rewriter, loc, applyPermutation(sizes, perm),
                                       type.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, value, init, perm)->getResult(0);
}

/// A contraction whose right operand is laid out (..., N, K), as ONNX Gemm
/// with transB and torch's Linear give, reads it as (..., K, N) from a
/// transposed copy instead, so that register-tile rows are contiguous.
static void normalizeRightOperand(RewriterBase &rewriter, linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op) ||
      !getElementTypeOrSelf(op.getDpsInputOperand(1)->get().getType()).isF32())
    return;
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1)
    return;
  OpOperand *rhs = op.getDpsInputOperand(1);
  AffineMap map = op.getMatchingIndexingMap(rhs);
  unsigned rank = map.getNumResults();
  MLIRContext *ctx = op.getContext();
  if (rank < 2 || map.getResult(rank - 1) != getAffineDimExpr(dims->k[0], ctx) ||
      map.getResult(rank - 2) != getAffineDimExpr(dims->n[0], ctx))
    return;
  rewriter.setInsertionPoint(op);
  Value transposed = transposeLastTwo(rewriter, op.getLoc(), rhs->get());
  SmallVector<AffineExpr> results = llvm::to_vector(map.getResults());
  std::swap(results[rank - 1], results[rank - 2]);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  maps[rhs->getOperandNumber()] = AffineMap::get(map.getNumDims(), 0, results, ctx);
  rewriter.modifyOpInPlace(op, [&] {
    rhs->set(transposed);
    op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });
}

struct VectorizeContractions
    : public axon::impl::AxonCPUVectorizeContractionsBase<VectorizeContractions> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Register tile shape for `op`: rows (fewer when M is smaller) by two
  /// vector registers of columns, sized so that the accumulator, a row of
  /// the right operand and a broadcast fit in the register file.
  std::pair<int64_t, int64_t> registerTile(linalg::LinalgOp op, const MatmulDims &d) const;
  LogicalResult tileToRegisters(RewriterBase &rewriter, linalg::LinalgOp op, const MatmulDims &d);
  LogicalResult vectorizeRegisterTile(RewriterBase &rewriter, linalg::LinalgOp op,
                                      const MatmulDims &d);
};

std::pair<int64_t, int64_t> VectorizeContractions::registerTile(linalg::LinalgOp op,
                                                                const MatmulDims &d) const {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t nr = std::max<int64_t>(2 * vectorBits / 32, 1);
  // AVX-512's 32 registers take 12 rows (24 accumulators: 14 loads per 24
  // FMAs against 10 per 16 for 8 rows) where M is a multiple of 12 or large
  // enough that the padded edge tile costs little, else 8; AVX2's 16 take 6.
  int64_t m = ranges[d.m];
  int64_t mr = vectorBits < 512                                            ? 6
               : !ShapedType::isDynamic(m) && (m % 12 == 0 || m >= 768) ? 12
                                                                          : 8;
  if (!ShapedType::isDynamic(ranges[d.m]))
    mr = std::clamp<int64_t>(ranges[d.m], 1, mr);
  if (!ShapedType::isDynamic(ranges[d.n]))
    nr = std::clamp<int64_t>(ranges[d.n], 1, nr);
  return {mr, nr};
}

static SmallVector<OpFoldResult> indexSizes(MLIRContext *ctx, ArrayRef<int64_t> sizes) {
  return getAsIndexOpFoldResult(ctx, sizes);
}

LogicalResult VectorizeContractions::tileToRegisters(RewriterBase &rewriter, linalg::LinalgOp op,
                                                     const MatmulDims &d) {
  MLIRContext *ctx = op.getContext();
  unsigned loops = op.getNumLoops();
  auto [mr, nr] = registerTile(op, d);

  // Thread blocks: whole multiples of the register tile, one batch element.
  SmallVector<int64_t> block(loops, 0);
  for (unsigned b : d.batch)
    block[b] = 1;
  block[d.m] = std::max<int64_t>(blockM / mr, 1) * mr;
  block[d.n] = std::max<int64_t>(blockN / nr, 1) * nr;
  scf::SCFTilingOptions threads;
  threads.setTileSizes(indexSizes(ctx, block));
  threads.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> blocks =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), threads);
  if (failed(blocks))
    return op.emitError("axon-cpu-vectorize-contractions: cannot tile into thread blocks");
  rewriter.replaceOp(op, blocks->replacements);
  auto blockOp = cast<linalg::LinalgOp>(blocks->tiledOps.back());

  // Register tiles, N outer and M inner: consecutive tiles share a panel of
  // the right operand.
  SmallVector<int64_t> tile(loops, 0);
  tile[d.m] = mr;
  tile[d.n] = nr;
  SmallVector<int64_t> order = llvm::to_vector(llvm::seq<int64_t>(0, loops));
  std::swap(order[d.m], order[d.n]);
  scf::SCFTilingOptions registers;
  registers.setTileSizes(indexSizes(ctx, tile));
  registers.setInterchange(order);
  rewriter.setInsertionPoint(blockOp);
  FailureOr<scf::SCFTilingResult> tiles =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(blockOp.getOperation()), registers);
  if (failed(tiles))
    return blockOp.emitError("axon-cpu-vectorize-contractions: cannot tile into register tiles");
  rewriter.replaceOp(blockOp, tiles->replacements);
  tiles->tiledOps.back()->setAttr(kRegisterTile, rewriter.getUnitAttr());

  // Peel the inner loop first: the outer loop's partial iteration then
  // carries both versions of it.
  for (LoopLikeOpInterface loop : llvm::reverse(tiles->loops)) {
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, cast<scf::ForOp>(loop.getOperation()),
                                            partial);
  }
  return success();
}

/// Pads an edge tile (fewer than `mr` rows or `nr` columns) with zeros to
/// the full tile shape, so that every register tile vectorizes to the same
/// static, unmasked code. Returns the padded op (`op` itself when full).
static FailureOr<linalg::LinalgOp> padToRegisterTile(RewriterBase &rewriter, linalg::LinalgOp op,
                                                     const MatmulDims &d, int64_t mr, int64_t nr) {
  if (!op.hasDynamicShape())
    return op;
  MLIRContext *ctx = op.getContext();
  linalg::LinalgPaddingOptions options;
  options.setPaddingDimensions({d.m, d.n});
  options.copyBackOp = linalg::LinalgPaddingOptions::CopyBackOp::None;
  Attribute zero = FloatAttr::get(Float32Type::get(ctx), 0.0);
  options.setPaddingValues(SmallVector<Attribute>(op->getNumOperands(), zero));
  OpFoldResult rows = rewriter.getIndexAttr(mr), cols = rewriter.getIndexAttr(nr);
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    for (unsigned i = 0, e = map.getNumResults(); i < e; ++i) {
      if (map.getResult(i) == getAffineDimExpr(d.m, ctx))
        options.setSizeToPadTo(operand.getOperandNumber(), i, rows);
      if (map.getResult(i) == getAffineDimExpr(d.n, ctx))
        options.setSizeToPadTo(operand.getOperandNumber(), i, cols);
    }
  }
  linalg::LinalgOp padded;
  SmallVector<Value> replacements;
  SmallVector<tensor::PadOp> pads;
  rewriter.setInsertionPoint(op);
  if (failed(linalg::rewriteAsPaddedOp(rewriter, op, options, padded, replacements, pads)))
    return failure();
  rewriter.replaceOp(op, replacements);
  return padded;
}

LogicalResult VectorizeContractions::vectorizeRegisterTile(RewriterBase &rewriter,
                                                           linalg::LinalgOp op,
                                                           const MatmulDims &d) {
  MLIRContext *ctx = op.getContext();
  unsigned loops = op.getNumLoops();
  auto [mr, nr] = registerTile(op, d);
  op->removeAttr(kRegisterTile);
  FailureOr<linalg::LinalgOp> tile = padToRegisterTile(rewriter, op, d, mr, nr);
  if (failed(tile) || (*tile).hasDynamicShape())
    return success(); // Left for the loop lowering: correct, only slower.

  SmallVector<int64_t> step(loops, 0);
  step[d.k] = 1;
  scf::SCFTilingOptions kSteps;
  kSteps.setTileSizes(indexSizes(ctx, step));
  rewriter.setInsertionPoint(*tile);
  FailureOr<scf::SCFTilingResult> k =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(tile->getOperation()), kSteps);
  if (failed(k))
    return tile->emitError("axon-cpu-vectorize-contractions: cannot tile the K loop");
  rewriter.replaceOp(*tile, k->replacements);
  Operation *stepOp = k->tiledOps.back();
  for (LoopLikeOpInterface loop : k->loops)
    loop->setAttr(kReductionLoop, rewriter.getUnitAttr());

  rewriter.setInsertionPoint(stepOp);
  FailureOr<linalg::VectorizationResult> vectorized =
      linalg::vectorize(rewriter, stepOp, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
                        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
                        /*assumeDynamicDimsMatchVecSizes=*/false,
                        /*createNamedContraction=*/true);
  if (failed(vectorized))
    return success();
  rewriter.replaceOp(stepOp, vectorized->replacements);
  return success();
}

void VectorizeContractions::runOnOperation() {
  func::FuncOp func = getOperation();
  IRRewriter rewriter(&getContext());

  // Convolutions become a gather (im2col) and a contraction, and generic
  // contractions linalg.contract ops, which take the matmul path below.
  if (im2col) {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    func.walk([&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
    for (linalg::Conv2DNchwFchwOp conv : convs)
      (void)axon::cpu::convolutionAsContraction(rewriter, conv);
  }
  SmallVector<linalg::GenericOp> generics;
  func.walk([&](linalg::GenericOp op) { generics.push_back(op); });
  for (linalg::GenericOp op : generics) {
    normalizeRightOperand(rewriter, op);
    (void)axon::cpu::genericAsContract(rewriter, op);
  }

  SmallVector<std::pair<linalg::LinalgOp, MatmulDims>> contractions;
  func.walk([&](linalg::LinalgOp op) {
    if (std::optional<MatmulDims> dims = matchContraction(op))
      contractions.emplace_back(op, *dims);
  });
  if (contractions.empty())
    return;
  for (auto &[op, dims] : contractions)
    if (failed(tileToRegisters(rewriter, op, dims)))
      return signalPassFailure();

  // Folds the peeled loops' bounds into static tile shapes.
  RewritePatternSet patterns(&getContext());
  linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
  tensor::populateFoldTensorEmptyPatterns(patterns);
  FrozenRewritePatternSet frozen(std::move(patterns));
  if (failed(applyPatternsGreedily(func, frozen)))
    return signalPassFailure();

  SmallVector<linalg::LinalgOp> tiles;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kRegisterTile))
      tiles.push_back(op);
  });
  for (linalg::LinalgOp op : tiles) {
    std::optional<MatmulDims> dims = matchContraction(op);
    if (!dims) {
      op->removeAttr(kRegisterTile);
      continue;
    }
    if (failed(vectorizeRegisterTile(rewriter, op, *dims)))
      return signalPassFailure();
  }
  // The accumulator's slice and its vector read/write move out of each K
  // loop, which then carries the accumulator in vector registers.
  SmallVector<scf::ForOp> kLoops;
  func.walk([&](scf::ForOp loop) {
    if (loop->hasAttr(kReductionLoop))
      kLoops.push_back(loop);
  });
  // The vectorizer leaves the transfers' index constants inside the loop:
  // they move out first, or the transfers would not be loop-invariant.
  for (scf::ForOp loop : kLoops) {
    loop->removeAttr(kReductionLoop);
    moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
    hoistLoopInvariantSubsets(rewriter, loop);
  }
  if (failed(applyPatternsGreedily(func, frozen)))
    return signalPassFailure();
}

} // namespace
