//===- KernelBuilder.cpp - Shared pieces of Axon's GPU kernels ------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace axon::gpu_kernels {

Value constIndex(ImplicitLocOpBuilder &b, int64_t value) {
  return arith::ConstantIndexOp::create(b, value);
}

Value constFloat(ImplicitLocOpBuilder &b, Type type, double value) {
  return arith::ConstantOp::create(b, type, b.getFloatAttr(type, value));
}

Value ceilDiv(ImplicitLocOpBuilder &b, Value a, int64_t divisor) {
  return arith::CeilDivUIOp::create(b, a, constIndex(b, divisor));
}

Value dimSize(ImplicitLocOpBuilder &b, Value tensor, int64_t dim) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(dim))
    return constIndex(b, type.getDimSize(dim));
  return tensor::DimOp::create(b, tensor, dim);
}

Value numElements(ImplicitLocOpBuilder &b, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.hasStaticShape())
    return constIndex(b, type.getNumElements());
  Value n = constIndex(b, 1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    n = arith::MulIOp::create(b, n, dimSize(b, tensor, d));
  return n;
}

/// Collapses an identity-layout buffer to 1-D (rank 0 expands to 1 element).
static Value flatten(ImplicitLocOpBuilder &b, Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getRank() == 1)
    return buffer;
  if (type.getRank() == 0)
    return memref::ExpandShapeOp::create(
        b, MemRefType::get({1}, type.getElementType()), buffer,
        ArrayRef<ReassociationIndices>{}, ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  // The collapsed size is dynamic whenever any dim is, even next to a static
  // 0 (the verifier insists), else the product.
  int64_t size = type.hasStaticShape() ? type.getNumElements() : ShapedType::kDynamic;
  auto flatType = MemRefType::get({size}, type.getElementType());
  return memref::CollapseShapeOp::create(b, flatType, buffer,
                                         ArrayRef<ReassociationIndices>{all});
}

Value flatBuffer(ImplicitLocOpBuilder &b, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = bufferization::ToBufferOp::create(b, memrefType, tensor,
                                                   /*read_only=*/true);
  return flatten(b, buffer);
}

std::pair<Value, Value> allocResult(ImplicitLocOpBuilder &b, Value like, Type element) {
  auto type = cast<RankedTensorType>(like.getType());
  SmallVector<Value> dynamic;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamic.push_back(dimSize(b, like, d));
  return allocResult(b, RankedTensorType::get(type.getShape(), element), dynamic);
}

std::pair<Value, Value> allocResult(ImplicitLocOpBuilder &b, RankedTensorType type,
                                    ValueRange dynamic) {
  Type element = type.getElementType();
  auto memrefType = MemRefType::get(type.getShape(), element);
  Value buffer = memref::AllocOp::create(b, memrefType, dynamic);
  Value tensor = bufferization::ToTensorOp::create(
      b, RankedTensorType::get(type.getShape(), element), buffer,
      b.getUnitAttr(), b.getUnitAttr());
  return {tensor, flatten(b, buffer)};
}

gpu::LaunchOp buildLaunch(ImplicitLocOpBuilder &b, Value gridX, Value gridY, Value gridZ,
                          int64_t threads, ArrayRef<Type> workgroupBuffers,
                          StringRef strategy, DictionaryAttr config,
                          int64_t dynamicSharedBytes) {
  Value one = constIndex(b, 1);
  Value dynamicShared;
  if (dynamicSharedBytes > 0)
    dynamicShared = arith::ConstantIntOp::create(b, dynamicSharedBytes, 32);
  auto launch = gpu::LaunchOp::create(b, gridX, gridY, gridZ, constIndex(b, threads),
                                      one, one, dynamicShared,
                                      /*asyncTokenType=*/nullptr, ValueRange{},
                                      workgroupBuffers);
  launch->setAttr(kStrategyAttr, b.getStringAttr(strategy));
  if (config)
    launch->setAttr(kConfigAttr, config);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(b);
  b.setInsertionPoint(terminator);
  return launch;
}

Value buildItemLaunch(ImplicitLocOpBuilder &b, Value total, int64_t threads,
                      StringRef strategy, DictionaryAttr config, gpu::LaunchOp *launchOut) {
  Value one = constIndex(b, 1);
  gpu::LaunchOp launch =
      buildLaunch(b, ceilDiv(b, total, threads), one, one, threads, {}, strategy, config);
  if (launchOut)
    *launchOut = launch;
  Value item = arith::AddIOp::create(
      b, arith::MulIOp::create(b, launch.getBlockIds().x, constIndex(b, threads)),
      launch.getThreadIds().x);
  auto guard = scf::IfOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, item, total), false);
  b.setInsertionPointToStart(guard.thenBlock());
  return item;
}

