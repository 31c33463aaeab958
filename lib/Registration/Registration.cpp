//===- Registration.cpp - One entry point for embedders -------------------===//

#include "axon/Registration/Registration.h"
#include "axon/Dialect/Axon/IR/AxonDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void axon::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<axon::AxonDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::math::MathDialect,
                  mlir::tensor::TensorDialect>();
}

void axon::registerAllPasses() {
  // Generic cleanups (canonicalize, cse, inline, ...) that every pipeline uses.
  mlir::registerTransformsPasses();
}
