//===- axon-opt.cpp - Axon's pass driver ----------------------------------===//

#include "axon/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int axonOptMain(int argc, char **argv) {
  mlir::DialectRegistry registry;
  axon::registerAllDialects(registry);
  axon::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Axon optimizer driver\n", registry));
}

#ifndef AXON_MULTICALL
int main(int argc, char **argv) { return axonOptMain(argc, argv); }
#endif
