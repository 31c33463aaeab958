//===- CudaExecutable.cpp - Entry points that launch GPU kernels ----------===//

#include "axon/Runner/CudaExecutable.h"
#include "HostObject.h"
#include "HostRuntime.h"
#include "axon/Runner/MemRefABI.h"
#include "axon/Runtime/GpuRuntime.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

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

llvm::Expected<double> measureCopyBandwidth() {
  std::string name;
  if (llvm::Error err = openCudaDevice(name))
    return std::move(err);
  cuda::Driver &driver = *device().driver;
  void *stream = cuda::GpuRuntime::get().stream();
  constexpr size_t bytes = size_t(256) << 20;
  cuda::DevicePtr src = 0, dst = 0;
  void *start = nullptr, *end = nullptr;
  auto release = llvm::make_scope_exit([&] {
    if (src)
      driver.free(src);
    if (dst)
      driver.free(dst);
    if (start)
      driver.destroyEvent(start);
    if (end)
      driver.destroyEvent(end);
  });
  cuda::Status s = driver.alloc(bytes, src);
  if (s.ok())
    s = driver.alloc(bytes, dst);
  if (s.ok())
    s = driver.createEvent(start);
  if (s.ok())
    s = driver.createEvent(end);
  std::vector<float> times;
  for (int i = 0; i < 7 && s.ok(); ++i) {
    float ms = 0;
    s = driver.recordEvent(start, stream);
    if (s.ok())
      s = driver.copyAsync(dst, src, bytes, stream);
    if (s.ok())
      s = driver.recordEvent(end, stream);
    if (s.ok())
      s = driver.synchronizeEvent(end);
    if (s.ok())
      s = driver.elapsedMs(start, end, ms);
    if (s.ok() && i > 0) // the first is a warm-up
      times.push_back(ms);
  }
  if (!s.ok())
    return cudaError("measuring the copy bandwidth: " + s.error);
  std::sort(times.begin(), times.end());
  return 2.0 * bytes / (times[times.size() / 2] * 1e-3) * 1e-9;
}

const char *describe(GpuRunMode mode) {
  switch (mode) {
  case GpuRunMode::Launches:
    return "kernel launches";
  case GpuRunMode::RecordedPlan:
    return "kernel launches, memory plan recorded";
  case GpuRunMode::PlannedLaunches:
    return "kernel launches on the memory plan";
  case GpuRunMode::CapturedGraph:
    return "CUDA graph captured";
  case GpuRunMode::GraphReplay:
    return "CUDA graph replay";
  }
  return "";
}

/// What stays on the device between calls: the inputs' buffers, the memory
/// plan and its arena, the captured graph and the results it leaves.
struct CudaExecutable::Replay {
  ~Replay() { reset(); }
  void reset() {
    cuda::Driver *driver = device().driver.get();
    if (driver) {
      for (void *&event : spanEvents)
        if (event)
          driver->destroyEvent(event);
      spanEvents[0] = spanEvents[1] = nullptr;
      driver->destroyGraph(graph);
      if (arena)
        driver->free(arena);
      for (cuda::DevicePtr p : inputBuffers)
        driver->free(p);
    }
    graph = nullptr;
    arena = 0;
    inputBuffers.clear();
    inputBytes.clear();
    plan = cuda::MemoryPlan();
    plannedCalls = 0;
    graphResults.clear();
  }

  /// The input shapes the plan and the graph are for.
  std::vector<std::vector<int64_t>> shapes;
  std::vector<cuda::DevicePtr> inputBuffers;
  std::vector<size_t> inputBytes;
  cuda::MemoryPlan plan;
  cuda::DevicePtr arena = 0;
  unsigned plannedCalls = 0;
  void *graph = nullptr;
  /// The descriptors the captured call returned (arena addresses).
  llvm::SmallVector<int64_t> graphResults;
  bool graphFailed = false, planFailed = false;
  void *spanEvents[2] = {nullptr, nullptr};
  uint64_t lastDriverPeak = 0;
  std::string note;
};

CudaExecutable::CudaExecutable(CompiledProgram program, std::unique_ptr<LinkedHost> host,
                               EntrySignature sig, void (*entry)(void **))
    : program(std::move(program)), host(std::move(host)), sig(std::move(sig)), entry(entry),
      replay(std::make_unique<Replay>()) {}

CudaExecutable::~CudaExecutable() = default;

GpuMemoryUse CudaExecutable::memoryUse() const {
  GpuMemoryUse use;
  for (size_t bytes : replay->inputBytes)
    use.inputs += bytes;
  use.constants = cuda::GpuRuntime::get().constantBytes();
  use.planned = replay->arena != 0;
  use.intermediates = use.planned ? replay->plan.arenaBytes() : replay->lastDriverPeak;
  use.peakLive = replay->plan.finished() ? replay->plan.peakLiveBytes() : replay->lastDriverPeak;
  use.plannedBuffers = use.planned ? replay->plan.numBuffers() : 0;
  return use;
}

