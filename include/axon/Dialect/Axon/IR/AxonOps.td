//===- AxonOps.td - Axon dialect operations -----------------*- tablegen -*-===//

#ifndef AXON_DIALECT_AXON_IR_AXONOPS_TD
#define AXON_DIALECT_AXON_IR_AXONOPS_TD

include "axon/Dialect/Axon/IR/AxonBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Op classes
//===----------------------------------------------------------------------===//

// An op whose result type is computed by a C++ shape rule. The rules live in
// AxonOps.cpp and share the helpers of axon/Dialect/Axon/Utils/ShapeUtils.h.
class Axon_InferredOp<string mnemonic, list<Trait> traits = []>
    : Axon_Op<mnemonic, !listconcat([InferTypeOpAdaptor], traits)>;

class Axon_UnaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Axon_Op<mnemonic, !listconcat([SameOperandsAndResultType], traits)> {
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

// Elementwise binary op with numpy-style broadcasting of `lhs` and `rhs`.
class Axon_BinaryOp<string mnemonic, Type tensorType, string formula>
    : Axon_InferredOp<mnemonic> {
  let summary = "elementwise " # formula # " with broadcasting";
  let description = [{
    Computes `result = }] # formula # [{` elementwise. `lhs` and `rhs` must
    have the same element type; their shapes broadcast numpy-style (aligned
    from the right, a dimension of size 1 stretches to match the other).
    A dynamic dimension broadcast against a static size `n > 1` becomes `n`.

    Example:
    ```mlir
    %0 = axon.}] # mnemonic # [{ %a, %b : tensor<4x3xf32>, tensor<3xf32>
    // %0 : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasFolder = 1;
}

// Reduction of `input` over `axes`.
class Axon_ReduceOp<string mnemonic, Type tensorType, string what>
    : Axon_InferredOp<mnemonic> {
  let summary = what # " over the given axes";
  let description = [{
    Reduces `input` by }] # what # [{ over `axes`, which must be strictly
    increasing and within `[0, rank)`. Reduced dimensions are dropped, or kept
    with size 1 when `keep_dims` is set. An empty `axes` list reduces nothing.

    Example:
    ```mlir
    %0 = axon.}] # mnemonic # [{ %x axes = [1] keep_dims : tensor<2x3xf32>
    // %0 : tensor<2x1xf32>
    ```
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keep_dims);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keep_dims` $keep_dims^)? attr-dict `:` type($input)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

class Axon_SoftmaxLikeOp<string mnemonic, string formula>
    : Axon_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = formula # " along one axis";
  let description = [{
    Computes `}] # formula # [{` of `input` along `axis` (in `[0, rank)`).

    Example:
    ```mlir
    %0 = axon.}] # mnemonic # [{ %x axis = 1 : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

class Axon_Pool2dOp<string mnemonic, string what, dag extraArgs, string extraFormat>
    : Axon_InferredOp<mnemonic> {
  let summary = "2-D " # what # " pooling over NCHW input";
  let description = [{
    Slides a `kernel_shape` window over the H and W dimensions of an NCHW
    `input` with `strides` and `dilations` (both default 1), after padding by
    `padding = [top, left, bottom, right]` (default 0; each must be smaller
    than the kernel extent). With `ceil_mode` the output size rounds up:
    `out = round((in + pad_begin + pad_end - dilation*(k-1) - 1) / stride) + 1`.
  }] # what # [{ pooling.

    Example:
    ```mlir
    %0 = axon.}] # mnemonic # [{ %x kernel = [2, 2] strides = [2, 2] : tensor<1x3x8x8xf32>
    // %0 : tensor<1x3x4x4xf32>
    ```
  }];
  let arguments = !con((ins Axon_FloatTensor:$input,
      DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      UnitAttr:$ceil_mode), extraArgs);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel_shape (`strides` `=` $strides^)?
    (`padding` `=` $padding^)? (`dilations` `=` $dilations^)?
    (`ceil_mode` $ceil_mode^)? }] # extraFormat # [{ attr-dict `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Axon_ConstantOp : Axon_InferredOp<"constant", [ConstantLike]> {
  let summary = "a constant tensor";
  let description = [{
    Produces the tensor held by `value`, a dense or dense-resource elements
    attribute of a supported element type.

    Example:
    ```mlir
    %0 = axon.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary, comparison and select
//===----------------------------------------------------------------------===//

def Axon_AddOp : Axon_BinaryOp<"add", Axon_NumericTensor, "lhs + rhs">;
def Axon_SubOp : Axon_BinaryOp<"sub", Axon_NumericTensor, "lhs - rhs">;
def Axon_MulOp : Axon_BinaryOp<"mul", Axon_NumericTensor, "lhs * rhs">;
def Axon_DivOp : Axon_BinaryOp<"div", Axon_NumericTensor,
    "lhs / rhs (integers truncate toward zero; x / 0 is 0 and INT_MIN / -1 is INT_MIN, not a trap)">;
def Axon_PowOp : Axon_BinaryOp<"pow", Axon_FloatTensor, "pow(lhs, rhs)">;
def Axon_MaxOp : Axon_BinaryOp<"max", Axon_NumericTensor, "max(lhs, rhs)">;
def Axon_MinOp : Axon_BinaryOp<"min", Axon_NumericTensor, "min(lhs, rhs)">;

def Axon_CmpOp : Axon_InferredOp<"cmp"> {
  let summary = "elementwise comparison with broadcasting";
  let description = [{
    Compares `lhs` and `rhs` elementwise with `predicate` (`eq`, `ne`, `lt`,
    `le`, `gt`, `ge`) and yields an `i1` tensor of their broadcast shape.
    Floating-point comparisons are ordered: any comparison with NaN is false,
    except `ne`, which is true.

    Example:
    ```mlir
    %0 = axon.cmp lt, %a, %b : tensor<4xf32>, tensor<4xf32>
    // %0 : tensor<4xi1>
    ```
  }];
  let arguments = (ins Axon_CmpPredicate:$predicate, Axon_Tensor:$lhs,
                       Axon_Tensor:$rhs);
  let results = (outs Axon_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)
  }];
  let hasFolder = 1;
}

def Axon_SelectOp : Axon_InferredOp<"select"> {
  let summary = "elementwise choice between two tensors with broadcasting";
  let description = [{
    Yields `true_value` where `condition` is true and `false_value` elsewhere.
    All three shapes broadcast together.

    Example:
    ```mlir
    %0 = axon.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<1xf32>
    ```
  }];
  let arguments = (ins Axon_BoolTensor:$condition, Axon_Tensor:$true_value,
                       Axon_Tensor:$false_value);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    type($condition) `,` type($true_value) `,` type($false_value)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

def Axon_NegOp : Axon_UnaryOp<"neg", Axon_NumericTensor> {
  let summary = "elementwise negation";
  let description = "Computes `-input`. Example: `%0 = axon.neg %x : tensor<4xf32>`.";
}
def Axon_AbsOp : Axon_UnaryOp<"abs", Axon_NumericTensor> {
  let summary = "elementwise absolute value";
  let description = "Computes `|input|`. Example: `%0 = axon.abs %x : tensor<4xi32>`.";
}
def Axon_ExpOp : Axon_UnaryOp<"exp", Axon_FloatTensor> {
  let summary = "elementwise natural exponential";
  let description = "Computes `e^input`. Example: `%0 = axon.exp %x : tensor<4xf32>`.";
}
def Axon_LogOp : Axon_UnaryOp<"log", Axon_FloatTensor> {
  let summary = "elementwise natural logarithm";
  let description = "Computes `ln(input)`. Example: `%0 = axon.log %x : tensor<4xf32>`.";
}
def Axon_SqrtOp : Axon_UnaryOp<"sqrt", Axon_FloatTensor> {
  let summary = "elementwise square root";
  let description = "Computes `sqrt(input)`. Example: `%0 = axon.sqrt %x : tensor<4xf32>`.";
}
def Axon_RsqrtOp : Axon_UnaryOp<"rsqrt", Axon_FloatTensor> {
  let summary = "elementwise reciprocal square root";
  let description = "Computes `1 / sqrt(input)`. Example: `%0 = axon.rsqrt %x : tensor<4xf32>`.";
}
def Axon_TanhOp : Axon_UnaryOp<"tanh", Axon_FloatTensor> {
  let summary = "elementwise hyperbolic tangent";
  let description = "Computes `tanh(input)`. Example: `%0 = axon.tanh %x : tensor<4xf32>`.";
}
def Axon_SigmoidOp : Axon_UnaryOp<"sigmoid", Axon_FloatTensor> {
  let summary = "elementwise logistic sigmoid";
  let description = "Computes `1 / (1 + e^-input)`. Example: `%0 = axon.sigmoid %x : tensor<4xf32>`.";
}
def Axon_ReluOp : Axon_UnaryOp<"relu", Axon_NumericTensor> {
  let summary = "elementwise rectified linear unit";
  let description = "Computes `max(input, 0)`. Example: `%0 = axon.relu %x : tensor<4xf32>`.";
}
def Axon_ErfOp : Axon_UnaryOp<"erf", Axon_FloatTensor> {
  let summary = "elementwise Gauss error function";
  let description = "Computes `erf(input)`. Example: `%0 = axon.erf %x : tensor<4xf32>`.";
}

def Axon_SinOp : Axon_UnaryOp<"sin", Axon_FloatTensor> {
  let summary = "elementwise sine";
  let description = "Computes sin(input). Example: `%0 = axon.sin %x : tensor<4xf32>`.";
}
def Axon_CosOp : Axon_UnaryOp<"cos", Axon_FloatTensor> {
  let summary = "elementwise cosine";
  let description = "Computes cos(input). Example: `%0 = axon.cos %x : tensor<4xf32>`.";
}
def Axon_TanOp : Axon_UnaryOp<"tan", Axon_FloatTensor> {
  let summary = "elementwise tangent";
  let description = "Computes tan(input). Example: `%0 = axon.tan %x : tensor<4xf32>`.";
}
def Axon_AsinOp : Axon_UnaryOp<"asin", Axon_FloatTensor> {
  let summary = "elementwise arcsine";
  let description = "Computes asin(input). Example: `%0 = axon.asin %x : tensor<4xf32>`.";
}
def Axon_AcosOp : Axon_UnaryOp<"acos", Axon_FloatTensor> {
  let summary = "elementwise arccosine";
  let description = "Computes acos(input). Example: `%0 = axon.acos %x : tensor<4xf32>`.";
}
def Axon_AtanOp : Axon_UnaryOp<"atan", Axon_FloatTensor> {
  let summary = "elementwise arctangent";
  let description = "Computes atan(input). Example: `%0 = axon.atan %x : tensor<4xf32>`.";
}
def Axon_SinhOp : Axon_UnaryOp<"sinh", Axon_FloatTensor> {
  let summary = "elementwise hyperbolic sine";
  let description = "Computes sinh(input). Example: `%0 = axon.sinh %x : tensor<4xf32>`.";
}
def Axon_CoshOp : Axon_UnaryOp<"cosh", Axon_FloatTensor> {
  let summary = "elementwise hyperbolic cosine";
  let description = "Computes cosh(input). Example: `%0 = axon.cosh %x : tensor<4xf32>`.";
}
def Axon_AsinhOp : Axon_UnaryOp<"asinh", Axon_FloatTensor> {
  let summary = "elementwise inverse hyperbolic sine";
  let description = "Computes asinh(input). Example: `%0 = axon.asinh %x : tensor<4xf32>`.";
}
def Axon_AcoshOp : Axon_UnaryOp<"acosh", Axon_FloatTensor> {
  let summary = "elementwise inverse hyperbolic cosine";
  let description = "Computes acosh(input). Example: `%0 = axon.acosh %x : tensor<4xf32>`.";
}
def Axon_AtanhOp : Axon_UnaryOp<"atanh", Axon_FloatTensor> {
  let summary = "elementwise inverse hyperbolic tangent";
  let description = "Computes atanh(input). Example: `%0 = axon.atanh %x : tensor<4xf32>`.";
}
def Axon_FloorOp : Axon_UnaryOp<"floor", Axon_FloatTensor> {
  let summary = "elementwise floor";
  let description = "Computes the largest integer not above input. Example: `%0 = axon.floor %x : tensor<4xf32>`.";
}
def Axon_CeilOp : Axon_UnaryOp<"ceil", Axon_FloatTensor> {
  let summary = "elementwise ceiling";
  let description = "Computes the smallest integer not below input. Example: `%0 = axon.ceil %x : tensor<4xf32>`.";
}
def Axon_RoundOp : Axon_UnaryOp<"round", Axon_FloatTensor> {
  let summary = "elementwise round half to even";
  let description = "Computes input rounded to the nearest integer, ties to even. Example: `%0 = axon.round %x : tensor<4xf32>`.";
}

def Axon_SiluOp : Axon_UnaryOp<"silu", Axon_FloatTensor> {
  let summary = "elementwise sigmoid linear unit (swish)";
  let description = "Computes `input * sigmoid(input)`. Example: `%0 = axon.silu %x : tensor<4xf32>`.";
}

def Axon_GeluOp : Axon_Op<"gelu", [SameOperandsAndResultType]> {
  let summary = "elementwise Gaussian error linear unit";
  let description = [{
    With `approximate = none` (the default) computes the exact
    `0.5 * x * (1 + erf(x / sqrt(2)))`; with `approximate = tanh` computes
    `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))`.

    Example:
    ```mlir
    %0 = axon.gelu %x approximate = tanh : tensor<4xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input,
      DefaultValuedAttr<Axon_GeluApproximation,
                        "::axon::GeluApproximation::none">:$approximate);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`approximate` `=` $approximate^)? attr-dict `:` type($input)
  }];
  let hasFolder = 1;
}

