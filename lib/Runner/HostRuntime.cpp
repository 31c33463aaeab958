//===- HostRuntime.cpp - Functions lowered host code calls ----------------===//

#include "HostRuntime.h"
#include "axon/Runner/MemRefABI.h"

#include <cstring>

namespace {

/// An unranked memref as lowered code passes it: rank and a pointer to the
/// ranked descriptor.
struct UnrankedMemRef {
  int64_t rank;
  int64_t *descriptor;
};

axon::MemRefView view(const UnrankedMemRef &m) {
  int64_t words = axon::descriptorWords(m.rank);
  return axon::readDescriptors(llvm::ArrayRef<int64_t>(m.descriptor, words),
                               {m.rank})
      .front();
}

/// memref.copy between buffers of any strides (same sizes).
extern "C" void axonMemrefCopy(int64_t elementSize, UnrankedMemRef *src,
                               UnrankedMemRef *dst) {
  axon::MemRefView from = view(*src), to = view(*dst);
  int64_t rank = src->rank, count = 1;
  for (int64_t size : from.sizes)
    count *= size;
  if (count == 0)
    return;
  char *srcBase = static_cast<char *>(from.aligned) + from.offset * elementSize;
  char *dstBase = static_cast<char *>(to.aligned) + to.offset * elementSize;
  if (from.isContiguous() && to.isContiguous()) {
    std::memmove(dstBase, srcBase, count * elementSize);
    return;
  }
  llvm::SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t s = 0, d = 0;
    for (int64_t k = 0; k < rank; ++k) {
      s += index[k] * from.strides[k];
      d += index[k] * to.strides[k];
    }
    std::memcpy(dstBase + d * elementSize, srcBase + s * elementSize, elementSize);
    for (int64_t k = rank - 1; k >= 0 && ++index[k] == from.sizes[k]; --k)
      index[k] = 0;
  }
}

} // namespace

llvm::orc::SymbolMap
axon::hostRuntimeSymbols(llvm::orc::MangleAndInterner interner) {
  llvm::orc::SymbolMap symbols;
  symbols[interner("memrefCopy")] = {
      llvm::orc::ExecutorAddr::fromPtr(&axonMemrefCopy),
      llvm::JITSymbolFlags::Exported};
  return symbols;
}
