//===- HostAllocator.cpp - Host buffers of compiled CPU code --------------===//

#include "HostAllocator.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <malloc.h>
#include <map>
#include <mutex>

namespace axon {
namespace {

/// Blocks below this size come from malloc's own free lists quickly.
constexpr size_t kSmallestKept = size_t(64) << 10;
/// At most this many bytes are kept idle.
constexpr size_t kMostKept = size_t(1) << 30;

struct KeptBlocks {
  std::mutex mutex;
  std::multimap<size_t, void *> bySize; // usable size -> block
  size_t bytes = 0;
};

KeptBlocks &kept() {
  static KeptBlocks *blocks = new KeptBlocks; // Outlives static destructors.
  return *blocks;
}

} // namespace

void *allocateHostBuffer(uint64_t size, uint64_t alignment) {
  if (size >= kSmallestKept) {
    KeptBlocks &k = kept();
    std::lock_guard<std::mutex> lock(k.mutex);
    // A block at most 1/8 larger than asked, suitably aligned.
    for (auto it = k.bySize.lower_bound(size);
         it != k.bySize.end() && it->first <= size + size / 8; ++it) {
      if (alignment > 1 && reinterpret_cast<uintptr_t>(it->second) % alignment != 0)
        continue;
      void *block = it->second;
      k.bytes -= it->first;
      k.bySize.erase(it);
      return block;
    }
  }
  if (alignment <= alignof(std::max_align_t))
    return std::malloc(size);
  return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
}

void releaseHostBuffer(void *block) {
  if (!block)
    return;
  size_t usable = malloc_usable_size(block);
  if (usable >= kSmallestKept) {
    KeptBlocks &k = kept();
    std::lock_guard<std::mutex> lock(k.mutex);
    if (k.bytes + usable <= kMostKept) {
      k.bySize.emplace(usable, block);
      k.bytes += usable;
      return;
    }
  }
  std::free(block);
}

void trimHostBuffers() {
  KeptBlocks &k = kept();
  std::lock_guard<std::mutex> lock(k.mutex);
  for (auto &[size, block] : k.bySize)
    std::free(block);
  k.bySize.clear();
  k.bytes = 0;
}

} // namespace axon
