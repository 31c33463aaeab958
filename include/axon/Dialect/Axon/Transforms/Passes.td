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

#endif // AXON_DIALECT_AXON_TRANSFORMS_PASSES_TD
