//===- MatmulProblem.cpp - axon.matmul as the GEMM strategies see it ------===//

#include "MatmulProblem.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace axon::gpu_kernels {

std::unique_ptr<MatmulProblem> matchMatmul(MatmulOp op, std::string &whyNot) {
  auto lhs = cast<RankedTensorType>(op.getLhs().getType());
  auto rhs = cast<RankedTensorType>(op.getRhs().getType());
  RankedTensorType result = op.getType();
  Type element = result.getElementType();
  auto reject = [&](const char *why) -> std::unique_ptr<MatmulProblem> {
    whyNot = why;
    return nullptr;
  };
  if (!(element.isF32() || element.isF16() || element.isBF16()) ||
      lhs.getElementType() != element || rhs.getElementType() != element)
    return reject("operands are not f32, f16 or bf16 of one type");
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return reject("an operand has rank < 2");
  if (llvm::is_contained(result.getShape(), 0) || llvm::is_contained(lhs.getShape(), 0))
    return reject("zero-sized operands");
  auto p = std::make_unique<MatmulProblem>(op);
  if (rhs.getRank() == 2) {
    if (lhs.getRank() > 2 && op.getTransposeLhs())
      return reject("a batched transposed lhs with a 2-D rhs");
    p->foldBatchIntoM = lhs.getRank() > 2;
    return p;
  }
  if (lhs.getRank() != rhs.getRank())
    return reject("batched operands of different ranks");
  p->batchRank = lhs.getRank() - 2;
  ArrayRef<int64_t> lb = lhs.getShape().drop_back(2), rb = rhs.getShape().drop_back(2);
  auto allOnes = [](ArrayRef<int64_t> s) {
    return llvm::all_of(s, [](int64_t d) { return d == 1; });
  };
  if (ShapedType::isDynamicShape(lb) || ShapedType::isDynamicShape(rb))
    return reject("dynamic batch dimensions");
  p->lhsBatched = !allOnes(lb);
  p->rhsBatched = !allOnes(rb);
  if (p->lhsBatched && p->rhsBatched && lb != rb)
    return reject("broadcast batch dimensions other than all-ones");
  return p;
}

std::array<int64_t, 3> staticMatmulSizes(const MatmulProblem &p) {
  RankedTensorType result = p.op.getType();
  int64_t rank = result.getRank();
  int64_t m = result.getShape()[rank - 2], n = result.getShape()[rank - 1], batch = 1;
  for (int64_t d = 0; d < rank - 2; ++d) {
    int64_t size = result.getShape()[d];
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(m)) {
      m = -1;
      break;
    }
    if (p.foldBatchIntoM)
      m *= size;
    else
      batch *= size;
  }
  return {ShapedType::isDynamic(m) ? -1 : m, ShapedType::isDynamic(n) ? -1 : n, batch};
}

MatmulSizes buildMatmulSizes(ImplicitLocOpBuilder &b, const MatmulProblem &p) {
  MatmulOp op = p.op;
  Value lhs = op.getLhs(), rhs = op.getRhs();
  int64_t lr = cast<RankedTensorType>(lhs.getType()).getRank();
  int64_t rr = cast<RankedTensorType>(rhs.getType()).getRank();
  RankedTensorType resultType = op.getType();
  int64_t outRank = resultType.getRank();
  bool transA = op.getTransposeLhs(), transB = op.getTransposeRhs();

  MatmulSizes s;
  s.m = dimSize(b, lhs, transA ? lr - 1 : lr - 2);
  s.k = dimSize(b, lhs, transA ? lr - 2 : lr - 1);
  s.n = dimSize(b, rhs, transB ? rr - 2 : rr - 1);
  s.batch = constIndex(b, 1);
  // Result sizes come from the operands (the result does not exist yet).
  SmallVector<Value> resultDims;
  Value rows = s.m;
  for (int64_t d = 0; d < outRank - 2; ++d) {
    Value size = p.foldBatchIntoM || p.lhsBatched ? dimSize(b, lhs, d) : dimSize(b, rhs, d);
    resultDims.push_back(size);
    if (p.foldBatchIntoM)
      rows = arith::MulIOp::create(b, rows, size);
    else
      s.batch = arith::MulIOp::create(b, s.batch, size);
  }
  resultDims.push_back(s.m);
  resultDims.push_back(s.n);
  for (auto [d, size] : llvm::enumerate(resultDims))
    if (resultType.isDynamicDim(d))
      s.resultDynamicDims.push_back(size);
  s.m = rows;
  return s;
}

std::pair<GemmOperand, GemmOperand> buildMatmulOperands(ImplicitLocOpBuilder &b,
                                                        const MatmulProblem &p,
                                                        const MatmulSizes &sizes, Value a,
                                                        Value bBuffer, Value bz) {
  Type f32 = b.getF32Type();
  Value m = sizes.m, n = sizes.n, k = sizes.k;
  Value zeroIdx = constIndex(b, 0), oneIdx = constIndex(b, 1);
  auto mul = [&](Value x, Value y) { return arith::MulIOp::create(b, x, y).getResult(); };
  Value aBase = p.lhsBatched ? mul(bz, mul(m, k)) : zeroIdx;
  Value bBase = p.rhsBatched ? mul(bz, mul(k, n)) : zeroIdx;
  Value zero = constFloat(b, f32, 0.0);

  // Loads buffer[base + r*rowStride + col] as f32, zero outside rows x cols.
  auto guarded = [&, zero](Value buffer, Value base, Value rowsV, Value colsV, Value rowStride) {
    Value rLast = arith::SubIOp::create(b, rowsV, oneIdx);
    Value cLast = arith::SubIOp::create(b, colsV, oneIdx);
    return [=](ImplicitLocOpBuilder &lb, Value r, Value col) -> Value {
      auto lt = [&](Value x, Value y) {
        return arith::CmpIOp::create(lb, arith::CmpIPredicate::ult, x, y).getResult();
      };
      Value inside = arith::AndIOp::create(lb, lt(r, rowsV), lt(col, colsV));
      Value rc = arith::MinUIOp::create(lb, r, rLast), cc = arith::MinUIOp::create(lb, col, cLast);
      Value at = arith::AddIOp::create(
          lb, base, arith::AddIOp::create(lb, arith::MulIOp::create(lb, rc, rowStride), cc));
      return arith::SelectOp::create(lb, inside, loadElement(lb, buffer, at, f32), zero)
          .getResult();
    };
  };
  // A is [M, K] (or [K, M] transposed); B is [K, N] (or [N, K]).
  GemmOperand aOp, bOp;
  if (!p.op.getTransposeLhs()) {
    aOp = {guarded(a, aBase, m, k, k), /*kContiguous=*/true};
  } else {
    auto load = guarded(a, aBase, k, m, m);
    aOp = {[load](ImplicitLocOpBuilder &lb, Value r, Value kk) { return load(lb, kk, r); },
           false};
  }
  if (!p.op.getTransposeRhs()) {
    bOp = {guarded(bBuffer, bBase, k, n, n), /*kContiguous=*/false};
  } else {
    auto load = guarded(bBuffer, bBase, n, k, k);
    bOp = {[load](ImplicitLocOpBuilder &lb, Value kk, Value col) { return load(lb, col, kk); },
           true};
  }
  return {aOp, bOp};
}

} // namespace axon::gpu_kernels
