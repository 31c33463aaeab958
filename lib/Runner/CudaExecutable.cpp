//===- CudaExecutable.cpp - Entry points that launch GPU kernels ----------===//

#include "axon/Runner/CudaExecutable.h"
#include "ExternalConstants.h"
#include "HostRuntime.h"
#include "JitEngine.h"
#include "axon/Runner/MemRefABI.h"
#include "axon/Runtime/GpuRuntime.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include "llvm/ADT/ScopeExit.h"

#include <chrono>
#include <set>

using namespace mlir;

namespace axon {

static llvm::Error cudaError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

namespace {
/// The process's driver and device, opened on first use and kept: the JIT'd
/// code's module destructors run at exit and need the context alive.
struct CudaDevice {
  std::unique_ptr<cuda::Driver> driver;
  std::string name, error;
};

CudaDevice &device() {
  static CudaDevice *dev = [] {
    auto *d = new CudaDevice();
    cuda::Status status;
    d->driver = cuda::Driver::load(status);
    if (!d->driver) {
      d->error = status.error;
      return d;
    }
    int count = d->driver->deviceCount(status);
    if (!status.ok() || count == 0) {
      d->error = status.ok() ? "the CUDA driver reports no GPU" : status.error;
      d->driver.reset();
      return d;
    }
    d->name = d->driver->deviceName(0, status);
    if (status.ok())
      status = d->driver->useDevice(0);
    if (status.ok())
      status = cuda::GpuRuntime::get().attach(*d->driver);
    if (!status.ok()) {
      d->error = status.error;
      d->driver.reset();
    }
    return d;
  }();
  return *dev;
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                   start)
      .count();
}
} // namespace

llvm::Error openCudaDevice(std::string &deviceName) {
  CudaDevice &d = device();
  if (!d.driver)
    return cudaError(d.error);
  deviceName = d.name;
  return llvm::Error::success();
}

bool cudaDeviceAvailable() { return device().driver != nullptr; }

CudaExecutable::CudaExecutable(std::unique_ptr<ExternalConstants> constants,
                               std::unique_ptr<ExecutionEngine> engine, EntrySignature sig)
    : constants(std::move(constants)), engine(std::move(engine)), sig(std::move(sig)) {}

CudaExecutable::~CudaExecutable() = default;

void CudaExecutable::poisonAllocations(bool on) { cuda::GpuRuntime::get().setPoison(on); }

/// The runtime's first error, cleared for the next call.
static llvm::Error takeRuntimeError(const llvm::Twine &context) {
  cuda::GpuRuntime &rt = cuda::GpuRuntime::get();
  if (rt.error().empty())
    return llvm::Error::success();
  std::string message = rt.error();
  rt.clearError();
  return cudaError(context + ": " + message);
}

llvm::Expected<std::unique_ptr<CudaExecutable>>
CudaExecutable::create(ModuleOp module, EntrySignature signature, unsigned optLevel,
                       LoadTimes *times) {
  std::string name;
  if (llvm::Error err = openCudaDevice(name))
    return std::move(err);
  std::vector<cuda::RuntimeSymbol> symbols = cuda::gpuRuntimeSymbols();
  // One device-constant function per memref type, all served by one entry.
  module.walk([&](LLVM::LLVMFuncOp fn) {
    if (fn.isExternal() && fn.getSymName().starts_with(cuda::kDeviceConstantSymbolPrefix))
      symbols.push_back({fn.getSymName().data(), cuda::deviceConstantEntryPoint()});
  });
  auto start = std::chrono::steady_clock::now();
  double loadedBefore = cuda::GpuRuntime::get().moduleLoadMs();
  auto constants = std::make_unique<ExternalConstants>(externalizeConstants(module));
  if (times) {
    times->externalConstants = constants->symbols.size();
    times->externalConstantBytes = constants->bytes;
  }
  symbols.insert(symbols.end(), constants->symbols.begin(), constants->symbols.end());
  auto engine = createJitEngine(module, optLevel, symbols);
  if (!engine)
    return engine.takeError();
  // Materializes the host code and runs its constructors, which load the
  // kernel modules on the device.
  (*engine)->initialize();
  if (times) {
    times->moduleLoadMs = cuda::GpuRuntime::get().moduleLoadMs() - loadedBefore;
    times->jitMs = msSince(start) - times->moduleLoadMs;
  }
  if (llvm::Error err = takeRuntimeError("loading the kernels"))
    return std::move(err);
  return std::unique_ptr<CudaExecutable>(
      new CudaExecutable(std::move(constants), std::move(*engine), std::move(signature)));
}