const std::string &CudaExecutable::note() const { return replay->note; }

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
  auto start = std::chrono::steady_clock::now();
  auto program = compileProgram(module, optLevel);
  if (!program)
    return cudaError("compiling the host code failed: " + llvm::toString(program.takeError()));
  double compileMs = msSince(start);
  auto exe = create(std::move(*program), std::move(signature), times);
  if (times)
    times->jitMs = compileMs;
  return exe;
}

llvm::Expected<std::unique_ptr<CudaExecutable>>
CudaExecutable::create(CompiledProgram program, EntrySignature signature, LoadTimes *times) {
  std::string name;
  if (llvm::Error err = openCudaDevice(name))
    return std::move(err);
  std::vector<cuda::RuntimeSymbol> symbols = cuda::gpuRuntimeSymbols();
  // One device-constant function per memref type, all served by one entry.
  std::vector<std::string> undefined = undefinedSymbols(program);
  for (const std::string &symbol : undefined)
    if (llvm::StringRef(symbol).starts_with(cuda::kDeviceConstantSymbolPrefix))
      symbols.push_back({symbol.c_str(), cuda::deviceConstantEntryPoint()});
  if (times) {
    times->externalConstants = program.constants.size();
    times->externalConstantBytes = program.constantBytes();
  }
  auto start = std::chrono::steady_clock::now();
  double loadedBefore = cuda::GpuRuntime::get().moduleLoadMs();
  // The constructors load the kernel modules on the device.
  auto host = LinkedHost::link(program, symbols);
  if (!host)
    return cudaError("linking the compiled program failed: " +
                     llvm::toString(host.takeError()));
  if (times) {
    times->moduleLoadMs = cuda::GpuRuntime::get().moduleLoadMs() - loadedBefore;
    times->linkMs = msSince(start) - times->moduleLoadMs;
  }
  if (llvm::Error err = takeRuntimeError("loading the kernels"))
    return std::move(err);
  auto entry = (*host)->lookupPacked(signature.name);
  if (!entry)
    return cudaError("cannot find @" + signature.name + " in the compiled program: " +
                     llvm::toString(entry.takeError()));
  return std::unique_ptr<CudaExecutable>(
      new CudaExecutable(std::move(program), std::move(*host), std::move(signature), *entry));
}

