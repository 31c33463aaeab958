//===- GpuRuntime.cpp - The mgpu* ABI on Axon's driver layer --------------===//

#include "axon/Runtime/GpuRuntime.h"

#include <algorithm>
#include <chrono>

#include <cstring>
#include <iterator>

namespace axon::cuda {

static DevicePtr devicePtr(const void *ptr) {
  return reinterpret_cast<DevicePtr>(ptr);
}

GpuRuntime &GpuRuntime::get() {
  static GpuRuntime runtime;
  return runtime;
}

Status GpuRuntime::attach(Driver &d) {
  detach();
  Status s = d.createStream(mainStream);
  if (s.ok())
    driver = &d;
  return s;
}

void GpuRuntime::detach() {
  if (!driver)
    return;
  driver->synchronizeStream(mainStream);
  for (const Launch &l : launches) {
    driver->destroyEvent(l.start);
    driver->destroyEvent(l.end);
  }
  for (void *e : freeEvents)
    driver->destroyEvent(e);
  launches.clear();
  freeEvents.clear();
  releaseConstants();
  releaseTensorMaps();
  driver->freeHostFlag(gate);
  gateTried = false;
  gateValue = 0;
  allocateDirectly();
  driverAllocations.clear();
  driverLive = driverPeak = 0;
  driver->destroyStream(mainStream);
  functions.clear();
  functionNames.clear();
  sharedLimit.clear();
  mainStream = nullptr;
  driver = nullptr;
}

bool GpuRuntime::record(const Status &status) {
  if (!status.ok() && firstError.empty())
    firstError = status.error;
  return status.ok();
}

// Compiled code keeps running after a failure; every operation is skipped
// once an error is recorded, so the first one is what the user sees.
#define AXON_RUNTIME_READY(fallback)                                           \
  do {                                                                         \
    if (!driver) {                                                             \
      record({"GPU runtime used before a device was attached"});              \
      return fallback;                                                         \
    }                                                                          \
    if (!firstError.empty())                                                   \
      return fallback;                                                         \
  } while (false)

void *GpuRuntime::loadModule(const void *data, size_t size, bool isText) {
  AXON_RUNTIME_READY(nullptr);
  // PTX must be NUL-terminated for the driver; binaries are used as given.
  std::string image = isText ? std::string(static_cast<const char *>(data))
                             : std::string(static_cast<const char *>(data), size);
  void *module = nullptr;
  auto start = std::chrono::steady_clock::now();
  record(driver->loadModule(image, module));
  loadMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
  return module;
}

void GpuRuntime::releaseConstants() {
  for (auto &entry : constants)
    driver->free(entry.second.first);
  constants.clear();
}

void GpuRuntime::unloadModule(void *module) {
  if (!driver || !module)
    return;
  // Host addresses of constants may be reused by the next compiled program.
  driver->synchronizeStream(mainStream);
  releaseConstants();
  releaseTensorMaps();
  for (auto it = functions.begin(); it != functions.end();)
    it = it->first.first == module ? functions.erase(it) : std::next(it);
  record(driver->unloadModule(module));
}

void *GpuRuntime::function(void *module, const char *name) {
  AXON_RUNTIME_READY(nullptr);
  auto key = std::make_pair(module, std::string(name));
  auto it = functions.find(key);
  if (it != functions.end())
    return it->second;
  void *fn = nullptr;
  if (!record(driver->getFunction(module, name, fn)))
    return nullptr;
  functions[key] = fn;
  functionNames[fn] = name;
  return fn;
}

void GpuRuntime::launch(void *fn, const unsigned grid[3], const unsigned block[3],
                        int sharedBytes, void **params) {
  AXON_RUNTIME_READY();
  if (!fn)
    return (void)record({"launch of a kernel that was not found"});
  constexpr int staticLimit = 48 * 1024;
  if (sharedBytes > staticLimit && sharedLimit[fn] < sharedBytes) {
    if (!record(driver->setDynamicSharedMemory(fn, sharedBytes)))
      return;
    sharedLimit[fn] = sharedBytes;
  }
  Launch timing{fn, nullptr, nullptr};
  bool gated = false;
  if (profiling) {
    timing.start = createEvent();
    timing.end = createEvent();
    if (!gateTried) {
      gateTried = true;
      if (!driver->allocHostFlag(gate).ok())
        gate = Driver::HostFlag(); // plain events, start stamped at enqueue
    }
    if (gate.host) {
      gated = driver->streamWaitAtLeast(mainStream, gate, ++gateValue).ok();
      if (!gated)
        driver->freeHostFlag(gate);
    }
    recordEvent(timing.start);
  }
  Status s = driver->launchAsync(fn, grid, block, sharedBytes, mainStream, params);
  if (!s.ok())
    s.error += " (kernel " + functionNames[fn] + ")";
  record(s);
  if (profiling) {
    recordEvent(timing.end);
    // Released whatever happened above: a held stream would never drain.
    if (gated)
      __atomic_store_n(const_cast<uint32_t *>(gate.host), gateValue, __ATOMIC_RELEASE);
    launches.push_back(timing);
  }
}

std::vector<GpuRuntime::KernelTime> GpuRuntime::kernelTimes() {
  std::vector<KernelTime> times;
  if (!driver)
    return times;
  record(driver->synchronizeStream(mainStream));
  for (const Launch &l : launches) {
    float ms = 0;
    record(driver->elapsedMs(l.start, l.end, ms));
    times.push_back({functionNames[l.function], ms});
    freeEvents.push_back(l.start);
    freeEvents.push_back(l.end);
  }
  launches.clear();
  return times;
}

void *GpuRuntime::alloc(uint64_t bytes) {
  AXON_RUNTIME_READY(nullptr);
  bytes = bytes ? bytes : 1;
  DevicePtr ptr = 0;
  if (allocMode == AllocMode::Planned && !missedPlan) {
    if (planNext < plan->numBuffers() && plan->size(planNext) == MemoryPlan::rounded(bytes))
      ptr = arena + plan->offset(planNext++);
    else
      missedPlan = true;
  }
  if (!ptr) {
    // Stream-ordered allocation: pooled by the driver, cheap to repeat.
    if (!record(driver->allocAsync(bytes, mainStream, ptr)))
      return nullptr;
    void *p = reinterpret_cast<void *>(ptr);
    driverAllocations[p] = bytes;
    driverLive += bytes;
    driverPeak = std::max(driverPeak, driverLive);
    if (allocMode == AllocMode::Record)
      recordedLive[p] = recording->recordAlloc(bytes);
  }
  if (poison && bytes >= 2)
    record(driver->fill16Async(ptr, 0xFFFF, bytes / 2, mainStream));
  return reinterpret_cast<void *>(ptr);
}

bool GpuRuntime::inArena(const void *ptr) const {
  DevicePtr p = devicePtr(ptr);
  return plan && arena && p >= arena && p < arena + plan->arenaBytes();
}

void GpuRuntime::free(void *ptr) {
  if (!driver || !ptr || inArena(ptr))
    return;
  auto live = recordedLive.find(ptr);
  if (live != recordedLive.end()) {
    recording->recordFree(live->second);
    recordedLive.erase(live);
  }
  auto owned = driverAllocations.find(ptr);
  if (owned != driverAllocations.end()) {
    driverLive -= owned->second;
    driverAllocations.erase(owned);
  }
  record(driver->freeAsync(devicePtr(ptr), mainStream));
}

void GpuRuntime::recordAllocations(MemoryPlan &p) {
  allocateDirectly();
  allocMode = AllocMode::Record;
  recording = &p;
}

void GpuRuntime::servePlan(const MemoryPlan &p, DevicePtr arenaBase) {
  allocateDirectly();
  allocMode = AllocMode::Planned;
  plan = &p;
  arena = arenaBase;
}

void GpuRuntime::allocateDirectly() {
  allocMode = AllocMode::Direct;
  recording = nullptr;
  recordedLive.clear();
  plan = nullptr;
  arena = 0;
  planNext = 0;
  missedPlan = false;
}

uint64_t GpuRuntime::constantBytes() const {
  uint64_t total = 0;
  for (const auto &entry : constants)
    total += entry.second.second;
  return total;
}

Status GpuRuntime::beginCapture() {
  if (!driver)
    return {"GPU runtime used before a device was attached"};
  Status s = driver->beginCapture(mainStream);
  inCapture = s.ok();
  return s;
}

Status GpuRuntime::endCapture(void *&graphExec) {
  inCapture = false;
  return driver->endCapture(mainStream, graphExec);
}

void GpuRuntime::copy(void *dst, const void *src, size_t bytes) {
  AXON_RUNTIME_READY();
  if (bytes)
    record(driver->copyAsync(devicePtr(dst), devicePtr(src), bytes, mainStream));
}

void GpuRuntime::fill32(void *dst, uint32_t value, size_t count) {
  AXON_RUNTIME_READY();
  record(driver->fill32Async(devicePtr(dst), value, count, mainStream));
}

void GpuRuntime::fill16(void *dst, uint16_t value, size_t count) {
  AXON_RUNTIME_READY();
  record(driver->fill16Async(devicePtr(dst), value, count, mainStream));
}

void GpuRuntime::synchronize() {
  AXON_RUNTIME_READY();
  // Under capture nothing runs yet: the graph's launch is waited for instead.
  if (inCapture)
    return;
  record(driver->synchronizeStream(mainStream));
}

void *GpuRuntime::deviceConstant(const void *host, size_t bytes) {
  AXON_RUNTIME_READY(nullptr);
  auto it = constants.find(host);
  if (it != constants.end() && it->second.second == bytes)
    return reinterpret_cast<void *>(it->second.first);
  DevicePtr ptr = 0;
  // A synchronous upload: done before any kernel on the stream can read it.
  if (!record(driver->alloc(bytes ? bytes : 1, ptr)) ||
      !record(driver->copyToDevice(ptr, host, bytes)))
    return nullptr;
  constants[host] = {ptr, bytes};
  return reinterpret_cast<void *>(ptr);
}

void *GpuRuntime::tensorMap(int64_t rank, const int64_t *descriptor, int64_t dataType,
                            int64_t interleave, int64_t swizzle, int64_t l2Promotion,
                            int64_t oobFill, const int64_t *boxDims) {
  AXON_RUNTIME_READY(nullptr);
  // Element sizes of CUtensorMapDataType, in enum order.
  static const int64_t elementBytes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  auto fail = [&](const std::string &why) -> void * {
    record({"TMA tensor map: " + why});
    return nullptr;
  };
  if (rank < 1 || rank > 5)
    return fail("rank " + std::to_string(rank) + " is outside 1..5");
  if (dataType < 0 || dataType >= int64_t(std::size(elementBytes)))
    return fail("unknown data type " + std::to_string(dataType));
  int64_t bytes = elementBytes[dataType];
  // A ranked memref descriptor: allocated, aligned, offset, sizes, strides.
  const int64_t *sizes = descriptor + 3, *strides = descriptor + 3 + rank;
  Driver::TensorMapRequest r;
  r.dataType = int(dataType);
  r.rank = uint32_t(rank);
  r.address = reinterpret_cast<char *>(descriptor[1]) + descriptor[2] * bytes;
  if (reinterpret_cast<uintptr_t>(r.address) % 16)
    return fail("the tensor's address is not 16-byte aligned");
  if (strides[rank - 1] != 1)
    return fail("the innermost dimension is not contiguous");
  for (int64_t d = 0; d < rank; ++d) {
    int64_t inner = rank - 1 - d; // the driver lists the innermost first
    if (sizes[inner] < 1)
      return fail("dimension " + std::to_string(inner) + " is empty");
    if (boxDims[inner] < 1 || boxDims[inner] > 256)
      return fail("box dimension " + std::to_string(boxDims[inner]) + " is outside 1..256");
    r.dims[d] = uint64_t(sizes[inner]);
    r.box[d] = uint32_t(boxDims[inner]);
    if (d + 1 < rank) {
      int64_t stride = strides[inner - 1] * bytes;
      if (stride % 16)
        return fail("a row stride of " + std::to_string(stride) +
                    " bytes is not a multiple of 16");
      r.strides[d] = uint64_t(stride);
    }
  }
  r.interleave = int(interleave);
  r.swizzle = int(swizzle);
  r.l2Promotion = int(l2Promotion);
  r.oobFill = int(oobFill);

  // Kernels read the map from device memory; identical requests share one.
  std::vector<int64_t> key = {dataType, rank, int64_t(reinterpret_cast<uintptr_t>(r.address)),
                              interleave, swizzle, l2Promotion, oobFill};
  for (int64_t d = 0; d < rank; ++d)
    key.insert(key.end(), {sizes[d], strides[d], boxDims[d]});
  auto it = tensorMaps.find(key);
  if (it != tensorMaps.end())
    return reinterpret_cast<void *>(it->second);
  Driver::TensorMap map;
  DevicePtr device = 0;
  if (!record(driver->encodeTensorMap(map, r)) ||
      !record(driver->alloc(sizeof(map), device)) ||
      !record(driver->copyToDevice(device, &map, sizeof(map))))
    return nullptr;
  tensorMaps[key] = device;
  return reinterpret_cast<void *>(device);
}

void GpuRuntime::releaseTensorMaps() {
  for (auto &entry : tensorMaps)
    driver->free(entry.second);
  tensorMaps.clear();
}

bool GpuRuntime::isConstant(const void *device) const {
  for (const auto &entry : constants)
    if (reinterpret_cast<const void *>(entry.second.first) == device)
      return true;
  return false;
}

void *GpuRuntime::createEvent() {
  AXON_RUNTIME_READY(nullptr);
  if (!freeEvents.empty()) {
    void *e = freeEvents.back();
    freeEvents.pop_back();
    return e;
  }
  void *event = nullptr;
  record(driver->createEvent(event));
  return event;
}

void GpuRuntime::destroyEvent(void *event) {
  if (event)
    freeEvents.push_back(event);
}

void GpuRuntime::recordEvent(void *event) {
  AXON_RUNTIME_READY();
  record(driver->recordEvent(event, mainStream));
}

void GpuRuntime::synchronizeEvent(void *event) {
  AXON_RUNTIME_READY();
  if (inCapture)
    return;
  record(driver->synchronizeEvent(event));
}

#undef AXON_RUNTIME_READY

//===----------------------------------------------------------------------===//
// The ABI. Signatures follow the calls MLIR 22's gpu-to-llvm emits. All work
// goes to the runtime's one stream: the "streams" the host code creates and
// destroys around each region are that stream, so nothing is created per call.
//===----------------------------------------------------------------------===//

namespace {
GpuRuntime &rt() { return GpuRuntime::get(); }

void *mgpuModuleLoad(void *data, size_t size) {
  return rt().loadModule(data, size, /*isText=*/false);
}
void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return rt().loadModule(data, 0, /*isText=*/true);
}
void mgpuModuleUnload(void *module) { rt().unloadModule(module); }
void *mgpuModuleGetFunction(void *module, const char *name) {
  return rt().function(module, name);
}
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void * /*stream*/,
                      void **params, void ** /*extra*/, size_t /*paramsCount*/) {
  // A kernel over a zero-sized tensor has no work; the driver would reject
  // its empty grid (CUDA_ERROR_INVALID_VALUE).
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || blockX <= 0 || blockY <= 0 || blockZ <= 0)
    return;
  unsigned grid[3] = {unsigned(gridX), unsigned(gridY), unsigned(gridZ)};
  unsigned block[3] = {unsigned(blockX), unsigned(blockY), unsigned(blockZ)};
  rt().launch(function, grid, block, smem, params);
}
void *mgpuStreamCreate() { return rt().stream(); }
void mgpuStreamDestroy(void *) {}
void mgpuStreamSynchronize(void *) { rt().synchronize(); }
// One stream: everything is already ordered.
void mgpuStreamWaitEvent(void *, void *) {}
void *mgpuEventCreate() { return rt().createEvent(); }
void mgpuEventDestroy(void *event) { rt().destroyEvent(event); }
void mgpuEventSynchronize(void *event) { rt().synchronizeEvent(event); }
void mgpuEventRecord(void *event, void *) { rt().recordEvent(event); }
void *mgpuMemAlloc(uint64_t bytes, void *, bool isHostShared) {
  if (isHostShared) {
    rt().record({"host-shared GPU allocations are not supported"});
    return nullptr;
  }
  return rt().alloc(bytes);
}
void mgpuMemFree(void *ptr, void *) { rt().free(ptr); }
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *) {
  rt().copy(dst, src, bytes);
}
void mgpuMemset32(void *dst, uint32_t value, size_t count, void *) {
  rt().fill32(dst, value, count);
}
void mgpuMemset16(void *dst, uint16_t value, size_t count, void *) {
  rt().fill16(dst, value, count);
}
void mgpuSetDefaultDevice(int32_t) {}
void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor, int64_t dataType,
                                     int64_t interleave, int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxDims) {
  return rt().tensorMap(rank, static_cast<const int64_t *>(descriptor), dataType, interleave,
                        swizzle, l2Promotion, oobFill, boxDims);
}

