//===- MemoryPlanTest.cpp - Liveness placement of an entry's buffers ------===//

#include "axon/Runtime/MemoryPlan.h"

#include "gtest/gtest.h"

#include <random>

using namespace axon::cuda;

namespace {

constexpr uint64_t MiB = 1 << 20;

TEST(MemoryPlanTest, AFreedBufferIsReusedByTheNextOne) {
  MemoryPlan plan;
  size_t a = plan.recordAlloc(MiB);
  plan.recordFree(a);
  size_t b = plan.recordAlloc(MiB);
  plan.recordFree(b);
  plan.finish();
  EXPECT_EQ(plan.arenaBytes(), MiB);
  EXPECT_EQ(plan.offset(a), plan.offset(b));
}

TEST(MemoryPlanTest, BuffersAliveTogetherGetDisjointRanges) {
  // A chain x -> t1 -> t2 -> y as a model's layers make it: each
  // intermediate is freed after the next one is produced.
  MemoryPlan plan;
  size_t t1 = plan.recordAlloc(3 * MiB);
  size_t t2 = plan.recordAlloc(2 * MiB);
  plan.recordFree(t1);
  size_t t3 = plan.recordAlloc(3 * MiB);
  plan.recordFree(t2);
  size_t y = plan.recordAlloc(100); // the result: never freed
  plan.recordFree(t3);
  plan.finish();
  EXPECT_EQ(plan.peakLiveBytes(), 5 * MiB);
  // t1 and t3 share [0, 3 MiB); t2 takes [3, 5) MiB; y, allocated after t2
  // is freed, fits in t2's range: the arena is the peak.
  EXPECT_EQ(plan.arenaBytes(), 5 * MiB);
  EXPECT_EQ(plan.offset(t2), 3 * MiB);
  EXPECT_EQ(plan.offset(y), 3 * MiB);
  EXPECT_EQ(plan.offset(t1), plan.offset(t3));
  EXPECT_NE(plan.offset(t2), plan.offset(t1));
  EXPECT_EQ(plan.size(y), 256u) << "sizes are rounded to the alignment";
}

TEST(MemoryPlanTest, RandomTracesNeverOverlapAndStayNearThePeak) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    MemoryPlan plan;
    std::vector<size_t> live;
    std::vector<std::pair<size_t, size_t>> lifetime; // [alloc, free) events
    size_t event = 0;
    int steps = 1 + rng() % 60;
    for (int s = 0; s < steps; ++s) {
      if (!live.empty() && rng() % 3 == 0) {
        size_t pick = rng() % live.size();
        plan.recordFree(live[pick]);
        lifetime[live[pick]].second = event++;
        live.erase(live.begin() + pick);
        continue;
      }
      uint64_t bytes = 1 + rng() % (4 * MiB);
      size_t index = plan.recordAlloc(bytes);
      ASSERT_EQ(index, lifetime.size());
      lifetime.push_back({event++, SIZE_MAX});
      live.push_back(index);
    }
    plan.finish();
    ASSERT_TRUE(plan.finished());
    ASSERT_GE(plan.arenaBytes(), plan.peakLiveBytes());
    for (size_t i = 0; i < plan.numBuffers(); ++i) {
      EXPECT_EQ(plan.offset(i) % MemoryPlan::kAlignment, 0u);
      EXPECT_LE(plan.offset(i) + plan.size(i), plan.arenaBytes());
      for (size_t j = i + 1; j < plan.numBuffers(); ++j) {
        bool together = lifetime[i].first < lifetime[j].second &&
                        lifetime[j].first < lifetime[i].second;
        bool disjoint = plan.offset(i) + plan.size(i) <= plan.offset(j) ||
                        plan.offset(j) + plan.size(j) <= plan.offset(i);
        EXPECT_TRUE(!together || disjoint)
            << "trial " << trial << ": buffers " << i << " and " << j
            << " are alive together and overlap";
      }
    }
    // Greedy placement is not optimal, but far from the sum of all sizes.
    uint64_t total = 0;
    for (size_t i = 0; i < plan.numBuffers(); ++i)
      total += plan.size(i);
    EXPECT_LE(plan.arenaBytes(), total);
  }
}

TEST(MemoryPlanTest, FreeingTwiceOrAnUnknownIndexIsIgnored) {
  MemoryPlan plan;
  size_t a = plan.recordAlloc(MiB);
  plan.recordFree(a);
  plan.recordFree(a);
  plan.recordFree(42);
  size_t b = plan.recordAlloc(MiB);
  plan.finish();
  EXPECT_EQ(plan.peakLiveBytes(), MiB);
  EXPECT_EQ(plan.offset(a), plan.offset(b));
}

} // namespace
