//===- HostTarget.cpp - The CPU that JIT'd code is compiled for -----------===//

#include "axon/Runner/HostTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <thread>

#ifdef AXON_HAVE_OPENMP
extern "C" void omp_set_num_threads(int);
#endif

namespace axon {

llvm::Expected<HostTarget> HostTarget::resolve(llvm::StringRef cpu) {
  llvm::InitializeNativeTarget();
  HostTarget target;
  target.triple = llvm::sys::getProcessTriple();
  if (cpu.empty() || cpu == "host") {
    target.cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.first(), feature.second);
    target.features = features.getString();
  } else {
    target.cpu = cpu.str();
  }

  llvm::orc::JITTargetMachineBuilder builder{llvm::Triple(target.triple)};
  builder.setCPU(target.cpu);
  if (!target.features.empty())
    builder.addFeatures({target.features});
  auto machine = builder.createTargetMachine();
  if (!machine)
    return machine.takeError();
  const llvm::MCSubtargetInfo *info = (*machine)->getMCSubtargetInfo();
  if (!info->isCPUStringValid(target.cpu))
    return llvm::createStringError("unknown CPU '" + target.cpu + "' for " + target.triple +
                                   " (llc-22 -mcpu=help lists the names)");
  if (info->checkFeatures("+avx512f"))
    target.vectorBits = 512;
  else if (info->checkFeatures("+avx2") || info->checkFeatures("+avx"))
    target.vectorBits = 256;
  return target;
}

bool haveOpenMP() {
#ifdef AXON_HAVE_OPENMP
  return true;
#else
  return false;
#endif
}

unsigned setCpuThreads(unsigned threads) {
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
#ifdef AXON_HAVE_OPENMP
  omp_set_num_threads(static_cast<int>(threads));
  return threads;
#else
  return 1;
#endif
}

} // namespace axon
