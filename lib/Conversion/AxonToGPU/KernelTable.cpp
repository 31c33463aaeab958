//===- KernelTable.cpp - Each kernel's strategy and work, on the module ---===//

#include "axon/Analysis/OpCost.h"
#include "axon/Conversion/Passes.h"
#include "axon/Support/GpuAbi.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/RegionUtils.h"

namespace axon {
#define GEN_PASS_DEF_AXONGPUKERNELTABLE
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace axon {
namespace {

/// The device buffers a kernel body uses (each once), static shapes only.
static int64_t bufferBytes(gpu::LaunchOp launch) {
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(launch.getBody(), captured);
  int64_t total = 0;
  for (Value value : captured) {
    auto type = dyn_cast<MemRefType>(value.getType());
    if (!type || type.getMemorySpace())
      continue;
    std::optional<int64_t> bytes = typeBytes(type);
    if (!bytes)
      return -1;
    total += *bytes;
  }
  return total;
}

struct KernelTable : public impl::AxonGPUKernelTableBase<KernelTable> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    Builder b(&getContext());
    SmallVector<NamedAttribute> kernels;
    module.walk([&](gpu::LaunchOp launch) {
      SymbolRefAttr function = launch.getFunctionAttr();
      if (!function)
        return;
      SmallVector<NamedAttribute> entry;
      if (auto strategy = launch->getAttrOfType<StringAttr>(abi::kStrategyAttr))
        entry.push_back(b.getNamedAttr("strategy", strategy));
      auto family = launch->getAttrOfType<StringAttr>(abi::kFamilyAttr);
      entry.push_back(b.getNamedAttr(
          "family", family ? family : b.getStringAttr(abi::kLoopsStrategy)));
      if (auto config = launch->getAttrOfType<DictionaryAttr>(abi::kConfigAttr))
        entry.push_back(b.getNamedAttr("config", config));
      auto flops = launch->getAttrOfType<IntegerAttr>(abi::kFlopsAttr);
      auto bytes = launch->getAttrOfType<IntegerAttr>(abi::kBytesAttr);
      entry.push_back(
          b.getNamedAttr("flops", flops ? flops : b.getI64IntegerAttr(-1)));
      entry.push_back(b.getNamedAttr(
          "bytes", bytes ? bytes : b.getI64IntegerAttr(bufferBytes(launch))));
      kernels.push_back(b.getNamedAttr(function.getLeafReference(),
                                       b.getDictionaryAttr(entry)));
      // Recorded once, on the module.
      launch->removeAttr(abi::kFlopsAttr);
      launch->removeAttr(abi::kBytesAttr);
      launch->removeAttr(abi::kFamilyAttr);
    });
    module->setAttr(abi::kKernelTableAttr, b.getDictionaryAttr(kernels));
  }
};

} // namespace
} // namespace axon
