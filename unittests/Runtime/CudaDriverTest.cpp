//===- CudaDriverTest.cpp - The CUDA driver layer -------------------------===//
//
// The error paths and argument packing run everywhere. With a GPU, the
// device tests load the PTX that `axon-translate --axon-to-ptx` emits for
// test/Target/PTX/elementwise.mlir (path in AXON_TEST_PTX), launch it, and
// check relu(x * a) against the host; without one they are skipped.
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

TEST(CudaDriverTest, AxonElementwiseKernelRunsOnTheDevice) {
  const char *ptxPath = std::getenv("AXON_TEST_PTX");
  if (!ptxPath)
    GTEST_SKIP() << "AXON_TEST_PTX is not set";
  std::string why;
  auto driver = deviceOrSkip(why);
  if (!driver)
    GTEST_SKIP() << why;
  Status status;
  std::cout << "device: " << driver->deviceName(0, status) << "\n";

  std::ifstream file(ptxPath);
  std::stringstream ptx;
  ptx << file.rdbuf();
  void *module = nullptr, *kernel = nullptr;
  ASSERT_TRUE(driver->loadModule(ptx.str(), module).ok());
  ASSERT_TRUE(driver->getFunction(module, "main_kernel", kernel).ok());

  const int64_t n = 1024;
  std::vector<float> x(n), a(n), out(n, -1.0f);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 17) - 8.0f;
    a[i] = 0.25f * static_cast<float>(i % 5) - 0.5f;
  }
  DevicePtr dx, da, dout;
  size_t bytes = n * sizeof(float);
  ASSERT_TRUE(driver->alloc(bytes, dx).ok());
  ASSERT_TRUE(driver->alloc(bytes, da).ok());
  ASSERT_TRUE(driver->alloc(bytes, dout).ok());
  ASSERT_TRUE(driver->copyToDevice(dx, x.data(), bytes).ok());
  ASSERT_TRUE(driver->copyToDevice(da, a.data(), bytes).ok());

  // The outlined kernel's parameters: memref x, memref a, relu's 0.0, memref out.
  KernelArgs args;
  args.addMemRef(dx, {n});
  args.addMemRef(da, {n});
  args.add(0.0f);
  args.addMemRef(dout, {n});
  std::vector<void *> params = args.pointers();
  unsigned grid[3] = {n / 256, 1, 1}, block[3] = {256, 1, 1};
  Status launched = driver->launch(kernel, grid, block, 0, params);
  ASSERT_TRUE(launched.ok()) << launched.error;
  ASSERT_TRUE(driver->copyToHost(out.data(), dout, bytes).ok());
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(out[i], std::max(x[i] * a[i], 0.0f)) << "at " << i;
  EXPECT_TRUE(driver->free(dx).ok());
  EXPECT_TRUE(driver->free(da).ok());
  EXPECT_TRUE(driver->free(dout).ok());
  EXPECT_TRUE(driver->unloadModule(module).ok());
}

} // namespace
