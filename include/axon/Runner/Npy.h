//===- Npy.h - Reading and writing numpy .npy files -------------*- C++ -*-===//
//
// NPY format versions 1.0-3.0, little-endian, C order; dtypes f4, f8, f2, i4,
// i8, i1, b1. Every malformed or truncated file is an llvm::Error saying what
// is wrong, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_NPY_H
#define AXON_RUNNER_NPY_H

#include "axon/Runner/HostTensor.h"

#include "llvm/Support/Error.h"

namespace axon {

/// Parses the bytes of an .npy file.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes);
/// Reads an .npy file; errors name the file.
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);
/// The bytes of an .npy (version 1.0) file holding `tensor`.
std::string serializeNpy(const HostTensor &tensor);
/// Writes `tensor` to `path`.
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

} // namespace axon

#endif // AXON_RUNNER_NPY_H
