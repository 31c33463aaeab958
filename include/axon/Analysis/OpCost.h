//===- OpCost.h - FLOPs and compulsory bytes of an op, from its IR -*- C++
//-*-===//
//
// What a profile divides a kernel's time by. FLOPs count a multiply-add as
// two (matmul 2*M*N*K, convolution 2*N*F*OH*OW*C/g*KH*KW, attention
// 4*B*H*Sq*Sk*D, halved when causal), a pooling window element, reduction
// input element or scalar arith/math op of a linalg body as one, and the
// row ops (softmax, log-softmax, layer and RMS norm) as five per element.
// Bytes are the compulsory traffic: every operand read once and every
// result written once (for linalg ops: inputs read, inits written, and an
// init read as well only when the body uses its value). Shapes must be static;
// otherwise the cost is unknown.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_ANALYSIS_OPCOST_H
#define AXON_ANALYSIS_OPCOST_H

#include "mlir/IR/Operation.h"

#include <cstdint>
#include <optional>

namespace axon {

struct OpCost {
  int64_t flops = 0;
  int64_t bytes = 0;
};

/// The cost of `op`, or nullopt when a shape is dynamic or the op is one
/// whose arithmetic is not modelled (it still has bytes: see opBytes).
std::optional<OpCost> estimateOpCost(mlir::Operation *op);

/// Operands read once plus results written once, for tensor or memref
/// values of static shape (nullopt otherwise).
std::optional<int64_t> opBytes(mlir::Operation *op);

/// Bytes of a static tensor or memref type (nullopt for other types).
std::optional<int64_t> typeBytes(mlir::Type type);

} // namespace axon

#endif // AXON_ANALYSIS_OPCOST_H
