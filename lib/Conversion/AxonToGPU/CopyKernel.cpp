//===- CopyKernel.cpp - Vectorized strided copies -------------------------===//

#include "CopyKernel.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;

namespace axon::gpu_kernels {

void emitStridedCopy(ImplicitLocOpBuilder &b, Value in, Value out,
                     ArrayRef<Value> outSizes, ArrayRef<Value> srcStrides,
                     Value base, Value total, int64_t threads, int64_t vec,
                     StringRef label, DictionaryAttr config) {
  OpBuilder::InsertionGuard guard(b);
  Value items = ceilDiv(b, total, vec);
  Value item = buildItemLaunch(b, items, threads, label, config);
  Value first = arith::MulIOp::create(b, item, constIndex(b, vec));
  Value rest = first, source = base;
  for (int64_t d = outSizes.size() - 1; d >= 0; --d) {
    Value coord = arith::RemUIOp::create(b, rest, outSizes[d]);
    rest = arith::DivUIOp::create(b, rest, outSizes[d]);
    source = arith::AddIOp::create(
        b, source, arith::MulIOp::create(b, coord, srcStrides[d]));
  }
  Type element = cast<MemRefType>(in.getType()).getElementType();
  storeValue(b, loadVector(b, in, source, vec, element), out, first);
}

int64_t widestVector(ArrayRef<int64_t> sizes, int64_t elementBits) {
  int64_t vec = std::max<int64_t>(1, 128 / std::max<int64_t>(elementBits, 8));
  vec = std::min<int64_t>(vec, 4);
  for (int64_t s : sizes)
    while (vec > 1 && (s < 0 || s % vec))
      vec /= 2;
  return vec;
}

} // namespace axon::gpu_kernels
