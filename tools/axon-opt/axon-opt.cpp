//===- axon-opt.cpp - Axon's pass driver ----------------------------------===//

#include "axon/Registration/Registration.h"
#include "axon/Support/InputGuards.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

int axonOptMain(int argc, char **argv) {
  mlir::DialectRegistry registry;
  axon::registerAllDialects(registry);
  axon::registerAllPasses();
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "Axon optimizer driver\n", registry);
  // Inputs that would crash MLIR's parser are refused before it sees them.
  if (input != "-") {
    if (auto file = llvm::MemoryBuffer::getFile(input)) {
      if (auto hazard = axon::findTextualIRHazard((*file)->getBuffer())) {
        llvm::errs() << input << ": error: " << *hazard << "\n";
        return 1;
      }
    }
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, input, output, registry));
}

#ifndef AXON_MULTICALL
int main(int argc, char **argv) { return axonOptMain(argc, argv); }
#endif
