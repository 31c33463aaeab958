//===- FusePatterns.td - Declarative axon fusion patterns --*- tablegen -*-===//
//
// The fusions that are plain tree matches live here, in DRR; those that need
// shape reasoning or several users are C++ (FuseEpilogues.cpp,
// FuseDecomposed.cpp, FuseAttention.cpp).
//
//===----------------------------------------------------------------------===//

include "axon/Dialect/Axon/IR/AxonOps.td"
include "mlir/IR/PatternBase.td"

def HasOneUse : Constraint<CPred<"$0.hasOneUse()">, "has one use">;

// x * sigmoid(x) and sigmoid(x) * x -> silu(x); the sigmoid goes away, so it
// must have no other user.
def FuseSiluRhs : Pat<(Axon_MulOp $x, (Axon_SigmoidOp:$s $x)),
                      (Axon_SiluOp $x), [(HasOneUse $s)]>;
def FuseSiluLhs : Pat<(Axon_MulOp (Axon_SigmoidOp:$s $x), $x),
                      (Axon_SiluOp $x), [(HasOneUse $s)]>;
