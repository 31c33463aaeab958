//===- ModulesToBinaries.cpp - Serialize gpu.modules in parallel ----------===//
//
// A model lowers to hundreds of kernel modules and each one goes through the
// NVPTX back end (and ptxas for cubin) on its own: done one after another,
// this is most of a model's compile time. The modules are independent, so
// they are serialized on the context's thread pool; only the rewrite of the
// IR (objects, gpu.binary, erasing the module) is sequential.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Threading.h"

#include "llvm/ADT/StringSwitch.h"

namespace axon {
#define GEN_PASS_DEF_AXONGPUMODULESTOBINARIES
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace axon {
namespace {

std::optional<gpu::CompilationTarget> parseFormat(llvm::StringRef format) {
  return llvm::StringSwitch<std::optional<gpu::CompilationTarget>>(format)
      .Cases({"isa", "assembly"}, gpu::CompilationTarget::Assembly)
      .Cases({"bin", "binary"}, gpu::CompilationTarget::Binary)
      .Cases({"fatbin", "fatbinary"}, gpu::CompilationTarget::Fatbin)
      .Cases({"llvm", "offloading"}, gpu::CompilationTarget::Offload)
      .Default(std::nullopt);
}

/// One module's serialized objects, one per target attribute.
using ModuleObjects = SmallVector<SmallVector<char, 0>, 1>;

struct ModulesToBinaries
    : public impl::AxonGPUModulesToBinariesBase<ModulesToBinaries> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp top = getOperation();
    std::optional<gpu::CompilationTarget> target = parseFormat(format);
    if (!target) {
      top.emitError() << "unknown GPU object format '" << format
                      << "' (expected isa, bin, fatbin or llvm)";
      return signalPassFailure();
    }
    SmallVector<gpu::GPUModuleOp> modules(top.getOps<gpu::GPUModuleOp>());
    if (modules.empty())
      return;

    // Built before the threads start: targets may ask for it concurrently.
    SymbolTable symbols(top);
    gpu::TargetOptions options(toolkit, /*librariesToLink=*/{}, /*cmdOptions=*/"",
                               /*elfSection=*/"", *target, [&] { return &symbols; });

    std::vector<ModuleObjects> objects(modules.size());
    LogicalResult serialized = failableParallelForEachN(
        &getContext(), 0, modules.size(), [&](size_t i) -> LogicalResult {
          gpu::GPUModuleOp module = modules[i];
          ArrayAttr targets = module.getTargetsAttr();
          if (!targets || targets.empty())
            return module.emitError("kernel module '")
                   << module.getName() << "' has no target attribute";
          for (Attribute attr : targets) {
            auto targetAttr = dyn_cast<gpu::TargetAttrInterface>(attr);
            if (!targetAttr)
              return module.emitError("kernel module '")
                     << module.getName() << "': " << attr << " is not a GPU target";
            std::optional<SmallVector<char, 0>> object =
                targetAttr.serializeToObject(module, options);
            if (!object)
              return module.emitError("cannot compile kernel module '")
                     << module.getName() << "' for " << attr;
            objects[i].push_back(std::move(*object));
          }
          return success();
        });
    if (failed(serialized))
      return signalPassFailure();

    OpBuilder builder(&getContext());
    for (auto [module, moduleObjects] : llvm::zip(modules, objects)) {
      SmallVector<Attribute> attrs;
      for (auto [attr, object] : llvm::zip(module.getTargetsAttr(), moduleObjects)) {
        Attribute created =
            cast<gpu::TargetAttrInterface>(attr).createObject(module, object, options);
        if (!created) {
          module.emitError("cannot create the object of kernel module '")
              << module.getName() << "' for " << attr;
          return signalPassFailure();
        }
        attrs.push_back(created);
      }
      builder.setInsertionPointAfter(module);
      auto handler = dyn_cast_or_null<gpu::OffloadingLLVMTranslationAttrInterface>(
          module.getOffloadingHandlerAttr());
      gpu::BinaryOp::create(builder, module.getLoc(), module.getName(), handler,
                            builder.getArrayAttr(attrs));
      module.erase();
    }
  }
};

} // namespace
} // namespace axon