llvm::Expected<SmallVector<HostTensor>>
CudaExecutable::run(llvm::ArrayRef<HostTensor> inputs, GpuRunTimes *times) {
  cuda::Driver &driver = *device().driver;
  cuda::GpuRuntime &rt = cuda::GpuRuntime::get();
  GpuRunTimes local;
  GpuRunTimes &t = times ? *times : local;

  // Inputs: one device buffer each, freed when this call returns.
  auto start = std::chrono::steady_clock::now();
  std::vector<cuda::DevicePtr> inputBuffers;
  auto releaseInputs = llvm::make_scope_exit([&] {
    for (cuda::DevicePtr p : inputBuffers)
      driver.free(p);
  });
  SmallVector<int64_t> argWords;
  for (const HostTensor &input : inputs) {
    cuda::DevicePtr ptr = 0;
    cuda::Status s = driver.alloc(std::max<size_t>(input.data.size(), 1), ptr);
    if (s.ok()) {
      inputBuffers.push_back(ptr);
      s = driver.copyToDevice(ptr, input.data.data(), input.data.size());
    }
    if (!s.ok())
      return cudaError("copying inputs to the GPU: " + s.error);
    appendDescriptor(argWords, reinterpret_cast<void *>(ptr), input.shape);
  }
  t.hostToDeviceMs = msSince(start);

  ResultDescriptors resultStorage(sig);
  SmallVector<void *> packed = packArguments(argWords, resultStorage.data());
  rt.setProfiling(times != nullptr);
  start = std::chrono::steady_clock::now();
  auto entry = engine->lookupPacked(sig.name);
  llvm::Error callError = entry ? callCompiledEntry(*entry, packed.data())
                                : entry.takeError();
  rt.synchronize();
  t.entryMs = msSince(start);
  for (const cuda::GpuRuntime::KernelTime &k : rt.kernelTimes())
    t.kernels.emplace_back(k.name, k.ms);
  rt.setProfiling(false);
  if (callError)
    return cudaError("cannot run @" + sig.name + ": " + llvm::toString(std::move(callError)));
  if (llvm::Error err = takeRuntimeError("running @" + sig.name))
    return std::move(err);

  // Results: copied back, then the buffers the entry allocated are freed
  // (once each; never an input's).
  start = std::chrono::steady_clock::now();
  SmallVector<HostTensor> results;
  std::set<void *> released;
  for (auto [view, type] :
       llvm::zip(readDescriptors(resultStorage.words, resultStorage.ranks), sig.results)) {
    HostTensor out = HostTensor::zeros(*dtypeFromType(type.getElementType()), view.sizes);
    size_t width = dtypeSize(out.dtype);
    if (out.numElements() > 0) {
      if (!view.isContiguous())
        return cudaError("@" + sig.name + " returned a strided buffer; entry results "
                         "must be contiguous");
      cuda::DevicePtr src =
          reinterpret_cast<cuda::DevicePtr>(view.aligned) + view.offset * width;
      cuda::Status s = driver.copyToHost(out.data.data(), src, out.data.size());
      if (!s.ok())
        return cudaError("copying results from the GPU: " + s.error);
    }
    results.push_back(std::move(out));
    auto allocated = reinterpret_cast<cuda::DevicePtr>(view.allocated);
    // Never an input's buffer, nor a constant's cached device copy.
    if (view.allocated && !llvm::is_contained(inputBuffers, allocated) &&
        !rt.isConstant(view.allocated) && released.insert(view.allocated).second)
      rt.free(view.allocated);
  }
  rt.synchronize();
  t.deviceToHostMs = msSince(start);
  if (llvm::Error err = takeRuntimeError("releasing results"))
    return std::move(err);
  return results;
}

} // namespace axon
