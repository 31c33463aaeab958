//===- AxonPlugin.cpp - The axon dialect as an mlir-opt plugin ------------===//

#include "axon/Dialect/Axon/IR/AxonDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Axon", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            registry->insert<axon::AxonDialect>();
          }};
}