MemRefType workgroupBuffer(MLIRContext *ctx, int64_t n, Type element) {
  return MemRefType::get({n}, element, MemRefLayoutAttrInterface(),
                         gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
}

Type computeTypeFor(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return element;
}

Value convertFloat(ImplicitLocOpBuilder &b, Value value, Type elementType) {
  Type from = getElementTypeOrSelf(value.getType());
  if (from == elementType)
    return value;
  Type to = elementType;
  if (auto vec = dyn_cast<VectorType>(value.getType()))
    to = VectorType::get(vec.getShape(), elementType);
  if (elementType.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, to, value);
  return arith::TruncFOp::create(b, to, value);
}

Value loadElement(ImplicitLocOpBuilder &b, Value buffer, Value index, Type computeType) {
  Value v = memref::LoadOp::create(b, buffer, ValueRange{index});
  return convertFloat(b, v, computeType);
}

/// Vector accesses to device buffers are aligned to their full width: Axon's
/// kernels only issue them at element indices that are multiples of the
/// width, and device allocations are 256-byte aligned. Saying so lets the
/// backend emit one 16-byte access (ld.global.v4) instead of four.
static llvm::MaybeAlign vectorAlignment(Value buffer, VectorType type) {
  if (cast<MemRefType>(buffer.getType()).getMemorySpace())
    return {};
  return llvm::Align(type.getNumElements() *
                     std::max<int64_t>(1, type.getElementTypeBitWidth() / 8));
}

Value loadVector(ImplicitLocOpBuilder &b, Value buffer, Value index, int64_t width,
                 Type computeType) {
  if (width == 1)
    return loadElement(b, buffer, index, computeType);
  Type element = cast<MemRefType>(buffer.getType()).getElementType();
  auto type = VectorType::get({width}, element);
  Value v = vector::LoadOp::create(b, type, buffer, ValueRange{index},
                                   /*nontemporal=*/false, vectorAlignment(buffer, type));
  return convertFloat(b, v, computeType);
}

void storeValue(ImplicitLocOpBuilder &b, Value value, Value buffer, Value index) {
  Type element = cast<MemRefType>(buffer.getType()).getElementType();
  value = convertFloat(b, value, element);
  if (auto type = dyn_cast<VectorType>(value.getType()))
    vector::StoreOp::create(b, value, buffer, ValueRange{index}, /*nontemporal=*/false,
                            vectorAlignment(buffer, type));
  else
    memref::StoreOp::create(b, value, buffer, ValueRange{index});
}

SmallVector<Value> blockAllReduce(ImplicitLocOpBuilder &b, ArrayRef<Value> values,
                                  ArrayRef<Value> scratch, Value threadId,
                                  int64_t threads, const Combine &combine) {
  SmallVector<Value> acc(values);
  auto shuffleAll = [&](int32_t offset) {
    SmallVector<Value> other;
    for (Value v : acc)
      other.push_back(
          gpu::ShuffleOp::create(b, v, offset, kWarpSize, gpu::ShuffleMode::XOR)
              .getShuffleResult());
    acc = combine(b, acc, other);
  };
  for (int32_t offset = kWarpSize / 2; offset > 0; offset /= 2)
    shuffleAll(offset);
  int64_t warps = threads / kWarpSize;
  if (warps == 1)
    return acc;
  // Lane 0 of each warp publishes its warp's result; after the barrier every
  // thread combines the partials (few: at most 32), so all get the result.
  Value warp = arith::DivUIOp::create(b, threadId, constIndex(b, kWarpSize));
  Value lane = arith::RemUIOp::create(b, threadId, constIndex(b, kWarpSize));
  Value isLeader = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, lane,
                                         constIndex(b, 0));
  auto ifOp = scf::IfOp::create(b, isLeader, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    for (auto [v, buf] : llvm::zip(acc, scratch))
      memref::StoreOp::create(b, v, buf, ValueRange{warp});
  }
  gpu::BarrierOp::create(b);
  SmallVector<Value> result;
  for (Value buf : scratch)
    result.push_back(memref::LoadOp::create(b, buf, ValueRange{constIndex(b, 0)}));
  for (int64_t w = 1; w < warps; ++w) {
    SmallVector<Value> partial;
    for (Value buf : scratch)
      partial.push_back(memref::LoadOp::create(b, buf, ValueRange{constIndex(b, w)}));
    result = combine(b, result, partial);
  }
  // The scratch may be reused by the next reduction.
  gpu::BarrierOp::create(b);
  return result;
}

} // namespace axon::gpu_kernels
