//===- AxonOps.h - Operations of the axon dialect ---------------*- C++ -*-===//

#ifndef AXON_DIALECT_AXON_IR_AXONOPS_H
#define AXON_DIALECT_AXON_IR_AXONOPS_H

#include "axon/Dialect/Axon/IR/AxonDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "axon/Dialect/Axon/IR/AxonEnums.h.inc"

#define GET_OP_CLASSES
#include "axon/Dialect/Axon/IR/AxonOps.h.inc"

#endif // AXON_DIALECT_AXON_IR_AXONOPS_H
