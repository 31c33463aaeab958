//===- ExternalConstants.cpp - Large constants kept out of LLVM -----------===//

#include "ExternalConstants.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;

namespace axon {

/// The bytes of `value` laid out as LLVM lays out the global (row-major,
/// packed), or nothing when that is not simply its storage.
static std::optional<ArrayRef<char>> rawBytes(Attribute value) {
  auto elementsAttr = dyn_cast_or_null<ElementsAttr>(value);
  if (!elementsAttr)
    return std::nullopt;
  ShapedType elements = elementsAttr.getShapedType();
  if (!elements.getElementType().isIntOrFloat() ||
      elements.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    size_t expected = elements.getNumElements() * (elements.getElementTypeBitWidth() / 8);
    if (data.size() != expected)
      return std::nullopt;
    return data;
  }
  return std::nullopt;
}

void externalizeConstants(ModuleOp module, CompiledProgram &program, size_t minBytes) {
  module.walk([&](LLVM::GlobalOp global) {
    if (!global.getConstant() || !global.getInitializerRegion().empty())
      return;
    std::optional<ArrayRef<char>> data = rawBytes(global.getValueAttr());
    if (!data || data->size() < minBytes)
      return;
    const void *address = data->data();
    uint64_t alignment = global.getAlignment().value_or(1);
    if (reinterpret_cast<uintptr_t>(address) % alignment != 0) {
      size_t size = (data->size() + alignment - 1) / alignment * alignment;
      std::shared_ptr<void> copy(std::aligned_alloc(alignment, size), std::free);
      if (!copy)
        return; // Left in the module: slower, still correct.
      std::memcpy(copy.get(), data->data(), data->size());
      address = copy.get();
      program.storage.push_back(std::move(copy));
    }
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
    // Not dso_local: the data may be anywhere in the address space, so the
    // code reaches it through the GOT, not a 32-bit PC-relative offset.
    global.setDsoLocal(false);
    global.removeUnnamedAddrAttr();
    program.constants.push_back(
        {global.getSymName().str(), address, data->size(), alignment});
  });
}

} // namespace axon
