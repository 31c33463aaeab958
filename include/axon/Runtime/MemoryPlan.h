//===- MemoryPlan.h - Device buffers of an entry placed by liveness -*- C++
//-*-===//
//
// A compiled entry with static shapes asks for the same buffers, in the same
// order, on every call. The first call is recorded (each allocation's size,
// and when it is allocated and freed, counted in allocation/free events);
// the plan then gives every buffer an offset in one arena so that buffers
// alive at the same time never overlap, and later calls are served from the
// arena without asking the driver. All work runs on one stream, so a range
// freed by one buffer may be handed to the next as soon as it is freed
// (stream order keeps the kernels apart), as a stream-ordered allocator does.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNTIME_MEMORYPLAN_H
#define AXON_RUNTIME_MEMORYPLAN_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace axon::cuda {

class MemoryPlan {
public:
  /// Offsets and sizes are multiples of this (the driver's own alignment).
  static constexpr uint64_t kAlignment = 256;

  /// `bytes` rounded up to the alignment (the size a buffer is planned at).
  static uint64_t rounded(uint64_t bytes) {
    return bytes <= kAlignment
               ? kAlignment
               : (bytes + kAlignment - 1) / kAlignment * kAlignment;
  }

  /// Notes an allocation of `bytes`; returns its index (call order).
  size_t recordAlloc(uint64_t bytes);
  /// Notes that allocation `index` is freed now. Never freed means alive to
  /// the end of the call.
  void recordFree(size_t index);

  /// Places every recorded buffer; call after the recorded call.
  void finish();

  size_t numBuffers() const { return buffers.size(); }
  uint64_t size(size_t index) const { return buffers[index].bytes; }
  uint64_t offset(size_t index) const { return buffers[index].offset; }
  /// The arena the plan needs.
  uint64_t arenaBytes() const { return arena; }
  /// The most bytes alive at once in the recorded call (a lower bound for
  /// any placement: the arena is at least this).
  uint64_t peakLiveBytes() const { return peakLive; }
  bool finished() const { return done; }

private:
  struct Buffer {
    uint64_t bytes;
    size_t allocatedAt, freedAt;
    uint64_t offset = 0;
  };
  std::vector<Buffer> buffers;
  size_t events = 0;
  uint64_t live = 0, peakLive = 0, arena = 0;
  bool done = false;
};

} // namespace axon::cuda

#endif // AXON_RUNTIME_MEMORYPLAN_H