llvm::Expected<SmallVector<HostTensor>>
CudaExecutable::run(llvm::ArrayRef<HostTensor> inputs, GpuRunTimes *times,
                    const GpuRunOptions &options) {
  cuda::Driver &driver = *device().driver;
  cuda::GpuRuntime &rt = cuda::GpuRuntime::get();
  GpuRunTimes local;
  GpuRunTimes &t = times ? *times : local;
  Replay &state = *replay;

  // The plan and the graph hold for one set of input shapes.
  std::vector<std::vector<int64_t>> shapes;
  for (const HostTensor &input : inputs)
    shapes.emplace_back(input.shape.begin(), input.shape.end());
  if (shapes != state.shapes) {
    state.reset();
    state.shapes = shapes;
  }

  // Inputs: one device buffer each, kept between calls (a graph refers to
  // them) and refilled.
  auto start = std::chrono::steady_clock::now();
  SmallVector<int64_t> argWords;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    size_t bytes = std::max<size_t>(input.data.size(), 1);
    if (i == state.inputBuffers.size()) {
      cuda::DevicePtr ptr = 0;
      if (cuda::Status s = driver.alloc(bytes, ptr); !s.ok())
        return cudaError("copying inputs to the GPU: " + s.error);
      state.inputBuffers.push_back(ptr);
      state.inputBytes.push_back(bytes);
    }
    cuda::DevicePtr ptr = state.inputBuffers[i];
    if (cuda::Status s = driver.copyToDevice(ptr, input.data.data(), input.data.size()); !s.ok())
      return cudaError("copying inputs to the GPU: " + s.error);
    appendDescriptor(argWords, reinterpret_cast<void *>(ptr), input.shape);
  }
  t.hostToDeviceMs = msSince(start);

  bool planning = options.planMemory && !state.planFailed;
  bool graphs = planning && options.cudaGraph && !options.profileKernels && !state.graphFailed;
  if (!planning)
    t.mode = GpuRunMode::Launches;
  else if (!state.plan.finished())
    t.mode = GpuRunMode::RecordedPlan;
  else if (graphs && state.graph)
    t.mode = GpuRunMode::GraphReplay;
  else if (graphs && state.plannedCalls > 0)
    t.mode = GpuRunMode::CapturedGraph;
  else
    t.mode = GpuRunMode::PlannedLaunches;

  ResultDescriptors resultStorage(sig);
  // Whatever happens below, later calls (and other executables) start from
  // plain allocations.
  auto restore = llvm::make_scope_exit([&] {
    rt.allocateDirectly();
    rt.setProfiling(false);
  });
  if (t.mode == GpuRunMode::RecordedPlan)
    rt.recordAllocations(state.plan);
  else if (t.mode != GpuRunMode::Launches)
    rt.servePlan(state.plan, state.arena);
  rt.resetPeak();
  uint64_t driverBaseline = rt.driverPeakBytes();
  rt.setProfiling(options.profileKernels);

  // The device's span of the call (events on the stream around it), where
  // kernels are not timed one by one: for a graph replay, the kernels back
  // to back.
  unsigned stamped = 0;
  bool spans = !options.profileKernels;
  if (spans && !state.spanEvents[0]) {
    for (void *&event : state.spanEvents)
      if (!driver.createEvent(event).ok())
        spans = false;
  }
  enum { spanStart, spanEnd };
  auto stamp = [&](int which) {
    if (spans && driver.recordEvent(state.spanEvents[which], rt.stream()).ok())
      ++stamped;
  };
  start = std::chrono::steady_clock::now();
  llvm::Error callError = llvm::Error::success();
  if (t.mode == GpuRunMode::GraphReplay) {
    stamp(spanStart);
    rt.record(driver.launchGraph(state.graph, rt.stream()));
    stamp(spanEnd);
    llvm::copy(state.graphResults, resultStorage.words.begin());
  } else {
    SmallVector<void *> packed = packArguments(argWords, resultStorage.data());
    if (t.mode == GpuRunMode::CapturedGraph) {
      // Anything the capture cannot hold (a synchronous copy, an allocation
      // off the plan, a failing launch) fails it; the call then runs again
      // as plain launches and later calls do not try again.
      std::string why;
      if (cuda::Status s = rt.beginCapture(); !s.ok())
        why = s.error;
      else {
        llvm::Error err = callCompiledEntry(entry, packed.data());
        if (err)
          why = llvm::toString(std::move(err));
        void *graph = nullptr;
        cuda::Status ended = rt.endCapture(graph);
        if (why.empty() && !rt.error().empty())
          why = rt.error();
        if (why.empty() && rt.planMissed())
          why = "an allocation departed from the memory plan";
        if (why.empty() && !ended.ok())
          why = ended.error;
        if (why.empty())
          state.graph = graph;
        else
          driver.destroyGraph(graph);
      }
      if (!why.empty()) {
        rt.clearError();
        state.graphFailed = true;
        state.note = "no CUDA graph (" + why + "); the kernels are launched one by one";
        return run(inputs, times, options);
      }
      state.graphResults.assign(resultStorage.words.begin(), resultStorage.words.end());
      stamp(spanStart);
      rt.record(driver.launchGraph(state.graph, rt.stream()));
      stamp(spanEnd);
    } else {
      stamp(spanStart);
      callError = callCompiledEntry(entry, packed.data());
      stamp(spanEnd);
    }
  }
  rt.synchronize();
  t.entryMs = msSince(start);
  if (stamped == 2 && rt.error().empty()) {
    float ms = 0;
    if (driver.elapsedMs(state.spanEvents[0], state.spanEvents[1], ms).ok())
      t.deviceSpanMs = ms;
  }
  t.kernels.clear();
  for (const cuda::GpuRuntime::KernelTime &k : rt.kernelTimes())
    t.kernels.emplace_back(k.name, k.ms);
  if (callError)
    return cudaError("cannot run @" + sig.name + ": " + llvm::toString(std::move(callError)));
  if (llvm::Error err = takeRuntimeError("running @" + sig.name))
    return std::move(err);
  bool missed = rt.planMissed();

  // Results: copied back, then the buffers the entry allocated are freed
  // (once each; never an input's, nor a constant's device copy; arena
  // buffers are left in place).
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
    if (view.allocated && !llvm::is_contained(state.inputBuffers, allocated) &&
        !rt.isConstant(view.allocated) && released.insert(view.allocated).second)
      rt.free(view.allocated);
  }
  rt.synchronize();
  t.deviceToHostMs = msSince(start);
  if (llvm::Error err = takeRuntimeError("releasing results"))
    return std::move(err);
  state.lastDriverPeak = rt.driverPeakBytes() - std::min(driverBaseline, rt.driverPeakBytes());

  if (t.mode == GpuRunMode::RecordedPlan) {
    state.plan.finish();
    if (cuda::Status s = driver.alloc(std::max<uint64_t>(state.plan.arenaBytes(), 1), state.arena);
        !s.ok())
      return cudaError("allocating the memory plan's arena (" +
                       llvm::Twine(state.plan.arenaBytes()) + " bytes): " + s.error);
  } else if (t.mode == GpuRunMode::PlannedLaunches) {
    ++state.plannedCalls;
    if (missed) {
      // The entry asked for other buffers than when recorded (its shapes
      // depend on data): record again, and do not capture it.
      state.note = "the entry's allocations differ from call to call; no memory plan "
                   "and no CUDA graph";
      state.planFailed = true;
      driver.free(state.arena);
      state.arena = 0;
      state.plan = cuda::MemoryPlan();
    }
  }
  return results;
}

} // namespace axon
