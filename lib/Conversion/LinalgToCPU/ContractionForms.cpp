//===- ContractionForms.cpp - Convolutions and generics as linalg.contract -===//
//
// The CPU's matmul main loop takes `linalg.contract` ops (and the named
// matmuls); these rewrites bring convolutions and generic contractions into
// that form.
//
//===----------------------------------------------------------------------===//

#include "CPUStrategy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"

using namespace mlir;

namespace axon::cpu {

/// The windows of `input` ([N, C, H, W], padded) a convolution with `filter`
/// ([F, C, KH, KW]) reads, as an [N, C*KH*KW, OH*OW] tensor: row (c, kh, kw)
/// holds input[n, c, oh*sh + kh*dh, ow*sw + kw*dw] for every (oh, ow).
static Value gatherWindows(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv) {
  Location loc = conv.getLoc();
  MLIRContext *ctx = conv.getContext();
  Value input = conv.getDpsInputOperand(0)->get();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto filterType = cast<RankedTensorType>(conv.getDpsInputOperand(1)->get().getType());
  auto outputType = cast<RankedTensorType>(conv.getDpsInitOperand(0)->get().getType());
  int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
  int64_t kh = filterType.getDimSize(2), kw = filterType.getDimSize(3);
  int64_t oh = outputType.getDimSize(2), ow = outputType.getDimSize(3);
  auto strides = llvm::to_vector(conv.getStrides().getValues<int64_t>());
  auto dilations = llvm::to_vector(conv.getDilations().getValues<int64_t>());
  auto collapsedType = RankedTensorType::get({n, c * kh * kw, oh * ow}, inputType.getElementType());

  // An unstrided 1x1 convolution reads its input as it is.
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      inputType.getDimSize(2) == oh && inputType.getDimSize(3) == ow)
    return tensor::CollapseShapeOp::create(rewriter, loc, collapsedType, input,
                                           ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});

  // Loops (n, c, kh, kw, oh, ow): the innermost one walks a row of the input
  // (contiguous when unstrided), with no division anywhere.
  AffineExpr dn, dc, dkh, dkw, doh, dow;
  bindDims(ctx, dn, dc, dkh, dkw, doh, dow);
  auto read = AffineMap::get(6, 0,
                             {dn, dc, doh * strides[0] + dkh * dilations[0],
                              dow * strides[1] + dkw * dilations[1]},
                             ctx);
  auto write = AffineMap::getMultiDimIdentityMap(6, ctx);
  Value init = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{n, c, kh, kw, oh, ow},
                                       inputType.getElementType());
  auto gather = linalg::GenericOp::create(
      rewriter, loc, init.getType(), input, init, ArrayRef<AffineMap>{read, write},
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) { linalg::YieldOp::create(b, l, args[0]); });
  return tensor::CollapseShapeOp::create(rewriter, loc, collapsedType, gather.getResult(0),
                                         ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
}

LogicalResult convolutionAsContraction(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv) {
  if (!conv.hasPureTensorSemantics() || conv.hasDynamicShape() ||
      !llvm::all_of(conv->getOperandTypes(),
                    [](Type t) { return getElementTypeOrSelf(t).isF32(); }))
    return failure();
  Location loc = conv.getLoc();
  MLIRContext *ctx = conv.getContext();
  rewriter.setInsertionPoint(conv);
  Value windows = gatherWindows(rewriter, conv);
  Value filter = conv.getDpsInputOperand(1)->get();
  auto filterType = cast<RankedTensorType>(filter.getType());
  auto filterRows = RankedTensorType::get(
      {filterType.getDimSize(0), filterType.getNumElements() / filterType.getDimSize(0)},
      filterType.getElementType());
  Value filterMatrix = tensor::CollapseShapeOp::create(
      rewriter, loc, filterRows, filter, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  Value init = conv.getDpsInitOperand(0)->get();
  auto outputType = cast<RankedTensorType>(init.getType());
  auto outputRows = RankedTensorType::get({outputType.getDimSize(0), outputType.getDimSize(1),
                                           outputType.getDimSize(2) * outputType.getDimSize(3)},
                                          outputType.getElementType());
  SmallVector<ReassociationIndices> spatial = {{0}, {1}, {2, 3}};
  Value acc = tensor::CollapseShapeOp::create(rewriter, loc, outputRows, init, spatial);

  // out[n, f, p] += filter[f, k] * windows[n, k, p]
  AffineExpr n, f, p, k;
  bindDims(ctx, n, f, p, k);
  auto maps = rewriter.getAffineMapArrayAttr({AffineMap::get(4, 0, {f, k}, ctx),
                                              AffineMap::get(4, 0, {n, k, p}, ctx),
                                              AffineMap::get(4, 0, {n, f, p}, ctx)});
  auto contract = linalg::ContractOp::create(rewriter, loc, TypeRange{outputRows},
                                             ValueRange{filterMatrix, windows}, ValueRange{acc},
                                             maps);
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(conv, outputType, contract.getResult(0),
                                                     spatial);
  return success();
}

/// Whether `op`'s body is `out + a * b` on f32 (in either order).
static bool isMultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body.front());
  auto add = dyn_cast<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (!mul || !add || yield.getNumOperands() != 1 || yield.getOperand(0) != add.getResult())
    return false;
  auto isArg = [&](Value v, unsigned i) { return v == body.getArgument(i); };
  bool mulReadsInputs = (isArg(mul.getLhs(), 0) && isArg(mul.getRhs(), 1)) ||
                        (isArg(mul.getLhs(), 1) && isArg(mul.getRhs(), 0));
  bool addReadsAcc = (isArg(add.getLhs(), 2) && add.getRhs() == mul.getResult()) ||
                     (isArg(add.getRhs(), 2) && add.getLhs() == mul.getResult());
  return mulReadsInputs && addReadsAcc;
}

LogicalResult genericAsContract(RewriterBase &rewriter, linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !llvm::all_of(op->getOperandTypes(),
                    [](Type t) { return getElementTypeOrSelf(t).isF32(); }) ||
      !linalg::isaContractionOpInterface(op) || !isMultiplyAccumulate(op))
    return failure();
  rewriter.setInsertionPoint(op);
  rewriter.replaceOpWithNewOp<linalg::ContractOp>(op, op->getResultTypes(), op.getDpsInputs(),
                                                  op.getDpsInits(), op.getIndexingMaps());
  return success();
}

} // namespace axon::cpu
