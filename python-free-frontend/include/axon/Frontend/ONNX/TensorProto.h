//===- TensorProto.h - ONNX TensorProto files as host tensors ---*- C++ -*-===//

#ifndef AXON_FRONTEND_ONNX_TENSORPROTO_H
#define AXON_FRONTEND_ONNX_TENSORPROTO_H

#include "axon/Runner/HostTensor.h"

#include "llvm/Support/Error.h"

namespace axon::onnx_frontend {

/// Reads a serialized onnx.TensorProto (.pb), as the ONNX test data stores
/// inputs and outputs.
llvm::Expected<HostTensor> readTensorProtoFile(llvm::StringRef path);

} // namespace axon::onnx_frontend

#endif // AXON_FRONTEND_ONNX_TENSORPROTO_H
