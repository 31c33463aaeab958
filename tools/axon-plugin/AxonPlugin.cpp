//===- AxonPlugin.cpp - Axon as a plugin of stock mlir-opt ----------------===//
//
// One shared library, two plugin entry points: `--load-dialect-plugin`
// registers the axon dialect, `--load-pass-plugin` Axon's passes and
// pipelines (axon-fuse, convert-axon-to-linalg, axon-to-linalg, ...).
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/IR/AxonDialect.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"
#include "axon/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Axon", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            registry->insert<axon::AxonDialect>();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Axon", LLVM_VERSION_STRING, [] {
            axon::registerAxonTransformsPasses();
            axon::registerAxonConversionPasses();
            axon::registerAxonPipelines();
          }};
}
