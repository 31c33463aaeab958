//===- CudaDriver.cpp - Axon's own layer over the CUDA driver API ---------===//

#include "axon/Runtime/CudaDriver.h"

#include <dlfcn.h>

namespace axon::cuda {

// The few driver types and signatures we need, declared here so that no CUDA
// header is required to build Axon.
using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;

struct Driver::Api {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuMemAlloc)(DevicePtr *, size_t);
  CUresult (*cuMemFree)(DevicePtr);
  CUresult (*cuMemcpyHtoD)(DevicePtr, const void *, size_t);
  CUresult (*cuMemcpyDtoH)(void *, DevicePtr, size_t);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **, void **);
  CUresult (*cuFuncSetAttribute)(CUfunction, int, int);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*cuMemAllocAsync)(DevicePtr *, size_t, CUstream);
  CUresult (*cuMemFreeAsync)(DevicePtr, CUstream);
  CUresult (*cuMemcpyAsync)(DevicePtr, DevicePtr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(DevicePtr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(DevicePtr, unsigned short, size_t, CUstream);
  // Optional (profiling's launch gate); null when the driver lacks them.
  CUresult (*cuMemHostAlloc)(void **, size_t, unsigned) = nullptr;
  CUresult (*cuMemHostGetDevicePointer)(DevicePtr *, void *, unsigned) = nullptr;
  CUresult (*cuMemFreeHost)(void *) = nullptr;
  CUresult (*cuStreamWaitValue32)(CUstream, DevicePtr, uint32_t, unsigned) = nullptr;
  // Optional (CUDA graphs): the stream's launches captured and replayed.
  CUresult (*cuStreamBeginCapture)(CUstream, int) = nullptr;
  CUresult (*cuStreamEndCapture)(CUstream, void **) = nullptr;
  CUresult (*cuGraphInstantiateWithFlags)(void **, void *, unsigned long long) = nullptr;
  CUresult (*cuGraphLaunch)(void *, CUstream) = nullptr;
  CUresult (*cuGraphExecDestroy)(void *) = nullptr;
  CUresult (*cuGraphDestroy)(void *) = nullptr;
  // Optional (TMA tensor maps, CUDA 12+).
  CUresult (*cuTensorMapEncodeTiled)(void *, int, uint32_t, void *, const uint64_t *,
                                     const uint64_t *, const uint32_t *, const uint32_t *,
                                     int, int, int, int) = nullptr;
};

std::unique_ptr<Driver> Driver::load(Status &status, const std::string &path) {
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *why = dlerror();
    status.error = "no CUDA driver: cannot load " + path + " (" +
                   (why ? why : "unknown error") + ")";
    return nullptr;
  }
  std::unique_ptr<Driver> driver(new Driver());
  driver->library = library;
  driver->api = std::make_unique<Api>();
  Api &a = *driver->api;
  // Versioned names are the ones the driver exports for the current ABI.
  struct Symbol {
    const char *name;
    void **slot;
  } symbols[] = {
      {"cuInit", reinterpret_cast<void **>(&a.cuInit)},
      {"cuGetErrorName", reinterpret_cast<void **>(&a.cuGetErrorName)},
      {"cuGetErrorString", reinterpret_cast<void **>(&a.cuGetErrorString)},
      {"cuDeviceGetCount", reinterpret_cast<void **>(&a.cuDeviceGetCount)},
      {"cuDeviceGet", reinterpret_cast<void **>(&a.cuDeviceGet)},
      {"cuDeviceGetName", reinterpret_cast<void **>(&a.cuDeviceGetName)},
      {"cuDevicePrimaryCtxRetain", reinterpret_cast<void **>(&a.cuDevicePrimaryCtxRetain)},
      {"cuDevicePrimaryCtxRelease_v2", reinterpret_cast<void **>(&a.cuDevicePrimaryCtxRelease)},
      {"cuCtxSetCurrent", reinterpret_cast<void **>(&a.cuCtxSetCurrent)},
      {"cuCtxSynchronize", reinterpret_cast<void **>(&a.cuCtxSynchronize)},
      {"cuModuleLoadData", reinterpret_cast<void **>(&a.cuModuleLoadData)},
      {"cuModuleGetFunction", reinterpret_cast<void **>(&a.cuModuleGetFunction)},
      {"cuModuleUnload", reinterpret_cast<void **>(&a.cuModuleUnload)},
      {"cuMemAlloc_v2", reinterpret_cast<void **>(&a.cuMemAlloc)},
      {"cuMemFree_v2", reinterpret_cast<void **>(&a.cuMemFree)},
      {"cuMemcpyHtoD_v2", reinterpret_cast<void **>(&a.cuMemcpyHtoD)},
      {"cuMemcpyDtoH_v2", reinterpret_cast<void **>(&a.cuMemcpyDtoH)},
      {"cuLaunchKernel", reinterpret_cast<void **>(&a.cuLaunchKernel)},
      {"cuFuncSetAttribute", reinterpret_cast<void **>(&a.cuFuncSetAttribute)},
      {"cuStreamCreate", reinterpret_cast<void **>(&a.cuStreamCreate)},
      {"cuStreamDestroy_v2", reinterpret_cast<void **>(&a.cuStreamDestroy)},
      {"cuStreamSynchronize", reinterpret_cast<void **>(&a.cuStreamSynchronize)},
      {"cuStreamWaitEvent", reinterpret_cast<void **>(&a.cuStreamWaitEvent)},
      {"cuEventCreate", reinterpret_cast<void **>(&a.cuEventCreate)},
      {"cuEventDestroy_v2", reinterpret_cast<void **>(&a.cuEventDestroy)},
      {"cuEventRecord", reinterpret_cast<void **>(&a.cuEventRecord)},
      {"cuEventSynchronize", reinterpret_cast<void **>(&a.cuEventSynchronize)},
      {"cuEventElapsedTime", reinterpret_cast<void **>(&a.cuEventElapsedTime)},
      {"cuMemAllocAsync", reinterpret_cast<void **>(&a.cuMemAllocAsync)},
      {"cuMemFreeAsync", reinterpret_cast<void **>(&a.cuMemFreeAsync)},
      {"cuMemcpyAsync", reinterpret_cast<void **>(&a.cuMemcpyAsync)},
      {"cuMemsetD32Async", reinterpret_cast<void **>(&a.cuMemsetD32Async)},
      {"cuMemsetD16Async", reinterpret_cast<void **>(&a.cuMemsetD16Async)},
  };
  for (const Symbol &s : symbols) {
    *s.slot = dlsym(library, s.name);
    if (!*s.slot) {
      status.error = "the CUDA driver " + path + " lacks " + s.name;
      return nullptr;
    }
  }
  struct Optional {
    const char *name;
    void **slot;
  } optional[] = {
      {"cuMemHostAlloc", reinterpret_cast<void **>(&a.cuMemHostAlloc)},
      {"cuMemHostGetDevicePointer_v2", reinterpret_cast<void **>(&a.cuMemHostGetDevicePointer)},
      {"cuMemFreeHost", reinterpret_cast<void **>(&a.cuMemFreeHost)},
      {"cuStreamWaitValue32_v2", reinterpret_cast<void **>(&a.cuStreamWaitValue32)},
      {"cuTensorMapEncodeTiled", reinterpret_cast<void **>(&a.cuTensorMapEncodeTiled)},
      {"cuStreamBeginCapture_v2", reinterpret_cast<void **>(&a.cuStreamBeginCapture)},
      {"cuStreamEndCapture", reinterpret_cast<void **>(&a.cuStreamEndCapture)},
      {"cuGraphInstantiateWithFlags", reinterpret_cast<void **>(&a.cuGraphInstantiateWithFlags)},
      {"cuGraphLaunch", reinterpret_cast<void **>(&a.cuGraphLaunch)},
      {"cuGraphExecDestroy", reinterpret_cast<void **>(&a.cuGraphExecDestroy)},
      {"cuGraphDestroy", reinterpret_cast<void **>(&a.cuGraphDestroy)},
  };
  for (const Optional &o : optional)
    *o.slot = dlsym(library, o.name);
  status = driver->check("cuInit", a.cuInit(0));
  if (!status.ok())
    return nullptr;
  return driver;
}

