//===- Tunable.cpp - Problems a tuner measures ----------------------------===//

#include "Strategy.h"
#include "axon/Conversion/AxonToGPU/Tuning.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Support/GpuAbi.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace axon {

std::string problemKey(Operation *op) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << op->getName() << "(";
  llvm::interleaveComma(op->getOperandTypes(), os);
  os << ") -> (";
  llvm::interleaveComma(op->getResultTypes(), os);
  os << ")";
  // Pins and the kernel table's annotations are not part of the problem.
  SmallVector<NamedAttribute> attrs;
  for (NamedAttribute attr : op->getAttrs())
    if (!attr.getName().getValue().starts_with("axon."))
      attrs.push_back(attr);
  if (!attrs.empty())
    os << " " << DictionaryAttr::get(op->getContext(), attrs);
  return key;
}

std::vector<TunableKernel> findTunableKernels(Operation *root, StringRef chip, bool allowTf32) {
  gpu_kernels::GpuTarget target = gpu_kernels::GpuTarget::forChip(chip);
  target.allowTf32 = allowTf32;
  const auto &registry = gpu_kernels::StrategyRegistry::builtin();
  std::vector<TunableKernel> result;
  root->walk([&](Operation *op) {
    if (!isa<AttentionOp>(op) && !gpu_kernels::needsKernelStrategy(op))
      return;
    if (op->hasAttr(abi::kPinnedStrategyAttr) || op->hasAttr(abi::kConfigAttr))
      return;
    std::string whyNot;
    gpu_kernels::StrategyMatch match = matchStrategy(op, registry, target, whyNot);
    if (!match.strategy)
      return;
    std::vector<DictionaryAttr> candidates =
        match.strategy->candidateConfigs(*match.problem, target);
    if (candidates.size() < 2)
      return;
    TunableKernel kernel{op,
                         {target.chip, match.strategy->name().str(), match.strategy->version(),
                          problemKey(op)},
                         {}};
    for (DictionaryAttr config : candidates)
      kernel.candidates.push_back(toTunedConfig(config));
    result.push_back(std::move(kernel));
  });
  return result;
}

} // namespace axon
