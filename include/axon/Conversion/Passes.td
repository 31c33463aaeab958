//===- Passes.td - Axon conversion passes ------------------*- tablegen -*-===//

#ifndef AXON_CONVERSION_PASSES_TD
#define AXON_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAxonToLinalg : Pass<"convert-axon-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lower every axon op to linalg, tensor, arith and math";
  let description = [{
    Rewrites each axon op into named linalg ops where they exist (matmul,
    batch_matmul, conv_2d_nchw_fchw, conv_2d_ngchw_gfchw, pooling_nchw_max/sum,
    transpose, reduce, fill), linalg.generic otherwise, tensor ops for
    reshape/slice/pad/concat and math for transcendental functions. Dynamic
    dimensions are read with tensor.dim. Attention is first decomposed into
    axon ops. An op that cannot be lowered gets an error naming it, its types
    and the reason, and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // AXON_CONVERSION_PASSES_TD