/// (result, source) are memref descriptors of rank `rank`: allocated and
/// aligned pointers, offset, sizes, strides. Constants have offset 0.
void axonDeviceConstant(int64_t *result, const int64_t *source, int64_t bytes,
                        int64_t rank) {
  std::memcpy(result, source, sizeof(int64_t) * (3 + 2 * rank));
  void *device = rt().deviceConstant(reinterpret_cast<const void *>(source[1]), bytes);
  result[0] = result[1] = reinterpret_cast<int64_t>(device);
  result[2] = 0;
}
} // namespace

void *deviceConstantEntryPoint() { return reinterpret_cast<void *>(&axonDeviceConstant); }

const std::vector<RuntimeSymbol> &gpuRuntimeSymbols() {
#define AXON_SYMBOL(fn) {#fn, reinterpret_cast<void *>(&fn)}
  static const std::vector<RuntimeSymbol> symbols = {
      AXON_SYMBOL(mgpuModuleLoad),      AXON_SYMBOL(mgpuModuleLoadJIT),
      AXON_SYMBOL(mgpuModuleUnload),    AXON_SYMBOL(mgpuModuleGetFunction),
      AXON_SYMBOL(mgpuLaunchKernel),    AXON_SYMBOL(mgpuStreamCreate),
      AXON_SYMBOL(mgpuStreamDestroy),   AXON_SYMBOL(mgpuStreamSynchronize),
      AXON_SYMBOL(mgpuStreamWaitEvent), AXON_SYMBOL(mgpuEventCreate),
      AXON_SYMBOL(mgpuEventDestroy),    AXON_SYMBOL(mgpuEventSynchronize),
      AXON_SYMBOL(mgpuEventRecord),     AXON_SYMBOL(mgpuMemAlloc),
      AXON_SYMBOL(mgpuMemFree),         AXON_SYMBOL(mgpuMemcpy),
      AXON_SYMBOL(mgpuMemset32),        AXON_SYMBOL(mgpuMemset16),
      AXON_SYMBOL(mgpuSetDefaultDevice), AXON_SYMBOL(mgpuTensorMapEncodeTiledMemref),
  };
#undef AXON_SYMBOL
  return symbols;
}

} // namespace axon::cuda
