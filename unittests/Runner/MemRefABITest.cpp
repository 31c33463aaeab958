//===- MemRefABITest.cpp - Memref descriptors for compiled entry points ---===//

#include "axon/Runner/MemRefABI.h"

#include <gtest/gtest.h>

using namespace axon;

namespace {

TEST(MemRefABITest, DescriptorOfARowMajorBuffer) {
  float data[24];
  llvm::SmallVector<int64_t> words;
  appendDescriptor(words, data, {2, 3, 4});
  ASSERT_EQ(words.size(), static_cast<size_t>(descriptorWords(3)));
  int64_t ptr = reinterpret_cast<int64_t>(&data[0]);
  EXPECT_EQ(words, (llvm::SmallVector<int64_t>{ptr, ptr, 0, 2, 3, 4, 12, 4, 1}));
  // Rank 0: pointers and offset only.
  appendDescriptor(words, data, {});
  EXPECT_EQ(words.size(), 12u);
}

TEST(MemRefABITest, ReadsConsecutiveDescriptors) {
  llvm::SmallVector<int64_t> words = {16, 32, 1, 2, 5, 5, 1, // rank 2
                                      64, 64, 0};            // rank 0
  auto views = readDescriptors(words, {2, 0});
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(reinterpret_cast<int64_t>(views[0].allocated), 16);
  EXPECT_EQ(reinterpret_cast<int64_t>(views[0].aligned), 32);
  EXPECT_EQ(views[0].offset, 1);
  EXPECT_EQ(views[0].sizes, (llvm::SmallVector<int64_t>{2, 5}));
  EXPECT_EQ(views[0].strides, (llvm::SmallVector<int64_t>{5, 1}));
  EXPECT_TRUE(views[0].isContiguous());
  EXPECT_TRUE(views[1].sizes.empty());
}

TEST(MemRefABITest, Contiguity) {
  MemRefView v;
  v.sizes = {3, 4};
  v.strides = {4, 1};
  EXPECT_TRUE(v.isContiguous());
  v.strides = {1, 3}; // Transposed.
  EXPECT_FALSE(v.isContiguous());
  v.sizes = {1, 4};
  v.strides = {100, 1}; // A unit dim's stride does not matter.
  EXPECT_TRUE(v.isContiguous());
  v.sizes = {2, 2};
  v.strides = {4, 2}; // Every other element.
  EXPECT_FALSE(v.isContiguous());
}

TEST(MemRefABITest, PacksOnePointerPerWordThenTheResult) {
  llvm::SmallVector<int64_t> words = {1, 2, 3};
  int64_t result[5];
  auto packed = packArguments(words, result);
  ASSERT_EQ(packed.size(), 4u);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(packed[i], &words[i]);
  EXPECT_EQ(packed[3], result);
  EXPECT_EQ(packArguments(words, nullptr).size(), 3u);
}

} // namespace
