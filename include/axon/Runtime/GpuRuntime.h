//===- GpuRuntime.h - The mgpu* ABI on Axon's driver layer ------*- C++ -*-===//
//
// MLIR's gpu-to-llvm lowering makes host code call mgpuModuleLoad,
// mgpuLaunchKernel, mgpuMemAlloc, ... Axon implements those entry points
// itself on its CUDA driver layer, so compiled programs need no MLIR runtime
// library. The generated code cannot receive errors, so the first failing
// call is recorded (later work is skipped) and the runner reports it after
// the entry returns.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNTIME_GPURUNTIME_H
#define AXON_RUNTIME_GPURUNTIME_H

#include "axon/Support/GpuAbi.h"

#include "axon/Runtime/CudaDriver.h"
#include "axon/Runtime/MemoryPlan.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace axon::cuda {

/// The state behind the mgpu* functions: one driver, one stream, cached
/// function lookups, optional per-kernel timing.
class GpuRuntime {
public:
  /// The process-wide instance the mgpu* functions use.
  static GpuRuntime &get();

  /// Binds `driver` (already on a device) and creates the one stream all
  /// compiled work runs on.
  Status attach(Driver &driver);
  /// Destroys the stream and the cached state; modules are unloaded by the
  /// compiled code's destructors before this.
  void detach();
  bool attached() const { return driver != nullptr; }

  /// Time spent in the driver loading kernel modules since attach (the
  /// compiled code's constructors load them; tools report it apart).
  double moduleLoadMs() const { return loadMs; }

  /// The first error since the last clear ("" if none).
  const std::string &error() const { return firstError; }
  void clearError() { firstError.clear(); }
  /// Records `status` if it is the first failure; returns status.ok().
  bool record(const Status &status);

  /// When on, every launch is bracketed with events; kernelTimes() reads them.
  /// The stream is held before each start event until the launch is
  /// enqueued (where the driver allows), so an idle stream does not stamp the
  /// start early and the interval is the kernel's, not the host's dispatch.
  void setProfiling(bool on) { profiling = on; }
  /// When on, every allocation is filled with 0xFF bytes (NaN in every float
  /// type) before use, so an element no kernel writes cannot pass a check.
  void setPoison(bool on) { poison = on; }
  struct KernelTime {
    std::string name;
    float ms;
  };
  /// Waits for the stream and returns the launches since the last call.
  std::vector<KernelTime> kernelTimes();

  Driver *driverOrNull() { return driver; }
  void *stream() const { return mainStream; }

  // The operations behind the ABI.
  void *loadModule(const void *data, size_t size, bool isText);
  void unloadModule(void *module);
  void *function(void *module, const char *name);
  void launch(void *function, const unsigned grid[3], const unsigned block[3],
              int sharedBytes, void **params);
  void *alloc(uint64_t bytes);
  void free(void *ptr);
  void copy(void *dst, const void *src, size_t bytes);
  void fill32(void *dst, uint32_t value, size_t count);
  void fill16(void *dst, uint16_t value, size_t count);
  void synchronize();
  /// The device copy of the constant at `host` (`bytes` long), uploaded on
  /// first use and kept until a kernel module is unloaded.
  void *deviceConstant(const void *host, size_t bytes);
  /// The device copy of a TMA descriptor for the memref `descriptor` (rank
  /// `rank`, the tiled box `boxDims`, outermost first), as
  /// mgpuTensorMapEncodeTiledMemref receives it; identical requests share
  /// one copy. Null, with the error recorded, for a tensor TMA cannot map.
  void *tensorMap(int64_t rank, const int64_t *descriptor, int64_t dataType,
                  int64_t interleave, int64_t swizzle, int64_t l2Promotion,
                  int64_t oobFill, const int64_t *boxDims);
  /// Whether `device` is a cached constant (which callers must not free).
  bool isConstant(const void *device) const;
  /// Where the compiled code's allocations come from (see MemoryPlan.h).
  /// Recording: from the driver, each noted in `plan` with its lifetime.
  void recordAllocations(MemoryPlan &plan);
  /// Planned: the i-th allocation is served from `arena` at the plan's i-th
  /// offset. The first request that departs from the plan (another size,
  /// one too many) and every one after it go to the driver instead, and
  /// planMissed() says so.
  void servePlan(const MemoryPlan &plan, DevicePtr arena);
  /// Direct: every allocation from the driver's stream-ordered pool.
  void allocateDirectly();
  bool planMissed() const { return missedPlan; }
  /// Live bytes allocated from the driver by compiled code, and their most
  /// since resetPeak (arena buffers are not counted: the arena is).
  uint64_t driverPeakBytes() const { return driverPeak; }
  void resetPeak() { driverPeak = driverLive; }
  /// Bytes of the constants' device copies.
  uint64_t constantBytes() const;

  /// Captures the stream's work into a CUDA graph instead of running it
  /// (stream synchronizations are skipped meanwhile). endCapture returns the
  /// instantiated graph, or fails when anything in between was not
  /// capturable (the stream is usable again either way).
  Status beginCapture();
  Status endCapture(void *&graphExec);

  void *createEvent();
  void destroyEvent(void *event);
  void recordEvent(void *event);
  void synchronizeEvent(void *event);

private:
  struct Launch {
    void *function, *start, *end;
  };
  Driver *driver = nullptr;
  void *mainStream = nullptr;
  std::string firstError;
  bool profiling = false;
  bool poison = false;
  double loadMs = 0;
  Driver::HostFlag gate;
  uint32_t gateValue = 0;
  bool gateTried = false;
  std::map<std::pair<void *, std::string>, void *> functions;
  std::map<void *, std::string> functionNames;
  std::map<void *, int> sharedLimit;
  std::vector<Launch> launches;
  std::vector<void *> freeEvents;
  std::map<const void *, std::pair<DevicePtr, size_t>> constants;
  void releaseConstants();
  std::map<std::vector<int64_t>, DevicePtr> tensorMaps;
  void releaseTensorMaps();

  enum class AllocMode { Direct, Record, Planned } allocMode = AllocMode::Direct;
  MemoryPlan *recording = nullptr;
  std::map<void *, size_t> recordedLive;
  const MemoryPlan *plan = nullptr;
  DevicePtr arena = 0;
  size_t planNext = 0;
  bool missedPlan = false;
  std::map<void *, uint64_t> driverAllocations;
  uint64_t driverLive = 0, driverPeak = 0;
  bool inCapture = false;
  bool inArena(const void *ptr) const;
};

/// One symbol the compiled host code calls.
struct RuntimeSymbol {
  const char *name;
  void *address;
};
/// The mgpu* entry points, for the JIT's symbol table.
const std::vector<RuntimeSymbol> &gpuRuntimeSymbols();

/// Compiled code gets each constant's device copy from functions named
/// `_mlir_ciface_axonDeviceConstant_<i>` (one per memref type), with the
/// C-interface signature (result descriptor*, host descriptor*, bytes, rank).
/// All are served by this one entry point.
using abi::kDeviceConstantSymbolPrefix;
void *deviceConstantEntryPoint();

} // namespace axon::cuda

#endif // AXON_RUNTIME_GPURUNTIME_H