Driver::~Driver() {
  if (api && context)
    api->cuDevicePrimaryCtxRelease(contextDevice);
  if (library)
    dlclose(library);
}

std::string Driver::describe(const char *call, int result) {
  const char *name = nullptr, *text = nullptr;
  if (api->cuGetErrorName(result, &name) != 0)
    name = nullptr;
  if (api->cuGetErrorString(result, &text) != 0)
    text = nullptr;
  return std::string(call) + " failed: " + (name ? name : "CUDA error " + std::to_string(result)) +
         (text ? std::string(" (") + text + ")" : "");
}

Status Driver::check(const char *call, int result) {
  if (result == 0)
    return Status::success();
  return {describe(call, result)};
}

int Driver::deviceCount(Status &status) {
  int count = 0;
  status = check("cuDeviceGetCount", api->cuDeviceGetCount(&count));
  return count;
}

std::string Driver::deviceName(int device, Status &status) {
  CUdevice dev;
  char name[256] = {0};
  status = check("cuDeviceGet", api->cuDeviceGet(&dev, device));
  if (status.ok())
    status = check("cuDeviceGetName", api->cuDeviceGetName(name, sizeof(name), dev));
  return name;
}

Status Driver::useDevice(int device) {
  CUdevice dev;
  Status s = check("cuDeviceGet", api->cuDeviceGet(&dev, device));
  if (!s.ok())
    return s;
  s = check("cuDevicePrimaryCtxRetain", api->cuDevicePrimaryCtxRetain(&context, dev));
  if (!s.ok())
    return s;
  contextDevice = dev;
  return check("cuCtxSetCurrent", api->cuCtxSetCurrent(context));
}

