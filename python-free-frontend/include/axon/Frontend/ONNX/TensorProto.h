//===- TensorProto.h - ONNX TensorProto files as host tensors ---*- C++ -*-===//

#ifndef AXON_FRONTEND_ONNX_TENSORPROTO_H
#define AXON_FRONTEND_ONNX_TENSORPROTO_H

#include "axon/Runner/HostTensor.h"

#include "llvm/Support/Error.h"

namespace axon::onnx_frontend {

/// Reads a serialized onnx.TensorProto (.pb), as the ONNX test data stores
/// inputs and outputs.
llvm::Expected<HostTensor> readTensorProtoFile(llvm::StringRef path);

/// Decodes a serialized onnx.TensorProto held in memory; external data is
/// looked up in `directory`, and `name` appears in errors.
llvm::Expected<HostTensor> parseTensorProto(llvm::StringRef bytes,
                                            llvm::StringRef directory,
                                            llvm::StringRef name);

} // namespace axon::onnx_frontend

#endif // AXON_FRONTEND_ONNX_TENSORPROTO_H
