//===- CudaExecutable.h - Entry points that launch GPU kernels --*- C++ -*-===//
//
// Host code compiled by axon-to-nvvm runs in the JIT and calls Axon's mgpu*
// runtime; this class moves inputs to the device, calls the entry, and
// copies results back, keeping the three phases' times apart.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_CUDAEXECUTABLE_H
#define AXON_RUNNER_CUDAEXECUTABLE_H

#include "axon/Runner/CpuExecutable.h"

namespace axon {

/// Opens the CUDA driver and device 0 once per process and attaches Axon's
/// GPU runtime to it. Fails with the driver's message when there is no
/// driver or no device. `deviceName` receives the device's name.
llvm::Error openCudaDevice(std::string &deviceName);

/// Whether a CUDA device can be opened (for --target=auto).
bool cudaDeviceAvailable();

/// The device's copy bandwidth in GB/s (bytes read plus bytes written per
/// second, as a device-to-device copy of 256 MiB moves them), the median of
/// a few timed copies: the ceiling memory-bound kernels are held against.
llvm::Expected<double> measureCopyBandwidth();

/// How a call of the entry runs on the GPU.
struct GpuRunOptions {
  /// Time every kernel with CUDA events. Such calls launch the kernels one
  /// by one (a graph replay has no per-kernel events).
  bool profileKernels = false;
  /// Serve the entry's buffers from one arena planned by liveness from the
  /// first call (MemoryPlan.h) instead of the driver's pool.
  bool planMemory = true;
  /// Once the plan holds, capture the entry's launches as a CUDA graph and
  /// replay it on later calls with the same input shapes.
  bool cudaGraph = true;
};

/// What a call did: the first records the memory plan, the second runs on
/// it (and creates the tensor maps of the arena's buffers), the third
/// captures the graph, the rest replay it.
enum class GpuRunMode { Launches, RecordedPlan, PlannedLaunches, CapturedGraph, GraphReplay };
const char *describe(GpuRunMode mode);

struct GpuRunTimes {
  double hostToDeviceMs = 0, entryMs = 0, deviceToHostMs = 0;
  /// Kernel launches of the entry, in order, timed with CUDA events (only
  /// with GpuRunOptions::profileKernels).
  std::vector<std::pair<std::string, float>> kernels;
  GpuRunMode mode = GpuRunMode::Launches;
  /// The device's time from the call's first work to its last (CUDA events
  /// around it; 0 when kernels are profiled one by one). For a graph replay
  /// it is the kernels run back to back.
  double deviceSpanMs = 0;
};

/// Device memory the executable holds (bytes).
struct GpuMemoryUse {
  uint64_t inputs = 0, constants = 0;
  /// Intermediates and results: the planned arena, or the driver's peak of
  /// the last unplanned call.
  uint64_t intermediates = 0;
  /// The most bytes alive at once in the recorded call (a bound for the arena).
  uint64_t peakLive = 0;
  size_t plannedBuffers = 0;
  bool planned = false;
  uint64_t total() const { return inputs + constants + intermediates; }
};

class CudaExecutable {
public:
  ~CudaExecutable();

  /// JIT-compiles `module` (lowered by axon-to-nvvm) and loads its kernels on
  /// the device opened by openCudaDevice.
  static llvm::Expected<std::unique_ptr<CudaExecutable>>
  create(mlir::ModuleOp module, EntrySignature signature, unsigned optLevel,
         LoadTimes *times = nullptr);

  /// Links a compiled program (compileProgram, or the compile cache) and
  /// loads its kernels.
  static llvm::Expected<std::unique_ptr<CudaExecutable>>
  create(CompiledProgram program, EntrySignature signature, LoadTimes *times = nullptr);

  /// Fills every device buffer the compiled code allocates with NaN bytes
  /// (a test aid: unwritten results then fail comparisons).
  static void poisonAllocations(bool on);

  /// Runs the entry.
  llvm::Expected<llvm::SmallVector<HostTensor>> run(llvm::ArrayRef<HostTensor> inputs,
                                                    GpuRunTimes *times = nullptr,
                                                    const GpuRunOptions &options = {});

  GpuMemoryUse memoryUse() const;
  /// Why graphs or the plan were given up on, once ("" if they were not).
  const std::string &note() const;

private:
  CudaExecutable(CompiledProgram program, std::unique_ptr<LinkedHost> host,
                 EntrySignature sig, void (*entry)(void **));
  /// Before the linked code, which refers to its constants until unloaded.
  CompiledProgram program;
  std::unique_ptr<LinkedHost> host;
  EntrySignature sig;
  void (*entry)(void **) = nullptr;
  /// After the engine: the graph launches its kernels, so it goes first.
  struct Replay;
  std::unique_ptr<Replay> replay;
};

} // namespace axon

#endif // AXON_RUNNER_CUDAEXECUTABLE_H
