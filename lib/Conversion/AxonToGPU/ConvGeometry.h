//===- ConvGeometry.h - The static sizes of a conv2d ------------*- C++ -*-===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_CONVGEOMETRY_H
#define AXON_LIB_CONVERSION_AXONTOGPU_CONVGEOMETRY_H

#include "axon/Dialect/Axon/IR/AxonOps.h"

namespace axon::gpu_kernels {

/// Channel, spatial, filter and window sizes of an NCHW/FCHW conv2d whose
/// shapes are static but for the batch (callers check that first).
struct ConvGeometry {
  int64_t c, h, w, f, kh, kw, oh, ow, groups, sh, sw, dh, dw, padTop, padLeft;

  static ConvGeometry of(Conv2dOp op) {
    auto in = llvm::cast<mlir::RankedTensorType>(op.getInput().getType());
    auto filter = llvm::cast<mlir::RankedTensorType>(op.getFilter().getType());
    mlir::RankedTensorType out = op.getType();
    return {in.getDimSize(1),     in.getDimSize(2),     in.getDimSize(3),
            filter.getDimSize(0), filter.getDimSize(2), filter.getDimSize(3),
            out.getDimSize(2),    out.getDimSize(3),    static_cast<int64_t>(op.getGroups()),
            op.getStrides()[0],   op.getStrides()[1],   op.getDilations()[0],
            op.getDilations()[1], op.getPadding()[0],   op.getPadding()[1]};
  }

  /// Whether all but the batch are static (else `whyNot` says so).
  static bool isStaticButBatch(Conv2dOp op, std::string &whyNot) {
    auto in = llvm::cast<mlir::RankedTensorType>(op.getInput().getType());
    auto filter = llvm::cast<mlir::RankedTensorType>(op.getFilter().getType());
    mlir::RankedTensorType out = op.getType();
    if (filter.hasStaticShape() &&
        !mlir::ShapedType::isDynamicShape(in.getShape().drop_front()) &&
        !mlir::ShapedType::isDynamicShape(out.getShape().drop_front()))
      return true;
    whyNot = "channel, spatial or filter sizes are dynamic";
    return false;
  }
};

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_CONVGEOMETRY_H
