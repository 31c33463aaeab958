//===- FuzzTensorFiles.cpp - libFuzzer target: .npy and .pb readers -------===//
//
// Input: the bytes of a tensor file. The first byte picks the reader
// (even: .npy, odd: onnx.TensorProto) so one corpus feeds both; a tensor
// that decodes is serialized again and must decode to the same bytes.
//
//===----------------------------------------------------------------------===//

#include "axon/Frontend/ONNX/TensorProto.h"
#include "axon/Runner/Npy.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    llvm::Expected<axon::HostTensor> tensor = axon::parseNpy(bytes);
    if (!tensor) {
      llvm::consumeError(tensor.takeError());
      return 0;
    }
    // Round trip: what was read is written and read back unchanged.
    llvm::Expected<axon::HostTensor> again =
        axon::parseNpy(axon::serializeNpy(*tensor));
    if (!again || again->shape != tensor->shape || again->data != tensor->data ||
        again->dtype != tensor->dtype)
      std::abort();
    return 0;
  }
  llvm::Expected<axon::HostTensor> tensor = axon::onnx_frontend::parseTensorProto(
      bytes, "/nonexistent/axon-fuzz", "fuzz.pb");
  if (!tensor)
    llvm::consumeError(tensor.takeError());
  return 0;
}
