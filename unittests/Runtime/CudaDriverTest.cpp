//===- CudaDriverTest.cpp - The CUDA driver layer -------------------------===//
//
// The error paths and argument packing run everywhere; the device tests
// (bad PTX on a real driver) are skipped without a GPU. Compiled kernels are
// launched end to end by the CUDA lit suite (test/Integration/CUDA).
//
//===----------------------------------------------------------------------===//

#include "axon/Runtime/CudaDriver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace axon::cuda;

namespace {

TEST(CudaDriverTest, MissingDriverIsAClearError) {
  Status status;
  auto driver = Driver::load(status, "libcuda-that-does-not-exist.so.1");
  EXPECT_EQ(driver, nullptr);
  EXPECT_EQ(status.error.rfind("no CUDA driver: cannot load libcuda-that-does-not-exist.so.1 (", 0),
            0u)
      << status.error;
}

TEST(CudaDriverTest, KernelArgsFollowTheMemRefABI) {
  KernelArgs args;
  args.addMemRef(0x1000, {2, 3});
  args.add(1.5f);
  ASSERT_EQ(args.size(), 3u + 2 * 2 + 1);
  std::vector<void *> p = args.pointers();
  auto word = [&](size_t i) { return *static_cast<int64_t *>(p[i]); };
  EXPECT_EQ(word(0), 0x1000); // allocated
  EXPECT_EQ(word(1), 0x1000); // aligned
  EXPECT_EQ(word(2), 0);      // offset
  EXPECT_EQ(word(3), 2);      // sizes
  EXPECT_EQ(word(4), 3);
  EXPECT_EQ(word(5), 3);      // strides (row-major)
  EXPECT_EQ(word(6), 1);
  EXPECT_EQ(*static_cast<float *>(p[7]), 1.5f);
}

/// A loaded driver with device 0 current, or a skip.
std::unique_ptr<Driver> deviceOrSkip(std::string &why) {
  Status status;
  auto driver = Driver::load(status);
  if (!driver) {
    why = status.error;
    return nullptr;
  }
  if (driver->deviceCount(status) < 1 || !status.ok()) {
    why = "no CUDA device";
    return nullptr;
  }
  status = driver->useDevice(0);
  if (!status.ok()) {
    why = status.error;
    return nullptr;
  }
  return driver;
}

TEST(CudaDriverTest, BadPtxIsReportedWithTheCallAndTheDriverMessage) {
  std::string why;
  auto driver = deviceOrSkip(why);
  if (!driver)
    GTEST_SKIP() << why;
  void *module = nullptr;
  Status s = driver->loadModule(".version 8.0\n.target sm_90a\nthis is not ptx\n", module);
  EXPECT_EQ(s.error.rfind("cuModuleLoadData failed: CUDA_ERROR_", 0), 0u) << s.error;
}

} // namespace
