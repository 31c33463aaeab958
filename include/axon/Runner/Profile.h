//===- Profile.h - Per-kernel time against work and the roofline -*- C++
//-*-===//
//
// `axon-run --profile` divides each kernel's measured time by the FLOPs and
// bytes the compiler recorded for it (the module's `axon.kernels` table,
// see GpuAbi.h and OpCost.h), and compares the achieved rates with the
// card's ceilings: the roofline's attainable rate for a kernel of
// intensity I = flops/bytes is min(peak FLOP/s, I x peak bytes/s). On the
// CPU the program's linalg ops are listed with their work instead, against
// the entry's time.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_PROFILE_H
#define AXON_RUNNER_PROFILE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <string>
#include <vector>

namespace axon {

/// What the compiler recorded about one kernel.
struct KernelInfo {
  /// The kernel's label and the strategy that formed it.
  std::string strategy, family, config;
  int64_t flops = -1, bytes = -1;
  /// Whether the strategy runs on tensor cores (its FLOP ceiling).
  bool tensorCores() const;
};

/// Reads the module's kernel table and removes it (it is not code); `raw`
/// receives the attribute it was (null when there is none).
std::map<std::string, KernelInfo> takeKernelTable(mlir::ModuleOp module,
                                                  mlir::DictionaryAttr *raw = nullptr);
/// Reads a kernel table attribute (`axon.kernels`); null gives an empty table.
std::map<std::string, KernelInfo> readKernelTable(mlir::DictionaryAttr table);

/// The rates a profile compares with; 0 where unknown.
struct Ceilings {
  double gbs = 0, tensorTflops = 0, fmaTflops = 0;
  std::string gbsSource, tflopsSource;
  /// The dense f16 tensor-core and f32 FMA rates of chips Axon knows by
  /// name (H100, H200), else zeros.
  static Ceilings forDevice(llvm::StringRef deviceName);
};

/// One kernel's measured time (mean over `calls` profiled calls).
struct KernelSample {
  std::string name;
  double ms = 0;
  unsigned calls = 0;
};

struct GpuProfile {
  std::string device;
  Ceilings ceilings;
  std::vector<KernelSample> samples;
  std::map<std::string, KernelInfo> table;
  unsigned calls = 0;
};

/// The table sorted by time and the summary by strategy.
void printGpuProfile(llvm::raw_ostream &os, const GpuProfile &profile);
/// The same as JSON (for bench/profile_chart.py).
void writeGpuProfileJson(llvm::raw_ostream &os, const GpuProfile &profile);

/// The linalg ops of a module (before code generation), with their work.
struct CpuOpCosts {
  struct Op {
    std::string name;
    int64_t flops = -1, bytes = -1;
  };
  std::vector<Op> ops;
  int64_t flops = 0, bytes = 0;
  unsigned unknown = 0;
};
CpuOpCosts collectCpuOpCosts(mlir::ModuleOp module);
/// One line per op, then the totals and the rates reached by an entry
/// taking `entryMs` per call.
void printCpuProfile(llvm::raw_ostream &os, const CpuOpCosts &costs,
                     double entryMs);

} // namespace axon

#endif // AXON_RUNNER_PROFILE_H
