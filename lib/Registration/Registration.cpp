//===- Registration.cpp - One entry point for embedders -------------------===//

#include "axon/Registration/Registration.h"
#include "axon/Conversion/Passes.h"
#include "axon/Dialect/Axon/IR/AxonDialect.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"
#include "axon/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void axon::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<axon::AxonDialect>();
  // Axon's pipelines go through linalg, bufferization, scf, gpu and LLVM and
  // rely on the interfaces upstream registers for them (bufferization models,
  // conversions to LLVM, ...); registering them all keeps pipelines and
  // embedders in step.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // Serializing GPU modules (gpu-module-to-binary) and the JIT translate to
  // LLVM IR through these.
  mlir::registerAllToLLVMIRTranslations(registry);
}

void axon::registerAllPasses() {
  mlir::registerAllPasses();
  axon::registerAxonConversionPasses();
  axon::registerAxonTransformsPasses();
  axon::registerAxonPipelines();
}
