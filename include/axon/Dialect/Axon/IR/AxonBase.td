//===- AxonBase.td - Axon dialect, type constraints, enums --*- tablegen -*-===//

#ifndef AXON_DIALECT_AXON_IR_AXONBASE_TD
#define AXON_DIALECT_AXON_IR_AXONBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Axon_Dialect : Dialect {
  let name = "axon";
  let cppNamespace = "::axon";
  let summary = "Machine-learning tensor operations on builtin tensors";
  let description = [{
    The `axon` dialect models the operations of machine-learning graphs
    (matmul, convolution, pooling, activations, normalizations, attention,
    broadcasting elementwise arithmetic, reductions and shape manipulation) on
    builtin ranked tensors with static or dynamic (`?`) dimensions.

    Every op is side-effect free, verifies its operands and attributes, and
    infers its result type, so IR can be written without result types and
    built from C++ without computing shapes by hand.
  }];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Element type and tensor constraints
//===----------------------------------------------------------------------===//

def Axon_Float : AnyTypeOf<[F32, F64, F16, BF16], "floating-point (f32, f64, f16, bf16)">;
def Axon_Int : AnyTypeOf<[I32, I64], "integer (i32, i64)">;
def Axon_Numeric : AnyTypeOf<[F32, F64, F16, BF16, I32, I64],
                             "numeric (f32, f64, f16, bf16, i32, i64)">;
def Axon_AnyElement : AnyTypeOf<[F32, F64, F16, BF16, I32, I64, I1],
                                "element (f32, f64, f16, bf16, i32, i64, i1)">;

def Axon_FloatTensor : RankedTensorOf<[Axon_Float]>;
def Axon_IntTensor : RankedTensorOf<[Axon_Int]>;
def Axon_NumericTensor : RankedTensorOf<[Axon_Numeric]>;
def Axon_BoolTensor : RankedTensorOf<[I1]>;
def Axon_Tensor : RankedTensorOf<[Axon_AnyElement]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Axon_CmpPredicate : I32EnumAttr<"CmpPredicate", "comparison predicate", [
    I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
    I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
    I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::axon";
}

def Axon_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "GELU formula: exact (erf) or the tanh approximation", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>]> {
  let cppNamespace = "::axon";
}

def Axon_Activation : I32EnumAttr<"Activation",
    "elementwise function applied to a matmul or convolution result", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"relu", 1>,
    I32EnumAttrCase<"gelu", 2>, I32EnumAttrCase<"gelu_tanh", 3>,
    I32EnumAttrCase<"sigmoid", 4>, I32EnumAttrCase<"tanh", 5>,
    I32EnumAttrCase<"clip", 6>, I32EnumAttrCase<"silu", 7>]> {
  let cppNamespace = "::axon";
}

def Axon_PadMode : I32EnumAttr<"PadMode", "how padded elements are filled", [
    I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
    I32EnumAttrCase<"edge", 2>]> {
  let cppNamespace = "::axon";
}

//===----------------------------------------------------------------------===//
// Base op classes
//===----------------------------------------------------------------------===//

class Axon_Op<string mnemonic, list<Trait> traits = []>
    : Op<Axon_Dialect, mnemonic, !listconcat([Pure], traits)>;

#endif // AXON_DIALECT_AXON_IR_AXONBASE_TD