def Axon_ClipOp : Axon_Op<"clip", [SameOperandsAndResultType]> {
  let summary = "elementwise clamp to [min, max]";
  let description = [{
    Clamps `input` to `[min, max]`; a missing bound does not clamp.
    `min` must not exceed `max`.

    Example:
    ```mlir
    %0 = axon.clip %x min = 0.0 max = 6.0 : tensor<4xf32>
    ```
  }];
  let arguments = (ins Axon_NumericTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let results = (outs Axon_NumericTensor:$result);
  let assemblyFormat = [{
    $input (`min` `=` $min^)? (`max` `=` $max^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Axon_CastOp : Axon_Op<"cast"> {
  let summary = "elementwise element type conversion";
  let description = [{
    Converts each element to the result's element type; the shape is unchanged.
    Float to integer rounds toward zero; to `i1` yields `x != 0`.

    Example:
    ```mlir
    %0 = axon.cast %x : tensor<4xf32> to tensor<4xf16>
    ```
  }];
  let arguments = (ins Axon_Tensor:$input);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contractions, convolution and pooling
//===----------------------------------------------------------------------===//

def Axon_MatmulOp : Axon_InferredOp<"matmul"> {
  let summary = "matrix product, batched with broadcast batch dimensions, with an optional bias and activation epilogue";
  let description = [{
    Multiplies `lhs` (`[..., M, K]`, or `[..., K, M]` with `transpose_lhs`) by
    `rhs` (`[..., K, N]`, or `[..., N, K]` with `transpose_rhs`). Both operands
    have rank >= 2 and the same element type; the leading batch dimensions
    broadcast numpy-style. The result is `[batch..., M, N]`.

    The optional epilogue, usually formed by `axon-fuse`, adds the `[N]`
    `bias` to every row and then applies `activation` (`relu`, `gelu`,
    `gelu_tanh`, `sigmoid`, `tanh`, `silu`, or `clip` to
    `[clip_min, clip_max]`), all in the same kernel.

    Example:
    ```mlir
    %0 = axon.matmul %a, %b transpose_rhs : tensor<8x16x32xf32>, tensor<64x32xf32>
    // %0 : tensor<8x16x64xf32>
    %1 = axon.matmul %x, %w bias(%b : tensor<64xf32>) activation = relu
        : tensor<8x32xf32>, tensor<32x64xf32>
    ```
  }];
  let arguments = (ins Axon_NumericTensor:$lhs, Axon_NumericTensor:$rhs,
      Optional<Axon_NumericTensor>:$bias, UnitAttr:$transpose_lhs,
      UnitAttr:$transpose_rhs,
      DefaultValuedAttr<Axon_Activation, "::axon::Activation::none">:$activation,
      OptionalAttr<F64Attr>:$clip_min, OptionalAttr<F64Attr>:$clip_max);
  let results = (outs Axon_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`transpose_lhs` $transpose_lhs^)? (`transpose_rhs` $transpose_rhs^)?
    (`activation` `=` $activation^)? (`clip_min` `=` $clip_min^)?
    (`clip_max` `=` $clip_max^)? attr-dict `:` type($lhs) `,` type($rhs)
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs,
                   CArg<"bool", "false">:$transposeLhs,
                   CArg<"bool", "false">:$transposeRhs), [{
      build($_builder, $_state, lhs, rhs, /*bias=*/::mlir::Value(),
            transposeLhs, transposeRhs, ::axon::Activation::none,
            /*clip_min=*/nullptr, /*clip_max=*/nullptr);
    }]>
  ];
}

def Axon_Conv2dOp : Axon_InferredOp<"conv2d"> {
  let summary = "2-D convolution, NCHW input and FCHW filter, with an optional bias and activation";
  let description = [{
    Convolves an `[N, C, H, W]` `input` with an `[F, C/groups, KH, KW]`
    `filter`, adding the optional `[F]` `bias`. `padding` is
    `[top, left, bottom, right]`; `strides` and `dilations` are `[h, w]`.
    `C` and `F` must both be multiples of `groups`. The output is
    `[N, F, OH, OW]` with `OH = (H + top + bottom - dh*(KH-1) - 1) / sh + 1`.
    `activation` (as for `matmul`, usually formed by `axon-fuse`) applies to
    the biased result.

    Example:
    ```mlir
    %0 = axon.conv2d %x, %w bias(%b : tensor<8xf32>) strides = [2, 2]
        padding = [1, 1, 1, 1] : tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>
    // %0 : tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input, Axon_FloatTensor:$filter,
      Optional<Axon_FloatTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      DefaultValuedAttr<Axon_Activation, "::axon::Activation::none">:$activation,
      OptionalAttr<F64Attr>:$clip_min, OptionalAttr<F64Attr>:$clip_max);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`strides` `=` $strides^)? (`padding` `=` $padding^)?
    (`dilations` `=` $dilations^)? (`groups` `=` $groups^)?
    (`activation` `=` $activation^)? (`clip_min` `=` $clip_min^)?
    (`clip_max` `=` $clip_max^)? attr-dict `:` type($input) `,` type($filter)
  }];
  let hasVerifier = 1;
}

def Axon_MaxPool2dOp : Axon_Pool2dOp<"max_pool2d", "max", (ins), "">;
def Axon_AvgPool2dOp : Axon_Pool2dOp<"avg_pool2d",
    "average (padded elements are counted only with `count_include_pad`)",
    (ins UnitAttr:$count_include_pad),
    "(`count_include_pad` $count_include_pad^)?">;

def Axon_GlobalAvgPoolOp : Axon_InferredOp<"global_avg_pool"> {
  let summary = "mean over all spatial dimensions";
  let description = [{
    Averages an `[N, C, D1, ..., Dk]` input (rank >= 3) over its spatial
    dimensions, keeping them with size 1.

    Example:
    ```mlir
    %0 = axon.global_avg_pool %x : tensor<1x64x7x7xf32>
    // %0 : tensor<1x64x1x1xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Axon_ReduceSumOp : Axon_ReduceOp<"reduce_sum", Axon_NumericTensor, "the sum">;
def Axon_ReduceMaxOp : Axon_ReduceOp<"reduce_max", Axon_NumericTensor, "the maximum">;
def Axon_ReduceMinOp : Axon_ReduceOp<"reduce_min", Axon_NumericTensor, "the minimum">;
def Axon_ReduceMeanOp : Axon_ReduceOp<"reduce_mean", Axon_FloatTensor, "the mean">;
def Axon_ReduceProdOp : Axon_ReduceOp<"reduce_prod", Axon_NumericTensor, "the product">;

def Axon_ArgmaxOp : Axon_InferredOp<"argmax"> {
  let summary = "index of the maximum along one axis";
  let description = [{
    Returns, as `i64`, the index of the first maximal element along `axis`
    (in `[0, rank)`); the axis is dropped, or kept with size 1 when
    `keep_dims` is set.

    Example:
    ```mlir
    %0 = axon.argmax %x axis = 1 : tensor<2x10xf32>
    // %0 : tensor<2xi64>
    ```
  }];
  let arguments = (ins Axon_NumericTensor:$input, I64Attr:$axis,
                       UnitAttr:$keep_dims);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`keep_dims` $keep_dims^)? attr-dict `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// Softmax, normalization and attention
//===----------------------------------------------------------------------===//

def Axon_SoftmaxOp : Axon_SoftmaxLikeOp<"softmax", "exp(x) / sum(exp(x))">;
def Axon_LogSoftmaxOp : Axon_SoftmaxLikeOp<"log_softmax", "x - log(sum(exp(x)))">;

def Axon_LayerNormOp : Axon_Op<"layer_norm",
    [AttrSizedOperandSegments, AllTypesMatch<["input", "result"]>]> {
  let summary = "layer normalization over the given axes";
  let description = [{
    Normalizes `input` to zero mean and unit variance over `axes` (strictly
    increasing, in `[0, rank)`): `(x - mean) / sqrt(var + epsilon)`, then
    multiplies by `scale` and adds `bias` when given. `scale` and `bias` have
    the shape of the normalized dimensions.

    Example:
    ```mlir
    %0 = axon.layer_norm %x scale(%g : tensor<64xf32>) bias(%b : tensor<64xf32>)
        axes = [2] epsilon = 1.0e-05 : tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input,
      Optional<Axon_FloatTensor>:$scale, Optional<Axon_FloatTensor>:$bias,
      DenseI64ArrayAttr:$axes,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`scale` `(` $scale^ `:` type($scale) `)`)?
    (`bias` `(` $bias^ `:` type($bias) `)`)? `axes` `=` $axes
    (`epsilon` `=` $epsilon^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def Axon_RmsNormOp : Axon_Op<"rms_norm",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "root-mean-square normalization over the given axes";
  let description = [{
    Computes `x / sqrt(mean(x^2 over axes) + epsilon)`, then multiplies by
    `scale` when given. `axes` are strictly increasing in `[0, rank)`; `scale`
    has the shape of the normalized dimensions.

    Example:
    ```mlir
    %0 = axon.rms_norm %x scale(%g : tensor<64xf32>) axes = [2] epsilon = 1.0e-06
        : tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input,
      Optional<Axon_FloatTensor>:$scale, DenseI64ArrayAttr:$axes,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`scale` `(` $scale^ `:` type($scale) `)`)? `axes` `=` $axes
    (`epsilon` `=` $epsilon^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def Axon_BatchNormOp : Axon_Op<"batch_norm",
    [AllTypesMatch<["input", "result"]>,
     AllTypesMatch<["scale", "bias", "mean", "variance"]>]> {
  let summary = "batch normalization with running statistics (inference)";
  let description = [{
    Computes `scale * (x - mean) / sqrt(variance + epsilon) + bias` per channel
    of an `[N, C, ...]` input (rank >= 2); the four parameters are `[C]`.

    Example:
    ```mlir
    %0 = axon.batch_norm %x, %s, %b, %m, %v epsilon = 1.0e-05
        : tensor<1x8x4x4xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$input, Axon_FloatTensor:$scale,
      Axon_FloatTensor:$bias, Axon_FloatTensor:$mean,
      Axon_FloatTensor:$variance,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance
    (`epsilon` `=` $epsilon^)? attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def Axon_AttentionOp : Axon_InferredOp<"attention"> {
  let summary = "scaled dot-product attention";
  let description = [{
    Computes `softmax(query · keyᵀ · scale + mask) · value` with
    `query : [B..., Lq, D]`, `key : [B..., Lk, D]`, `value : [B..., Lk, Dv]`
    (all of the same rank >= 2, batch dimensions broadcast). The result is
    `[B..., Lq, Dv]`. `scale` defaults to `1/sqrt(D)`. The optional `mask`
    broadcasts to `[B..., Lq, Lk]`: an `i1` mask keeps the positions where it is
    true, a float mask (of the query's element type) is added to the scores.
    `causal` masks out key positions after the query position.

    Example:
    ```mlir
    %0 = axon.attention %q, %k, %v causal
        : tensor<2x8x128x64xf16>, tensor<2x8x128x64xf16>, tensor<2x8x128x64xf16>
    ```
  }];
  let arguments = (ins Axon_FloatTensor:$query, Axon_FloatTensor:$key,
      Axon_FloatTensor:$value, Optional<Axon_Tensor>:$mask,
      OptionalAttr<F64Attr>:$scale, UnitAttr:$causal);
  let results = (outs Axon_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`scale` `=` $scale^)? (`causal` $causal^)? attr-dict `:`
    type($query) `,` type($key) `,` type($value)
  }];
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Axon_TransposeOp : Axon_InferredOp<"transpose"> {
  let summary = "permutes the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`; `perm` is a permutation
    of `[0, rank)`.

    Example:
    ```mlir
    %0 = axon.transpose %x perm = [1, 0] : tensor<2x3xf32>
    // %0 : tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Axon_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = "$input `perm` `=` $perm attr-dict `:` type($input)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Axon_ReshapeOp : Axon_InferredOp<"reshape"> {
  let summary = "reinterprets a tensor with a new shape";
  let description = [{
    Returns the elements of `input`, in row-major order, with the shape
    `new_shape`. At most one entry may be `-1`: that dimension is inferred
    from the element count (it is dynamic when the input has a dynamic
    dimension). Other entries must be >= 0, and static element counts must
    match.

    Example:
    ```mlir
    %0 = axon.reshape %x to [4, -1] : tensor<2x3x4xf32>
    // %0 : tensor<4x6xf32>
    ```
  }];
  let arguments = (ins Axon_Tensor:$input, DenseI64ArrayAttr:$new_shape);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = "$input `to` $new_shape attr-dict `:` type($input)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Axon_BroadcastToOp : Axon_Op<"broadcast_to"> {
  let summary = "broadcasts a tensor to a larger shape";
  let description = [{
    Broadcasts `input` numpy-style to the result type, which has the same
    element type and a rank at least as large. Aligned from the right, each
    input dimension is 1 or equal to the result dimension. A dynamic result
    dimension must come from the same dynamic input dimension.

    Example:
    ```mlir
    %0 = axon.broadcast_to %x : tensor<3xf32> to tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Axon_Tensor:$input);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Axon_ConcatOp : Axon_InferredOp<"concat"> {
  let summary = "concatenates tensors along one axis";
  let description = [{
    Joins one or more tensors of the same rank and element type along `axis`;
    all other dimensions must agree.

    Example:
    ```mlir
    %0 = axon.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x5xf32>
    // %0 : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Axon_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` type($inputs)";
  let hasFolder = 1;
}

def Axon_SliceOp : Axon_InferredOp<"slice"> {
  let summary = "strided slice with Python semantics";
  let description = [{
    For each dimension `d`, takes `input[starts[d]:ends[d]:steps[d]]` with
    Python's rules: negative indices count from the end, indices are clamped to
    the dimension, and a negative step walks backwards. `starts`, `ends` and
    `steps` have one entry per dimension; steps are non-zero.

    Example:
    ```mlir
    %0 = axon.slice %x starts = [0, 1] ends = [2, -1] steps = [1, 2]
        : tensor<2x8xf32>
    // %0 : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Axon_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = [{
    $input `starts` `=` $starts `ends` `=` $ends `steps` `=` $steps attr-dict
    `:` type($input)
  }];
  let hasFolder = 1;
}

def Axon_GatherOp : Axon_InferredOp<"gather"> {
  let summary = "gathers slices along one axis by index";
  let description = [{
    Selects entries of `data` along `axis` with the integer `indices` (negative
    indices count from the end). The result shape is
    `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.

    Example:
    ```mlir
    %0 = axon.gather %table[%ids] axis = 0 : tensor<1000x64xf32>, tensor<2x16xi64>
    // %0 : tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Axon_Tensor:$data, Axon_IntTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` `axis` `=` $axis attr-dict `:` type($data) `,`
    type($indices)
  }];
}

def Axon_PadOp : Axon_InferredOp<"pad"> {
  let summary = "pads a tensor at both ends of every dimension";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d` (both
    non-negative, one entry per dimension). `mode` fills them with `value`
    (`constant`, the default), a mirror of the interior (`reflect`, which needs
    each pad smaller than its dimension) or the nearest edge element (`edge`).

    Example:
    ```mlir
    %0 = axon.pad %x low = [0, 1] high = [0, 2] value = -1.0 : tensor<2x3xf32>
    // %0 : tensor<2x6xf32>
    ```
  }];
  let arguments = (ins Axon_Tensor:$input, DenseI64ArrayAttr:$low,
      DenseI64ArrayAttr:$high,
      DefaultValuedAttr<Axon_PadMode, "::axon::PadMode::constant">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Axon_Tensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high (`mode` `=` $mode^)?
    (`value` `=` $value^)? attr-dict `:` type($input)
  }];
}

#endif // AXON_DIALECT_AXON_IR_AXONOPS_TD