Status Driver::loadModule(const std::string &image, void *&module) {
  return check("cuModuleLoadData", api->cuModuleLoadData(&module, image.c_str()));
}

Status Driver::getFunction(void *module, const std::string &name, void *&function) {
  return check("cuModuleGetFunction",
               api->cuModuleGetFunction(&function, module, name.c_str()));
}

Status Driver::unloadModule(void *module) {
  return check("cuModuleUnload", api->cuModuleUnload(module));
}

Status Driver::alloc(size_t bytes, DevicePtr &ptr) {
  return check("cuMemAlloc", api->cuMemAlloc(&ptr, bytes));
}

Status Driver::free(DevicePtr ptr) { return check("cuMemFree", api->cuMemFree(ptr)); }

Status Driver::copyToDevice(DevicePtr dst, const void *src, size_t bytes) {
  return check("cuMemcpyHtoD", api->cuMemcpyHtoD(dst, src, bytes));
}

Status Driver::encodeTensorMap(TensorMap &map, const TensorMapRequest &r) {
  if (!api->cuTensorMapEncodeTiled)
    return {"the CUDA driver lacks cuTensorMapEncodeTiled (TMA needs CUDA 12 or newer)"};
  uint32_t elementStrides[5] = {1, 1, 1, 1, 1};
  return check("cuTensorMapEncodeTiled",
               api->cuTensorMapEncodeTiled(map.bytes, r.dataType, r.rank, r.address, r.dims,
                                           r.strides, r.box, elementStrides, r.interleave,
                                           r.swizzle, r.l2Promotion, r.oobFill));
}

Status Driver::copyToHost(void *dst, DevicePtr src, size_t bytes) {
  return check("cuMemcpyDtoH", api->cuMemcpyDtoH(dst, src, bytes));
}

Status Driver::launch(void *function, const unsigned grid[3], const unsigned block[3],
                      unsigned sharedBytes, std::vector<void *> &params) {
  Status s = check("cuLaunchKernel",
                   api->cuLaunchKernel(function, grid[0], grid[1], grid[2], block[0],
                                       block[1], block[2], sharedBytes, nullptr,
                                       params.data(), nullptr));
  if (!s.ok())
    return s;
  return check("cuCtxSynchronize", api->cuCtxSynchronize());
}

Status Driver::launchAsync(void *function, const unsigned grid[3],
                           const unsigned block[3], unsigned sharedBytes,
                           void *stream, void **params) {
  return check("cuLaunchKernel",
               api->cuLaunchKernel(function, grid[0], grid[1], grid[2], block[0],
                                   block[1], block[2], sharedBytes, stream, params,
                                   nullptr));
}

Status Driver::setDynamicSharedMemory(void *function, int bytes) {
  // 8 is CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES.
  return check("cuFuncSetAttribute", api->cuFuncSetAttribute(function, 8, bytes));
}

Status Driver::createStream(void *&stream) {
  // 1 is CU_STREAM_NON_BLOCKING: no implicit ordering with the legacy stream.
  return check("cuStreamCreate", api->cuStreamCreate(&stream, 1));
}
Status Driver::destroyStream(void *stream) {
  return check("cuStreamDestroy", api->cuStreamDestroy(stream));
}
Status Driver::synchronizeStream(void *stream) {
  return check("cuStreamSynchronize", api->cuStreamSynchronize(stream));
}
Status Driver::streamWaitEvent(void *stream, void *event) {
  return check("cuStreamWaitEvent", api->cuStreamWaitEvent(stream, event, 0));
}
Status Driver::createEvent(void *&event) {
  return check("cuEventCreate", api->cuEventCreate(&event, 0));
}
Status Driver::destroyEvent(void *event) {
  return check("cuEventDestroy", api->cuEventDestroy(event));
}
Status Driver::recordEvent(void *event, void *stream) {
  return check("cuEventRecord", api->cuEventRecord(event, stream));
}
Status Driver::synchronizeEvent(void *event) {
  return check("cuEventSynchronize", api->cuEventSynchronize(event));
}
Status Driver::elapsedMs(void *start, void *end, float &ms) {
  return check("cuEventElapsedTime", api->cuEventElapsedTime(&ms, start, end));
}
Status Driver::allocHostFlag(HostFlag &flag) {
  if (!api->cuMemHostAlloc || !api->cuMemHostGetDevicePointer || !api->cuMemFreeHost ||
      !api->cuStreamWaitValue32)
    return {"the CUDA driver lacks stream memory operations"};
  void *host = nullptr;
  // 0x2 is CU_MEMHOSTALLOC_DEVICEMAP.
  Status s = check("cuMemHostAlloc", api->cuMemHostAlloc(&host, sizeof(uint32_t), 0x2));
  if (!s.ok())
    return s;
  *static_cast<volatile uint32_t *>(host) = 0;
  s = check("cuMemHostGetDevicePointer",
            api->cuMemHostGetDevicePointer(&flag.device, host, 0));
  if (!s.ok()) {
    api->cuMemFreeHost(host);
    return s;
  }
  flag.host = static_cast<volatile uint32_t *>(host);
  return s;
}

