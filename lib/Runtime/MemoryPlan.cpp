//===- MemoryPlan.cpp - Device buffers of an entry placed by liveness -----===//

#include "axon/Runtime/MemoryPlan.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace axon::cuda {

size_t MemoryPlan::recordAlloc(uint64_t bytes) {
  bytes = rounded(bytes);
  buffers.push_back({bytes, events++, std::numeric_limits<size_t>::max()});
  live += bytes;
  peakLive = std::max(peakLive, live);
  done = false;
  return buffers.size() - 1;
}

void MemoryPlan::recordFree(size_t index) {
  if (index >= buffers.size() ||
      buffers[index].freedAt != std::numeric_limits<size_t>::max())
    return;
  buffers[index].freedAt = events++;
  live -= buffers[index].bytes;
}

void MemoryPlan::finish() {
  // Greedy by size (largest first, then by allocation order): each buffer
  // goes to the lowest offset that no already placed buffer alive at the
  // same time occupies. Big buffers placed first leave the gaps to the
  // small ones.
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return buffers[a].bytes > buffers[b].bytes;
  });
  auto overlapInTime = [&](const Buffer &a, const Buffer &b) {
    return a.allocatedAt < b.freedAt && b.allocatedAt < a.freedAt;
  };
  std::vector<size_t> placed;
  arena = 0;
  for (size_t index : order) {
    Buffer &buffer = buffers[index];
    std::vector<std::pair<uint64_t, uint64_t>> taken; // [begin, end)
    for (size_t other : placed)
      if (overlapInTime(buffer, buffers[other]))
        taken.push_back({buffers[other].offset,
                         buffers[other].offset + buffers[other].bytes});
    std::sort(taken.begin(), taken.end());
    uint64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (begin >= offset + buffer.bytes)
        break;
      offset = std::max(offset, end);
    }
    buffer.offset = offset;
    arena = std::max(arena, offset + buffer.bytes);
    placed.push_back(index);
  }
  done = true;
}

} // namespace axon::cuda
