//===- Passes.td - Axon dialect transformations ------------*- tablegen -*-===//

#ifndef AXON_DIALECT_AXON_TRANSFORMS_PASSES_TD
#define AXON_DIALECT_AXON_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AxonFuse : Pass<"axon-fuse", "::mlir::func::FuncOp"> {
  let summary = "Recognize decomposed patterns and fuse epilogues in the axon dialect";
  let description = [{
    Rewrites the forms exporters emit into single axon ops, and groups work
    into the forms the code generator handles best (docs/Patterns.md):

    - matmul + bias add -> matmul with `bias`; + relu/gelu/sigmoid/tanh/clip/
      silu -> matmul with `activation`; the same for conv2d;
    - a transpose of the last two dims feeding a matmul -> its transpose flag;
    - decomposed layer norm (with scale and bias), RMS norm (with scale),
      GELU (erf and tanh forms), softmax (max-subtracted), SiLU;
    - scaled dot-product attention -> `axon.attention`.

    Every pattern checks its preconditions (shapes, axes, splat constants, and
    that the intermediates it removes have no other users). The axon
    canonicalization patterns run alongside. With `fast-math`, rewrites that
    may change results also apply: `x * 0 -> 0`, `x + 0.0 -> x`, and
    `exp(x) / sum(exp(x)) -> softmax(x)` (which no longer overflows).
  }];
  let options = [
    Option<"fastMath", "fast-math", "bool", /*default=*/"false",
           "Also apply rewrites that may change results (NaN/Inf, signed zeros, overflow)">
  ];
  let dependentDialects = ["::axon::AxonDialect"];
}

def AxonInsertRuntimeChecks
    : Pass<"axon-insert-runtime-checks", "::mlir::ModuleOp"> {
  let summary = "Check the shape rules of dynamic dimensions when the program runs";
  let description = [{
    The verifiers check every shape rule that static sizes decide. For an
    axon op whose rule involves a `?` dimension (elementwise broadcasting,
    matmul contraction and batch sizes, conv channels and windows, pooling
    windows, concat, broadcast_to, reflect/edge padding, gather from an
    empty axis, reshape element counts, norm parameters, attention), this
    pass inserts the comparison before the op and, when it fails, a call to
    `axonRuntimeCheckFailed(const char *message, int64_t got, int64_t
    expected)`. The message names the op, its location and the dimensions;
    `{0}` and `{1}` in it stand for the two sizes. The function must not
    return: axon-run's runtime ends the run with an error. Programs without
    dynamic shapes are unchanged.

    A dynamic dimension never broadcasts at run time: only a static 1
    stretches, and a `?` must equal the size it meets.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // AXON_DIALECT_AXON_TRANSFORMS_PASSES_TD