void Driver::freeHostFlag(HostFlag &flag) {
  if (flag.host)
    api->cuMemFreeHost(const_cast<uint32_t *>(flag.host));
  flag = HostFlag();
}

Status Driver::streamWaitAtLeast(void *stream, const HostFlag &flag, uint32_t value) {
  // 0x0 is CU_STREAM_WAIT_VALUE_GEQ.
  return check("cuStreamWaitValue32",
               api->cuStreamWaitValue32(stream, flag.device, value, 0x0));
}

Status Driver::allocAsync(size_t bytes, void *stream, DevicePtr &ptr) {
  return check("cuMemAllocAsync", api->cuMemAllocAsync(&ptr, bytes, stream));
}
Status Driver::freeAsync(DevicePtr ptr, void *stream) {
  return check("cuMemFreeAsync", api->cuMemFreeAsync(ptr, stream));
}
Status Driver::copyAsync(DevicePtr dst, DevicePtr src, size_t bytes, void *stream) {
  return check("cuMemcpyAsync", api->cuMemcpyAsync(dst, src, bytes, stream));
}
Status Driver::fill32Async(DevicePtr dst, uint32_t value, size_t count, void *stream) {
  return check("cuMemsetD32Async", api->cuMemsetD32Async(dst, value, count, stream));
}
Status Driver::fill16Async(DevicePtr dst, uint16_t value, size_t count, void *stream) {
  return check("cuMemsetD16Async", api->cuMemsetD16Async(dst, value, count, stream));
}

bool Driver::hasGraphs() const {
  return api->cuStreamBeginCapture && api->cuStreamEndCapture &&
         api->cuGraphInstantiateWithFlags && api->cuGraphLaunch && api->cuGraphExecDestroy &&
         api->cuGraphDestroy;
}
Status Driver::beginCapture(void *stream) {
  if (!hasGraphs())
    return {"the CUDA driver has no graph capture (cuStreamBeginCapture)"};
  // 2 is CU_STREAM_CAPTURE_MODE_RELAXED: other threads' driver calls (and
  // this thread's cached lookups) stay legal while the stream is captured.
  return check("cuStreamBeginCapture", api->cuStreamBeginCapture(stream, 2));
}
Status Driver::endCapture(void *stream, void *&graphExec) {
  void *graph = nullptr;
  graphExec = nullptr;
  Status s = check("cuStreamEndCapture", api->cuStreamEndCapture(stream, &graph));
  if (s.ok())
    s = check("cuGraphInstantiate", api->cuGraphInstantiateWithFlags(&graphExec, graph, 0));
  if (graph)
    api->cuGraphDestroy(graph);
  return s;
}
Status Driver::launchGraph(void *graphExec, void *stream) {
  return check("cuGraphLaunch", api->cuGraphLaunch(graphExec, stream));
}
void Driver::destroyGraph(void *graphExec) {
  if (graphExec && api->cuGraphExecDestroy)
    api->cuGraphExecDestroy(graphExec);
}

void KernelArgs::addMemRef(DevicePtr ptr, const std::vector<int64_t> &sizes) {
  add(ptr);
  add(ptr);
  add(int64_t(0));
  for (int64_t size : sizes)
    add(size);
  std::vector<int64_t> strides(sizes.size(), 1);
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * sizes[d + 1];
  for (int64_t stride : strides)
    add(stride);
}

std::vector<void *> KernelArgs::pointers() {
  std::vector<void *> result;
  for (std::vector<char> &value : storage)
    result.push_back(value.data());
  return result;
}

} // namespace axon::cuda
