//===- AxonDialect.h - The axon dialect -------------------------*- C++ -*-===//

#ifndef AXON_DIALECT_AXON_IR_AXONDIALECT_H
#define AXON_DIALECT_AXON_IR_AXONDIALECT_H

#include "mlir/IR/Dialect.h"

#include "axon/Dialect/Axon/IR/AxonDialect.h.inc"

#endif // AXON_DIALECT_AXON_IR_AXONDIALECT_H
