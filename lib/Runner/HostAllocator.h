//===- HostAllocator.h - Host buffers of compiled CPU code -------*- C++ -*-===//
//
// A compiled entry allocates its intermediate tensors on every call and
// frees them before it returns. Large buffers from malloc come from fresh
// mmap'd pages each time, so every call paid a page fault per 4 KiB of its
// intermediates (a fifth of ResNet-18's CPU time). Freed large blocks are
// kept instead and handed out again to the next request of about their size.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_RUNNER_HOSTALLOCATOR_H
#define AXON_LIB_RUNNER_HOSTALLOCATOR_H

#include <cstdint>

namespace axon {

/// `size` bytes aligned to `alignment` (0: malloc's own); a reused block when
/// one of a fitting size is kept. Null when the machine cannot give them.
void *allocateHostBuffer(uint64_t size, uint64_t alignment);

/// Gives back a block from allocateHostBuffer (or malloc): large ones are
/// kept for reuse, up to a bound on the bytes kept.
void releaseHostBuffer(void *block);

/// Frees every kept block (when an executable goes away).
void trimHostBuffers();

} // namespace axon

#endif // AXON_LIB_RUNNER_HOSTALLOCATOR_H
