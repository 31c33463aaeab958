//===- HostAllocatorTest.cpp - Kept host buffers of compiled code ---------===//

#include "HostAllocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace {

using axon::allocateHostBuffer;
using axon::releaseHostBuffer;
using axon::trimHostBuffers;

TEST(HostAllocator, ReusesAReleasedLargeBlockForTheSameSize) {
  trimHostBuffers();
  void *first = allocateHostBuffer(1 << 20, 0);
  ASSERT_NE(first, nullptr);
  std::memset(first, 1, 1 << 20);
  releaseHostBuffer(first);
  void *second = allocateHostBuffer(1 << 20, 0);
  EXPECT_EQ(second, first);
  releaseHostBuffer(second);
  trimHostBuffers();
}

TEST(HostAllocator, NeverHandsOutABlockTooSmallOrMuchTooLarge) {
  trimHostBuffers();
  void *small = allocateHostBuffer(256 << 10, 0);
  releaseHostBuffer(small);
  void *larger = allocateHostBuffer(512 << 10, 0); // Kept one is too small.
  EXPECT_NE(larger, small);
  void *big = allocateHostBuffer(4 << 20, 0);
  releaseHostBuffer(big);
  void *tiny = allocateHostBuffer(100 << 10, 0); // Kept 4 MiB is far too large.
  EXPECT_NE(tiny, big);
  std::memset(larger, 2, 512 << 10);
  std::memset(tiny, 3, 100 << 10);
  for (void *p : {larger, tiny})
    releaseHostBuffer(p);
  trimHostBuffers();
}

TEST(HostAllocator, HonoursAlignment) {
  trimHostBuffers();
  for (uint64_t alignment : {64u, 128u, 4096u}) {
    void *block = allocateHostBuffer(300 << 10, alignment);
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % alignment, 0u) << alignment;
    releaseHostBuffer(block);
  }
  trimHostBuffers();
}

TEST(HostAllocator, SmallBlocksAreNotKept) {
  trimHostBuffers();
  void *a = allocateHostBuffer(4 << 10, 0);
  releaseHostBuffer(a);
  // Whatever malloc returns now, it was not taken from the kept blocks;
  // releasing null is a no-op.
  void *b = allocateHostBuffer(4 << 10, 0);
  ASSERT_NE(b, nullptr);
  releaseHostBuffer(b);
  releaseHostBuffer(nullptr);
  trimHostBuffers();
}

} // namespace
