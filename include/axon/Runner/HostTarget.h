//===- HostTarget.h - The CPU that JIT'd code is compiled for ---*- C++ -*-===//
//
// The CPU name and features the host JIT optimizes and selects instructions
// for, and what the CPU pipeline shapes its vector tiles for. By default the
// machine's own CPU; `axon-run --cpu=NAME` names another (e.g. one without
// AVX-512, to check what a smaller machine gets).
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_HOSTTARGET_H
#define AXON_RUNNER_HOSTTARGET_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace axon {

struct HostTarget {
  std::string triple, cpu, features;
  /// Widest vector register the CPU has: 512 (AVX-512), 256 (AVX2), else 128.
  int64_t vectorBits = 128;

  /// `cpu` empty or "host": this machine's CPU and features. Otherwise a CPU
  /// name LLVM knows (an error lists how to see them when it does not).
  static llvm::Expected<HostTarget> resolve(llvm::StringRef cpu);
};

/// Whether compiled programs can run thread blocks through OpenMP (Axon was
/// built with libomp).
bool haveOpenMP();

/// Threads OpenMP regions use from now on (0: one per hardware thread).
/// Returns the number in effect.
unsigned setCpuThreads(unsigned threads);

} // namespace axon

#endif // AXON_RUNNER_HOSTTARGET_H
