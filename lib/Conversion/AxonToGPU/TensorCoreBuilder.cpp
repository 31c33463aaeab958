//===- TensorCoreBuilder.cpp - Pieces of Axon's sm_90a tensor-core kernels ===//

#include "TensorCoreBuilder.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"

using namespace mlir;

namespace axon::gpu_kernels {

static Attribute workgroupSpace(MLIRContext *ctx) {
  return gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
}

Value createTmaDescriptor(ImplicitLocOpBuilder &b, Value flat, Value rows, Value cols,
                          int64_t boxRows) {
  MLIRContext *ctx = b.getContext();
  Type element = cast<MemRefType>(flat.getType()).getElementType();
  auto box = MemRefType::get({boxRows, kSwizzleElements}, element, MemRefLayoutAttrInterface(),
                             workgroupSpace(ctx));
  auto type = nvgpu::TensorMapDescriptorType::get(
      ctx, box, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_256B, nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  auto matrixType = MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, element);
  Value matrix = memref::ReinterpretCastOp::create(
      b, matrixType, flat, OpFoldResult(b.getIndexAttr(0)), ArrayRef<OpFoldResult>{rows, cols},
      ArrayRef<OpFoldResult>{cols, b.getIndexAttr(1)});
  Value unranked = memref::CastOp::create(b, UnrankedMemRefType::get(element, 0), matrix);
  return nvgpu::TmaCreateDescriptorOp::create(
             b, type, unranked, ValueRange{constIndex(b, boxRows), constIndex(b, kSwizzleElements)})
      .getResult();
}

SharedArena SharedArena::create(ImplicitLocOpBuilder &b) {
  SharedArena smem;
  smem.raw = gpu::DynamicSharedMemoryOp::create(
      b, MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), MemRefLayoutAttrInterface(),
                         workgroupSpace(b.getContext())));
  Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, smem.raw);
  smem.base = arith::AndIOp::create(b, arith::SubIOp::create(b, constIndex(b, 0), address),
                                    constIndex(b, kSwizzleAlign - 1));
  return smem;
}

Value SharedArena::at(ImplicitLocOpBuilder &b, Value offset, ArrayRef<int64_t> shape,
                      Type element) const {
  auto type = MemRefType::get(shape, element, MemRefLayoutAttrInterface(),
                              cast<MemRefType>(raw.getType()).getMemorySpace());
  return memref::ViewOp::create(b, type, raw, arith::AddIOp::create(b, base, offset),
                                ValueRange{});
}

Value wgmmaDescriptor(ImplicitLocOpBuilder &b, const SharedArena &smem, Value offset,
                      ArrayRef<int64_t> shape, Type element, Value tensorMap) {
  MLIRContext *ctx = b.getContext();
  auto type = nvgpu::WarpgroupMatrixDescriptorType::get(
      ctx, MemRefType::get(shape, element, MemRefLayoutAttrInterface(), workgroupSpace(ctx)));
  return nvgpu::WarpgroupGenerateDescriptorOp::create(b, type, smem.at(b, offset, shape, element),
                                                      tensorMap)
      .getResult();
}

Value ringParity(ImplicitLocOpBuilder &b, Value use, int64_t stages) {
  Value wraps = arith::DivUIOp::create(b, use, constIndex(b, stages));
  return arith::TruncIOp::create(b, b.getI1Type(),
                                 arith::IndexCastOp::create(b, b.getI64Type(), wraps));
}

void namedBarrier(ImplicitLocOpBuilder &b, int id, int64_t threads) {
  NVVM::BarrierOp::create(b, TypeRange{}, arith::ConstantIntOp::create(b, id, 32),
                          arith::ConstantIntOp::create(b, threads, 32),
                          NVVM::BarrierReductionAttr(), Value());
}

} // namespace axon::gpu_kernels
