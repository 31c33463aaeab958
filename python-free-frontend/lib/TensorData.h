//===- TensorData.h - onnx.TensorProto contents -----------------*- C++ -*-===//

#ifndef AXON_FRONTEND_ONNX_LIB_TENSORDATA_H
#define AXON_FRONTEND_ONNX_LIB_TENSORDATA_H

#include "axon/Runner/HostTensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "onnx/onnx_pb.h"

#include <string>

namespace axon::onnx_frontend {

/// The HostTensor dtype of an ONNX TensorProto data type, or an error naming
/// it when Axon does not support it.
std::optional<DType> dtypeOf(int onnxType, std::string &error);

/// The MLIR element type of an ONNX data type axon supports (f32, f16, bf16,
/// i32, i64, bool), or null with `error` set.
mlir::Type elementTypeOf(int onnxType, mlir::MLIRContext *context,
                         std::string &error);

/// Decodes a TensorProto (raw_data, typed fields, or external data relative
/// to `directory`) into host memory. With `rawView`, a tensor whose bytes are
/// its raw_data is not copied: the result has no data and `rawView` points
/// at the proto's (a model's weights are then copied once, into constants).
std::optional<HostTensor> decodeTensor(const onnx::TensorProto &proto,
                                       llvm::StringRef directory,
                                       std::string &error,
                                       llvm::StringRef *rawView = nullptr);

/// A constant attribute for a decoded tensor: dense_resource above
/// `resourceThreshold` elements, dense otherwise.
mlir::ElementsAttr toElementsAttr(const HostTensor &tensor, mlir::Type element,
                                  llvm::StringRef name, int64_t resourceThreshold);
/// The same for `raw` bytes (row-major) of a tensor of `shape`.
mlir::ElementsAttr toElementsAttr(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<char> raw,
                                  mlir::Type element, llvm::StringRef name,
                                  int64_t resourceThreshold);

} // namespace axon::onnx_frontend

#endif // AXON_FRONTEND_ONNX_LIB_TENSORDATA_H
