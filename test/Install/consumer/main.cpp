// Parses axon IR with the registration entry point of an installed Axon,
// verifies it, and prints an inferred result type.
#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Registration/Registration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/raw_ostream.h"

static const char *kProgram = R"mlir(
func.func @f(%a: tensor<8x1xf32>, %b: tensor<4xf32>) -> tensor<8x4xf32> {
  %0 = axon.add %a, %b : tensor<8x1xf32>, tensor<4xf32>
  return %0 : tensor<8x4xf32>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  axon::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kProgram, &context);
  if (!module)
    return 1;
  module->walk([](axon::AddOp add) {
    llvm::outs() << "axon.add infers " << add.getType() << "\n";
  });
  return 0;
}
