//===- AxonDialect.cpp - The axon dialect ---------------------------------===//

#include "axon/Dialect/Axon/IR/AxonDialect.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace axon;

#include "axon/Dialect/Axon/IR/AxonDialect.cpp.inc"
#include "axon/Dialect/Axon/IR/AxonEnums.cpp.inc"

void AxonDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "axon/Dialect/Axon/IR/AxonOps.cpp.inc"
      >();
}

Operation *AxonDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
