//===- CudaDriver.h - Axon's own layer over the CUDA driver API -*- C++ -*-===//
//
// libcuda.so.1 is loaded with dlopen, so Axon builds and runs its CPU path on
// machines without a driver, and a missing driver is a clear error rather
// than a loader failure. Every failing driver call is reported with the
// call's name and cuGetErrorString. No dependency on CUDA headers or on LLVM:
// the layer is small enough to ship on its own.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNTIME_CUDADRIVER_H
#define AXON_RUNTIME_CUDADRIVER_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace axon::cuda {

using DevicePtr = uint64_t;

/// The outcome of a driver operation: empty on success, else the message.
struct Status {
  std::string error;
  bool ok() const { return error.empty(); }
  static Status success() { return {}; }
};

/// The driver entry points Axon uses, resolved from libcuda.so.1.
class Driver {
public:
  /// Loads the driver library (`path`, default "libcuda.so.1") and calls
  /// cuInit. Returns null and sets `status` when there is none.
  static std::unique_ptr<Driver> load(Status &status,
                                      const std::string &path = "libcuda.so.1");
  ~Driver();

  int deviceCount(Status &status);
  std::string deviceName(int device, Status &status);

  /// A context on `device` (its primary context) made current.
  Status useDevice(int device);

  /// Loads a module from PTX (NUL-terminated) or cubin bytes.
  Status loadModule(const std::string &image, void *&module);
  Status getFunction(void *module, const std::string &name, void *&function);
  Status unloadModule(void *module);

  Status alloc(size_t bytes, DevicePtr &ptr);
  Status free(DevicePtr ptr);
  Status copyToDevice(DevicePtr dst, const void *src, size_t bytes);
  Status copyToHost(void *dst, DevicePtr src, size_t bytes);

  /// A TMA descriptor (CUtensorMap): 128 opaque bytes.
  struct alignas(64) TensorMap {
    unsigned char bytes[128];
  };
  /// The arguments of cuTensorMapEncodeTiled, innermost dimension first;
  /// `strides` has rank - 1 entries, in bytes.
  struct TensorMapRequest {
    int dataType = 0;
    uint32_t rank = 0;
    void *address = nullptr;
    uint64_t dims[5] = {1, 1, 1, 1, 1};
    uint64_t strides[4] = {0, 0, 0, 0};
    uint32_t box[5] = {1, 1, 1, 1, 1};
    int interleave = 0, swizzle = 0, l2Promotion = 0, oobFill = 0;
  };
  Status encodeTensorMap(TensorMap &map, const TensorMapRequest &request);

  /// Launches `function` on a grid with `params` (pointers to each argument
  /// value), on the default stream, and waits for it.
  Status launch(void *function, const unsigned grid[3], const unsigned block[3],
                unsigned sharedBytes, std::vector<void *> &params);

  /// Stream-ordered work (the form Axon's compiled host code uses).
  Status launchAsync(void *function, const unsigned grid[3], const unsigned block[3],
                     unsigned sharedBytes, void *stream, void **params);
  /// Allows `bytes` of dynamic shared memory (needed above 48 KB).
  Status setDynamicSharedMemory(void *function, int bytes);
  Status createStream(void *&stream);
  Status destroyStream(void *stream);
  Status synchronizeStream(void *stream);
  Status streamWaitEvent(void *stream, void *event);
  Status createEvent(void *&event);
  Status destroyEvent(void *event);
  Status recordEvent(void *event, void *stream);
  Status synchronizeEvent(void *event);
  Status elapsedMs(void *start, void *end, float &ms);
  Status allocAsync(size_t bytes, void *stream, DevicePtr &ptr);
  Status freeAsync(DevicePtr ptr, void *stream);
  /// Any direction: host and device pointers share one address space (UVA).
  Status copyAsync(DevicePtr dst, DevicePtr src, size_t bytes, void *stream);
  Status fill32Async(DevicePtr dst, uint32_t value, size_t count, void *stream);
  Status fill16Async(DevicePtr dst, uint16_t value, size_t count, void *stream);

  /// CUDA graphs (optional in the driver; hasGraphs says whether present).
  bool hasGraphs() const;
  /// Starts capturing the work enqueued on `stream` instead of running it.
  Status beginCapture(void *stream);
  /// Ends the capture and instantiates the graph (null on failure, e.g. when
  /// something in the capture was not capturable).
  Status endCapture(void *stream, void *&graphExec);
  Status launchGraph(void *graphExec, void *stream);
  void destroyGraph(void *graphExec);

  /// A word of pinned host memory the GPU can read: a stream can wait until
  /// the host writes a value into it.
  struct HostFlag {
    volatile uint32_t *host = nullptr;
    DevicePtr device = 0;
  };
  /// Fails where the driver lacks stream memory operations.
  Status allocHostFlag(HostFlag &flag);
  void freeHostFlag(HostFlag &flag);
  /// Holds `stream` until `flag` >= `value`.
  Status streamWaitAtLeast(void *stream, const HostFlag &flag, uint32_t value);

  /// Formats a failing result of `call` ("cuMemAlloc failed: CUDA_ERROR_... (text)").
  std::string describe(const char *call, int result);

private:
  Driver() = default;
  Status check(const char *call, int result);

  struct Api;
  std::unique_ptr<Api> api;
  void *library = nullptr;
  void *context = nullptr;
  int contextDevice = -1;
};

/// Packs kernel arguments the way the driver expects them: one pointer per
/// argument value. Values are copied into owned storage so callers may pass
/// temporaries.
class KernelArgs {
public:
  template <typename T> void add(T value) {
    storage.emplace_back(sizeof(T));
    std::memcpy(storage.back().data(), &value, sizeof(T));
  }
  /// Appends a strided memref descriptor: allocated and aligned pointers,
  /// offset, sizes, strides (the form MLIR's GPU lowering passes).
  void addMemRef(DevicePtr ptr, const std::vector<int64_t> &sizes);
  std::vector<void *> pointers();
  size_t size() const { return storage.size(); }

private:
  std::vector<std::vector<char>> storage;
};

} // namespace axon::cuda

#endif // AXON_RUNTIME_CUDADRIVER_H
