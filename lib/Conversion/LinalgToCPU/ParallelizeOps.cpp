//===- ParallelizeOps.cpp - linalg ops as tasks for the CPU's threads -----===//
//
// Everything the matmul path does not take (elementwise chains, reductions,
// pooling, depthwise convolutions, copies and fills) is tiled along its outer
// parallel loops into an scf.forall, which the pipeline lowers to an OpenMP
// worksharing loop; the loops inside each task are left to the loop lowering
// and LLVM's vectorizers.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace axon {
#define GEN_PASS_DEF_AXONCPUPARALLELIZEOPS
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace {

/// Iterations `op` does, saturating; a dynamic loop counts as a large one.
static int64_t iterationCount(linalg::LinalgOp op) {
  constexpr int64_t kLarge = int64_t(1) << 40, kDynamicGuess = 1024;
  int64_t work = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    int64_t r = ShapedType::isDynamic(range) ? kDynamicGuess : range;
    work = r != 0 && work > kLarge / r ? kLarge : work * r;
  }
  return work;
}

/// Tile sizes that split `op`'s outermost static parallel loops into about
/// `tasks` tasks (0: the loop is not tiled); empty when fewer than two.
static SmallVector<int64_t> taskTileSizes(linalg::LinalgOp op, int64_t tasks) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> sizes(ranges.size(), 0);
  int64_t made = 1;
  for (auto [i, range] : llvm::enumerate(ranges)) {
    if (made >= tasks)
      break;
    if (iterators[i] != utils::IteratorType::parallel || ShapedType::isDynamic(range) ||
        range <= 1)
      continue;
    int64_t pieces = std::min<int64_t>(range, llvm::divideCeil(tasks, made));
    sizes[i] = static_cast<int64_t>(llvm::divideCeil(range, pieces));
    made *= static_cast<int64_t>(llvm::divideCeil(range, sizes[i]));
  }
  if (made < 2)
    return {};
  return sizes;
}

/// A windowed op (pooling, convolution) as a generic whose reduction loops
/// run outside its innermost parallel loop: the innermost loop then walks a
/// row of the output, which LLVM vectorizes, instead of a 3-wide window.
static linalg::LinalgOp windowReductionsOutside(RewriterBase &rewriter, linalg::LinalgOp op) {
  if (!isa<linalg::ConvolutionOpInterface>(op.getOperation()) || isa<linalg::GenericOp>(op))
    return op;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, it] : llvm::enumerate(iterators))
    (it == utils::IteratorType::parallel ? parallel : reduction).push_back(i);
  if (parallel.empty() || reduction.empty() || parallel.back() > reduction.front())
    return op;
  FailureOr<linalg::GenericOp> generic = linalg::generalizeNamedOp(rewriter, op);
  if (failed(generic))
    return op;
  SmallVector<unsigned> order(parallel.begin(), parallel.end() - 1);
  order.append(reduction.begin(), reduction.end());
  order.push_back(parallel.back());
  FailureOr<linalg::GenericOp> interchanged =
      linalg::interchangeGenericOp(rewriter, *generic, order);
  return failed(interchanged) ? cast<linalg::LinalgOp>(generic->getOperation())
                              : cast<linalg::LinalgOp>(interchanged->getOperation());
}

/// A static `tensor.pad` by a constant as a fill of the padded tensor and a
/// `linalg.copy` of the source into its interior, both linalg ops that are
/// then split into tasks; bufferized, the copy writes the fill's buffer in
/// place (a pad would be a serial element-wise `memref.copy`).
static void padAsFillAndCopy(RewriterBase &rewriter, tensor::PadOp pad) {
  Value padding = pad.getConstantPaddingValue();
  RankedTensorType type = pad.getResultType();
  if (!padding || !type.hasStaticShape() || !pad.getSourceType().hasStaticShape())
    return;
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
  Value filled = linalg::FillOp::create(rewriter, loc, padding, empty).getResult(0);
  SmallVector<OpFoldResult> offsets = pad.getMixedLowPad();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, pad.getSource());
  SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
  Value interior =
      tensor::ExtractSliceOp::create(rewriter, loc, filled, offsets, sizes, strides);
  Value copied =
      linalg::CopyOp::create(rewriter, loc, pad.getSource(), interior).getResult(0);
  rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(pad, copied, filled, offsets, sizes,
                                                     strides);
}

struct ParallelizeOps : public axon::impl::AxonCPUParallelizeOpsBase<ParallelizeOps> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<tensor::PadOp> pads;
    func.walk([&](tensor::PadOp pad) {
      if (!pad->getParentOfType<LoopLikeOpInterface>())
        pads.push_back(pad);
    });
    for (tensor::PadOp pad : pads)
      padAsFillAndCopy(rewriter, pad);
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      // The matmul path's tiles are already inside its loops.
      if (op.hasPureTensorSemantics() && !op->getParentOfType<LoopLikeOpInterface>())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      rewriter.setInsertionPoint(op);
      op = windowReductionsOutside(rewriter, op);
      int64_t tasks = std::min<int64_t>(iterationCount(op) / std::max<int64_t>(minTaskWork, 1),
                                        maxTasks);
      SmallVector<int64_t> sizes = taskTileSizes(op, tasks);
      if (sizes.empty())
        continue;
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled =
          scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled)) {
        op.emitError("axon-cpu-parallelize-ops: cannot tile into tasks");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, tiled->replacements);
    }
  }
};

} // namespace
