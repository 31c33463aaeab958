//===- Registration.h - One entry point for embedders -----------*- C++ -*-===//
//
// Everything an Axon tool registers, in one place, so that another compiler
// embedding Axon sees exactly what axon-opt sees.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_REGISTRATION_REGISTRATION_H
#define AXON_REGISTRATION_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace axon {

/// Adds the axon dialect and the upstream dialects Axon's pipelines use.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers Axon's passes and pipelines and the upstream passes they build
/// on, for command-line use (`axon-opt -pass-name`).
void registerAllPasses();

} // namespace axon

#endif // AXON_REGISTRATION_REGISTRATION_H
