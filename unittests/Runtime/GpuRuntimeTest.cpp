//===- GpuRuntimeTest.cpp - The mgpu* ABI layer without and with a GPU ----===//

#include "axon/Runtime/GpuRuntime.h"

#include "gtest/gtest.h"

#include <set>
#include <string>

using namespace axon::cuda;

namespace {

void *symbol(const char *name) {
  for (const RuntimeSymbol &s : gpuRuntimeSymbols())
    if (std::string(s.name) == name)
      return s.address;
  return nullptr;
}

// Every entry point MLIR 22's gpu-to-llvm emits for Axon's host code must be
// served (a missing one is an unresolved symbol at JIT time).
TEST(GpuRuntimeTest, ServesTheAbiThatLoweredHostCodeCalls) {
  const char *needed[] = {"mgpuModuleLoad",        "mgpuModuleLoadJIT",
                          "mgpuModuleUnload",      "mgpuModuleGetFunction",
                          "mgpuLaunchKernel",      "mgpuStreamCreate",
                          "mgpuStreamDestroy",     "mgpuStreamSynchronize",
                          "mgpuStreamWaitEvent",   "mgpuEventCreate",
                          "mgpuEventDestroy",      "mgpuEventSynchronize",
                          "mgpuEventRecord",       "mgpuMemAlloc",
                          "mgpuMemFree",           "mgpuMemcpy",
                          "mgpuMemset32",          "mgpuMemset16",
                          "mgpuSetDefaultDevice"};
  std::set<std::string> names;
  for (const RuntimeSymbol &s : gpuRuntimeSymbols()) {
    EXPECT_NE(s.address, nullptr) << s.name;
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate " << s.name;
  }
  for (const char *name : needed)
    EXPECT_TRUE(names.count(name)) << name << " is not provided";
}

// Compiled code cannot see errors: the runtime keeps the first one, skips
// later work, and the runner reports it.
TEST(GpuRuntimeTest, UseWithoutADeviceIsRecordedNotACrash) {
  GpuRuntime &rt = GpuRuntime::get();
  ASSERT_FALSE(rt.attached());
  rt.clearError();
  auto alloc = reinterpret_cast<void *(*)(uint64_t, void *, bool)>(symbol("mgpuMemAlloc"));
  ASSERT_NE(alloc, nullptr);
  EXPECT_EQ(alloc(64, nullptr, false), nullptr);
  EXPECT_EQ(rt.error(), "GPU runtime used before a device was attached");
  auto load = reinterpret_cast<void *(*)(void *, int)>(symbol("mgpuModuleLoadJIT"));
  EXPECT_EQ(load(const_cast<char *>(".version 8.0"), 3), nullptr);
  EXPECT_EQ(rt.error(), "GPU runtime used before a device was attached");
  rt.clearError();
  EXPECT_TRUE(rt.error().empty());
}

// Zero-sized tensors give kernels an empty grid: nothing to launch, and no
// error (the driver would refuse the launch).
TEST(GpuRuntimeTest, EmptyLaunchesAreSkipped) {
  GpuRuntime &rt = GpuRuntime::get();
  rt.clearError();
  using LaunchFn = void (*)(void *, intptr_t, intptr_t, intptr_t, intptr_t, intptr_t,
                            intptr_t, int32_t, void *, void **, void **, size_t);
  auto launch = reinterpret_cast<LaunchFn>(symbol("mgpuLaunchKernel"));
  ASSERT_NE(launch, nullptr);
  launch(nullptr, 0, 1, 1, 256, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  launch(nullptr, 4, 1, 0, 256, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  EXPECT_TRUE(rt.error().empty()) << rt.error();
  // A non-empty launch of a missing kernel is still an error.
  launch(nullptr, 1, 1, 1, 256, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  EXPECT_FALSE(rt.error().empty());
  rt.clearError();
}

TEST(GpuRuntimeTest, KeepsTheFirstError) {
  GpuRuntime &rt = GpuRuntime::get();
  rt.clearError();
  EXPECT_TRUE(rt.record(Status::success()));
  EXPECT_FALSE(rt.record({"cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE"}));
  EXPECT_FALSE(rt.record({"cuStreamSynchronize failed: CUDA_ERROR_LAUNCH_FAILED"}));
  EXPECT_EQ(rt.error(), "cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE");
  rt.clearError();
}

TEST(GpuRuntimeTest, HostSharedAllocationsAreRefused) {
  GpuRuntime &rt = GpuRuntime::get();
  rt.clearError();
  auto alloc = reinterpret_cast<void *(*)(uint64_t, void *, bool)>(symbol("mgpuMemAlloc"));
  EXPECT_EQ(alloc(64, nullptr, true), nullptr);
  EXPECT_EQ(rt.error(), "host-shared GPU allocations are not supported");
  rt.clearError();
}

// On a machine with a GPU: a real allocation, copy round trip and free
// through the ABI, on the runtime's stream.
TEST(GpuRuntimeTest, AllocCopyFreeOnTheDevice) {
  Status status;
  std::unique_ptr<Driver> driver = Driver::load(status);
  if (!driver || driver->deviceCount(status) == 0)
    GTEST_SKIP() << "no CUDA device: " << status.error;
  ASSERT_TRUE(driver->useDevice(0).ok());
  GpuRuntime &rt = GpuRuntime::get();
  ASSERT_TRUE(rt.attach(*driver).ok());
  rt.clearError();
  auto alloc = reinterpret_cast<void *(*)(uint64_t, void *, bool)>(symbol("mgpuMemAlloc"));
  auto copy = reinterpret_cast<void (*)(void *, void *, size_t, void *)>(symbol("mgpuMemcpy"));
  auto fill = reinterpret_cast<void (*)(void *, uint32_t, size_t, void *)>(symbol("mgpuMemset32"));
  auto sync = reinterpret_cast<void (*)(void *)>(symbol("mgpuStreamSynchronize"));
  auto release = reinterpret_cast<void (*)(void *, void *)>(symbol("mgpuMemFree"));
  void *device = alloc(1024 * sizeof(float), nullptr, false);
  ASSERT_NE(device, nullptr) << rt.error();
  fill(device, 0x3f800000u, 1024, nullptr); // 1.0f
  std::vector<float> host(1024, -1.0f);
  copy(host.data(), device, host.size() * sizeof(float), nullptr);
  sync(nullptr);
  release(device, nullptr);
  sync(nullptr);
  EXPECT_TRUE(rt.error().empty()) << rt.error();
  for (float v : host)
    ASSERT_EQ(v, 1.0f);
  rt.detach();
}

} // namespace
