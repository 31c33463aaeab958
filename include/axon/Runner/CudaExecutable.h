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

struct GpuRunTimes {
  double hostToDeviceMs = 0, entryMs = 0, deviceToHostMs = 0;
  /// Kernel launches of the entry, in order, timed with CUDA events.
  std::vector<std::pair<std::string, float>> kernels;
};

class CudaExecutable {
public:
  ~CudaExecutable();

  /// JIT-compiles `module` (lowered by axon-to-nvvm) and loads its kernels on
  /// the device opened by openCudaDevice.
  static llvm::Expected<std::unique_ptr<CudaExecutable>>
  create(mlir::ModuleOp module, EntrySignature signature, unsigned optLevel,
         LoadTimes *times = nullptr);

  /// Fills every device buffer the compiled code allocates with NaN bytes
  /// (a test aid: unwritten results then fail comparisons).
  static void poisonAllocations(bool on);

  /// Runs the entry. With `times`, kernels are timed with events.
  llvm::Expected<llvm::SmallVector<HostTensor>> run(llvm::ArrayRef<HostTensor> inputs,
                                                    GpuRunTimes *times = nullptr);

private:
  CudaExecutable(std::unique_ptr<ExternalConstants> constants,
                 std::unique_ptr<mlir::ExecutionEngine> engine, EntrySignature sig);
  /// Before the engine: the compiled code refers to it until destroyed.
  std::unique_ptr<ExternalConstants> constants;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  EntrySignature sig;
};

} // namespace axon

#endif // AXON_RUNNER_CUDAEXECUTABLE_H
