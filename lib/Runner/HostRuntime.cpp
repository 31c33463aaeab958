//===- HostRuntime.cpp - Functions lowered host code calls ----------------===//

#include "HostRuntime.h"
#include "HostAllocator.h"
#include "axon/Runner/HostTensor.h"
#include "axon/Runner/MemRefABI.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

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
  // Rows whose innermost dimension is unit-strided on both sides (a pad's
  // interior, a slice) are copied whole.
  int64_t row = 1;
  if (rank > 0 && from.strides[rank - 1] == 1 && to.strides[rank - 1] == 1)
    row = from.sizes[rank - 1];
  int64_t outerRank = row > 1 ? rank - 1 : rank;
  llvm::SmallVector<int64_t> index(outerRank, 0);
  for (int64_t i = 0, rows = count / row; i < rows; ++i) {
    int64_t s = 0, d = 0;
    for (int64_t k = 0; k < outerRank; ++k) {
      s += index[k] * from.strides[k];
      d += index[k] * to.strides[k];
    }
    std::memcpy(dstBase + d * elementSize, srcBase + s * elementSize, row * elementSize);
    for (int64_t k = outerRank - 1; k >= 0 && ++index[k] == from.sizes[k]; --k)
      index[k] = 0;
  }
}

/// Where a failed check returns to: set while compiled code runs.
thread_local std::jmp_buf *checkTarget = nullptr;
thread_local std::string checkMessage;

[[noreturn]] void failRun(std::string message) {
  if (!checkTarget) {
    std::fprintf(stderr, "axon: error: %s\n", message.c_str());
    std::exit(1);
  }
  checkMessage = std::move(message);
  std::longjmp(*checkTarget, 1);
}

/// Called by the checks axon-insert-runtime-checks emits; `{0}` and `{1}`
/// in the message stand for the two sizes (no printf: the text is data).
extern "C" void axonRuntimeCheckFailed(const char *message, int64_t got,
                                       int64_t expected) {
  std::string text;
  for (const char *p = message; *p; ++p) {
    if (p[0] == '{' && (p[1] == '0' || p[1] == '1') && p[2] == '}') {
      text += std::to_string(p[1] == '0' ? got : expected);
      p += 2;
      continue;
    }
    text += *p;
  }
  failRun("run-time check failed: " + text);
}

/// Host allocations of compiled code: a size computed from huge shapes, or
/// one the machine cannot give, ends the run instead of writing through a
/// null pointer.
void checkAllocationSize(uint64_t size) {
  if (size > axon::largestHostTensorBytes())
    failRun("an intermediate tensor needs " + std::to_string(size) +
            " bytes of host memory, more than the limit on this machine (" +
            std::to_string(axon::largestHostTensorBytes()) + " bytes)");
}

void *checkedAllocation(void *memory, uint64_t size) {
  if (!memory && size != 0)
    failRun("cannot allocate " + std::to_string(size) +
            " bytes of host memory for an intermediate tensor");
  return memory;
}

extern "C" void *axonMalloc(uint64_t size) {
  checkAllocationSize(size);
  return checkedAllocation(axon::allocateHostBuffer(size, 0), size);
}

extern "C" void *axonAlignedAlloc(uint64_t alignment, uint64_t size) {
  checkAllocationSize(size);
  return checkedAllocation(axon::allocateHostBuffer(size, alignment), size);
}

extern "C" void axonFree(void *block) { axon::releaseHostBuffer(block); }

} // namespace

// UBSan's -fsanitize=function reads a signature word just before the callee;
// JIT-compiled entries have none (and the word may be unmapped).
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
llvm::Error axon::callCompiledEntry(void (*entry)(void **), void **packedArgs) {
  std::jmp_buf target;
  std::jmp_buf *outer = checkTarget;
  // Nothing with a destructor lives in this frame across the setjmp.
  if (setjmp(target) != 0) {
    checkTarget = outer;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), checkMessage);
  }
  checkTarget = &target;
  entry(packedArgs);
  checkTarget = outer;
  return llvm::Error::success();
}

llvm::orc::SymbolMap
axon::hostRuntimeSymbols(llvm::orc::MangleAndInterner interner) {
  llvm::orc::SymbolMap symbols;
  auto add = [&](llvm::StringRef name, auto *fn) {
    symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(fn),
                               llvm::JITSymbolFlags::Exported};
  };
  add("memrefCopy", &axonMemrefCopy);
  add("axonRuntimeCheckFailed", &axonRuntimeCheckFailed);
  // memref.alloc lowers to malloc/aligned_alloc and dealloc to free;
  // compiled code gets checked allocations that reuse large blocks.
  add("malloc", &axonMalloc);
  add("aligned_alloc", &axonAlignedAlloc);
  add("free", &axonFree);
  return symbols;
}
