//===- ElementwiseOps.cpp - ONNX elementwise operators --------------------===//

#include "ImportContext.h"
#include "TensorData.h"

#include <cmath>

#include <limits>

using namespace mlir;

namespace axon::onnx_frontend {
namespace {

Type elementOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }

template <typename OpTy> LogicalResult binary(Node &n) {
  n.setOutput(0, n.create<OpTy>(n.input(0), n.input(1)));
  return success();
}

/// Max, Min, Sum, Mean: variadic, folded left to right.
template <typename OpTy> LogicalResult variadic(Node &n) {
  Value acc = n.input(0);
  for (unsigned i = 1; i < n.numInputs(); ++i)
    acc = n.create<OpTy>(acc, n.input(i));
  n.setOutput(0, acc);
  return success();
}

LogicalResult mean(Node &n) {
  Value acc = n.input(0);
  for (unsigned i = 1; i < n.numInputs(); ++i)
    acc = n.create<AddOp>(acc, n.input(i));
  n.setOutput(0, n.create<DivOp>(acc,
                               n.scalar(elementOf(acc), n.numInputs())));
  return success();
}

/// Pow: the result has the base's type; integer powers are computed in f32.
LogicalResult pow(Node &n) {
  Value base = n.input(0), exponent = n.input(1);
  Type elem = elementOf(base);
  Type compute = isa<FloatType>(elem) ? elem : n.b().getF32Type();
  auto to = [&](Value v, Type t) -> Value {
    if (elementOf(v) == t)
      return v;
    return n.create<CastOp>(cast<RankedTensorType>(v.getType()).clone(t), v);
  };
  Value y = n.create<PowOp>(to(base, compute), to(exponent, compute));
  n.setOutput(0, to(y, elem));
  return success();
}

template <CmpPredicate P> LogicalResult compare(Node &n) {
  n.setOutput(0, n.create<CmpOp>(P, n.input(0), n.input(1)));
  return success();
}

LogicalResult where(Node &n) {
  n.setOutput(0, n.create<SelectOp>(n.input(0), n.input(1), n.input(2)));
  return success();
}

template <typename OpTy> LogicalResult unary(Node &n) {
  n.setOutput(0, n.create<OpTy>(n.input(0)));
  return success();
}

LogicalResult identity(Node &n) {
  n.setOutput(0, n.input(0));
  return success();
}

/// Inference-time Dropout: the identity, with an all-true mask.
LogicalResult dropout(Node &n) {
  // Training mode with a non-zero ratio, both known at import time, drops at
  // random: an error. Values known only at run time keep the inference
  // reading (the identity), as ONNX runtimes compiled for inference do.
  std::optional<DenseElementsAttr> training =
      n.opset() >= 12 && n.input(2) ? n.constantInput(2) : std::nullopt;
  if (training && training->getNumElements() == 1 &&
      !training->getSplatValue<APInt>().isZero()) {
    std::optional<DenseElementsAttr> ratio =
        n.input(1) ? n.constantInput(1) : std::optional<DenseElementsAttr>();
    double r = 0.5;
    if (ratio && ratio->getNumElements() == 1 && isa<FloatType>(ratio->getElementType()))
      r = ratio->getSplatValue<APFloat>().convertToDouble();
    if ((!n.input(1) || ratio) && r != 0.0)
      return n.error() << "training-mode Dropout (ratio " << r
                       << ") drops at random; Axon compiles inference graphs";
  }
  if (n.outputUsed(1)) {
    RankedTensorType type = n.inputType(0);
    if (!type.hasStaticShape())
      return n.error() << "the mask output needs a static shape";
    auto maskType = type.clone(n.b().getI1Type());
    n.setOutput(1, n.create<ConstantOp>(DenseElementsAttr::get(maskType, true)));
  }
  return identity(n);
}

/// sign(x): 1, -1 or 0 (NaN stays NaN for floats through the compare chain).
LogicalResult sign(Node &n) {
  Value x = n.input(0);
  Type e = elementOf(x);
  Value pos = n.create<CmpOp>(CmpPredicate::gt, x, n.scalar(e, 0));
  Value neg = n.create<CmpOp>(CmpPredicate::lt, x, n.scalar(e, 0));
  Value y = n.create<SelectOp>(neg, n.scalar(e, -1), n.scalar(e, 0));
  y = n.create<SelectOp>(pos, n.scalar(e, 1), y);
  if (y.getType() != x.getType())
    y = n.create<BroadcastToOp>(x.getType(), y);
  n.setOutput(0, y);
  return success();
}

/// IsInf: x == +inf (detect_positive) or x == -inf (detect_negative).
LogicalResult isInf(Node &n) {
  Value x = n.input(0);
  Type e = elementOf(x);
  if (!isa<FloatType>(e))
    return n.error() << "IsInf needs a float input";
  double inf = std::numeric_limits<double>::infinity();
  bool positive = n.intAttr("detect_positive", 1) != 0;
  bool negative = n.intAttr("detect_negative", 1) != 0;
  Value isPos = n.create<CmpOp>(CmpPredicate::eq, x, n.scalar(e, inf));
  Value isNeg = n.create<CmpOp>(CmpPredicate::eq, x, n.scalar(e, -inf));
  Value none = n.create<CmpOp>(CmpPredicate::lt, x, n.scalar(e, -inf)); // always false
  Value y = positive && negative
                ? n.create<SelectOp>(isPos, n.scalar(n.b().getI1Type(), 1), isNeg)
                : positive ? isPos : negative ? isNeg : none;
  n.setOutput(0, y);
  return success();
}

/// IsNaN: x != x (NaN is unordered with itself).
LogicalResult isNaN(Node &n) {
  Value x = n.input(0);
  if (!isa<FloatType>(elementOf(x)))
    return n.error() << "IsNaN needs a float input";
  n.setOutput(0, n.create<CmpOp>(CmpPredicate::ne, x, x));
  return success();
}

/// Shrink: x + bias below -lambd, x - bias above lambd, else 0.
LogicalResult shrink(Node &n) {
  Value x = n.input(0);
  Type e = elementOf(x);
  double lambd = n.floatAttr("lambd", 0.5f), bias = n.floatAttr("bias", 0.0f);
  Value below = n.create<CmpOp>(CmpPredicate::lt, x, n.scalar(e, -lambd));
  Value above = n.create<CmpOp>(CmpPredicate::gt, x, n.scalar(e, lambd));
  Value y = n.create<SelectOp>(below, n.create<AddOp>(x, n.scalar(e, bias)), n.scalar(e, 0));
  y = n.create<SelectOp>(above, n.create<SubOp>(x, n.scalar(e, bias)), y);
  n.setOutput(0, y);
  return success();
}

/// Mod: fmod = 1 is C's fmod (the sign of the dividend: a - trunc(a/b)*b);
/// fmod = 0 (integers only) takes the sign of the divisor, as Python's %.
LogicalResult mod(Node &n) {
  Value a = n.input(0), b = n.input(1);
  Type e = elementOf(a);
  bool cFmod = n.intAttr("fmod", 0) != 0;
  Value zero = n.scalar(e, 0);
  Value r;
  if (isa<FloatType>(e)) {
    if (!cFmod)
      return n.error() << "fmod = 0 is defined for integers only";
    Value q = n.create<DivOp>(a, b);
    Value t = n.create<SelectOp>(n.create<CmpOp>(CmpPredicate::lt, q, zero), n.create<CeilOp>(q),
                                 n.create<FloorOp>(q));
    r = n.create<SubOp>(a, n.create<MulOp>(t, b));
  } else {
    // Integer division truncates: a - (a / b) * b has the dividend's sign.
    r = n.create<SubOp>(a, n.create<MulOp>(n.create<DivOp>(a, b), b));
    if (!cFmod) {
      Value rNeg = n.create<CmpOp>(CmpPredicate::lt, r, zero);
      Value bNeg = n.create<CmpOp>(CmpPredicate::lt, b, zero);
      Value differ = n.create<CmpOp>(CmpPredicate::ne, rNeg, bNeg);
      Value nonzero = n.create<CmpOp>(CmpPredicate::ne, r, zero);
      Value fix = n.create<SelectOp>(nonzero, differ, nonzero);
      r = n.create<SelectOp>(fix, n.create<AddOp>(r, b), r);
    }
  }
  n.setOutput(0, r);
  return success();
}

LogicalResult reciprocal(Node &n) {
  Value x = n.input(0);
  n.setOutput(0, n.create<DivOp>(n.scalar(elementOf(x), 1.0), x));
  return success();
}

/// select(x < 0, negativeBranch(x), x).
LogicalResult piecewise(Node &n, llvm::function_ref<Value(Value)> negative) {
  Value x = n.input(0);
  Value isNeg = n.create<CmpOp>(CmpPredicate::lt, x,
                              n.scalar(elementOf(x), 0.0));
  n.setOutput(0, n.create<SelectOp>(isNeg, negative(x), x));
  return success();
}

LogicalResult leakyRelu(Node &n) {
  double alpha = n.floatAttr("alpha", 0.01f);
  return piecewise(n, [&](Value x) {
    return n.create<MulOp>(x, n.scalar(elementOf(x), alpha));
  });
}

LogicalResult prelu(Node &n) {
  Value slope = n.input(1);
  return piecewise(n, [&](Value x) -> Value {
    Value product = n.create<MulOp>(x, slope);
    if (product.getType() != x.getType())
      return n.create<BroadcastToOp>(x.getType(), product);
    return product;
  });
}

/// alpha * (exp(x) - 1), shared by Elu, Selu and Celu.
Value expm1Scaled(Node &n, Value x, double alpha, double divisor) {
  Type e = elementOf(x);
  Value scaled = divisor == 1.0 ? x : n.create<DivOp>(x, n.scalar(e, divisor));
  Value em1 = n.create<SubOp>(n.create<ExpOp>(scaled),
                            n.scalar(e, 1.0));
  return n.create<MulOp>(em1, n.scalar(e, alpha));
}

LogicalResult elu(Node &n) {
  double alpha = n.floatAttr("alpha", 1.0f);
  return piecewise(n, [&](Value x) { return expm1Scaled(n, x, alpha, 1.0); });
}

LogicalResult celu(Node &n) {
  double alpha = n.floatAttr("alpha", 1.0f);
  return piecewise(n, [&](Value x) { return expm1Scaled(n, x, alpha, alpha); });
}

LogicalResult selu(Node &n) {
  double alpha = n.floatAttr("alpha", 1.67326319217681884765625f);
  double gamma = n.floatAttr("gamma", 1.05070102214813232421875f);
  if (failed(piecewise(n, [&](Value x) { return expm1Scaled(n, x, alpha, 1.0); })))
    return failure();
  Value y = n.ctx.values[n.proto().output(0)];
  n.setOutput(0, n.create<MulOp>(y, n.scalar(elementOf(y), gamma)));
  return success();
}

LogicalResult thresholdedRelu(Node &n) {
  Value x = n.input(0);
  Type e = elementOf(x);
  Value keep = n.create<CmpOp>(CmpPredicate::gt, x,
                             n.scalar(e, n.floatAttr("alpha", 1.0f)));
  n.setOutput(0, n.create<SelectOp>(keep, x, n.scalar(e, 0.0)));
  return success();
}

/// max(0, min(1, alpha * x + beta)).
Value hardSigmoidOf(Node &n, Value x, double alpha, double beta) {
  Type e = elementOf(x);
  Value y = n.create<AddOp>(n.create<MulOp>(x, n.scalar(e, alpha)),
                          n.scalar(e, beta));
  return n.create<ClipOp>(y, n.b().getF64FloatAttr(0.0),
                        n.b().getF64FloatAttr(1.0));
}

LogicalResult hardSigmoid(Node &n) {
  n.setOutput(0, hardSigmoidOf(n, n.input(0), n.floatAttr("alpha", 0.2f),
                               n.floatAttr("beta", 0.5f)));
  return success();
}

LogicalResult hardSwish(Node &n) {
  Value x = n.input(0);
  n.setOutput(0, n.create<MulOp>(x, hardSigmoidOf(n, x, 1.0 / 6, 0.5)));
  return success();
}

LogicalResult softplus(Node &n) {
  Value x = n.input(0);
  Value e = n.create<ExpOp>(x);
  n.setOutput(0, n.create<LogOp>(n.create<AddOp>(e, n.scalar(elementOf(x), 1.0))));
  return success();
}

LogicalResult softsign(Node &n) {
  Value x = n.input(0);
  Value d = n.create<AddOp>(n.create<AbsOp>(x),
                          n.scalar(elementOf(x), 1.0));
  n.setOutput(0, n.create<DivOp>(x, d));
  return success();
}

LogicalResult mish(Node &n) {
  Value x = n.input(0);
  Value sp = n.create<LogOp>(n.create<AddOp>(n.create<ExpOp>(x),
                                         n.scalar(elementOf(x), 1.0)));
  n.setOutput(0, n.create<MulOp>(x, n.create<TanhOp>(sp)));
  return success();
}

LogicalResult notOp(Node &n) {
  Value x = n.input(0);
  n.setOutput(0, n.create<CmpOp>(CmpPredicate::eq, x,
                               n.scalar(n.b().getI1Type(), 0)));
  return success();
}

LogicalResult andOp(Node &n) {
  n.setOutput(0, n.create<SelectOp>(n.input(0), n.input(1),
                                  n.scalar(n.b().getI1Type(), 0)));
  return success();
}

LogicalResult orOp(Node &n) {
  n.setOutput(0, n.create<SelectOp>(n.input(0),
                                  n.scalar(n.b().getI1Type(), 1), n.input(1)));
  return success();
}

LogicalResult xorOp(Node &n) {
  n.setOutput(0, n.create<CmpOp>(CmpPredicate::ne, n.input(0), n.input(1)));
  return success();
}

/// Clip: bounds are attributes before opset 11 and optional constant inputs
/// from 11 on.
LogicalResult clip(Node &n) {
  std::optional<double> lo, hi;
  if (n.opset() < 11) {
    lo = n.hasAttr("min") ? std::optional<double>(n.floatAttr("min", 0)) : std::nullopt;
    hi = n.hasAttr("max") ? std::optional<double>(n.floatAttr("max", 0)) : std::nullopt;
  } else {
    for (unsigned i : {1u, 2u}) {
      if (!n.input(i))
        continue;
      FailureOr<double> v = n.scalarInput(i, i == 1 ? "min" : "max");
      if (failed(v))
        return failure();
      (i == 1 ? lo : hi) = *v;
    }
  }
  if (lo && hi && *lo > *hi) {
    // ONNX defines min > max as all-max.
    Value x = n.input(0);
    n.setOutput(0, n.create<BroadcastToOp>(x.getType(),
                                         n.scalar(elementOf(x), *hi)));
    return success();
  }
  auto attr = [&](std::optional<double> v) {
    return v ? n.b().getF64FloatAttr(*v) : FloatAttr();
  };
  n.setOutput(0, n.create<ClipOp>(n.input(0), attr(lo), attr(hi)));
  return success();
}

LogicalResult cast(Node &n) {
  std::string message;
  Type to = elementTypeOf(n.intAttr("to", 1), n.b().getContext(), message);
  if (!to)
    return n.error() << message;
  auto type = n.inputType(0).clone(to);
  n.setOutput(0, n.create<CastOp>(type, n.input(0)));
  return success();
}

/// CastLike: Cast to the element type of the second input.
LogicalResult castLike(Node &n) {
  auto type = n.inputType(0).clone(n.inputType(1).getElementType());
  n.setOutput(0, n.create<CastOp>(type, n.input(0)));
  return success();
}

} // namespace

void appendElementwiseImporters(std::vector<OpImporter> &t) {
  constexpr int kMax = 1000;
  t.insert(t.end(), {
      {"Add", 7, kMax, binary<AddOp>},
      {"Sub", 7, kMax, binary<SubOp>},
      {"Mul", 7, kMax, binary<MulOp>},
      {"Div", 7, kMax, binary<DivOp>},
      {"Pow", 7, kMax, pow},
      {"Max", 8, kMax, variadic<MaxOp>},
      {"Min", 8, kMax, variadic<MinOp>},
      {"Sum", 8, kMax, variadic<AddOp>},
      {"Mean", 8, kMax, mean},
      {"Equal", 7, kMax, compare<CmpPredicate::eq>},
      {"Less", 7, kMax, compare<CmpPredicate::lt>},
      {"LessOrEqual", 12, kMax, compare<CmpPredicate::le>},
      {"Greater", 7, kMax, compare<CmpPredicate::gt>},
      {"GreaterOrEqual", 12, kMax, compare<CmpPredicate::ge>},
      {"Where", 9, kMax, where},
      {"Not", 1, kMax, notOp},
      {"And", 7, kMax, andOp},
      {"Or", 7, kMax, orOp},
      {"Xor", 7, kMax, xorOp},
      {"Neg", 6, kMax, unary<NegOp>},
      {"Abs", 6, kMax, unary<AbsOp>},
      {"Exp", 6, kMax, unary<ExpOp>},
      {"Log", 6, kMax, unary<LogOp>},
      {"Sqrt", 6, kMax, unary<SqrtOp>},
      {"Tanh", 6, kMax, unary<TanhOp>},
      {"Sigmoid", 6, kMax, unary<SigmoidOp>},
      {"Relu", 6, kMax, unary<ReluOp>},
      {"Erf", 9, kMax, unary<ErfOp>},
      {"Sin", 7, kMax, unary<SinOp>},
      {"Cos", 7, kMax, unary<CosOp>},
      {"Tan", 7, kMax, unary<TanOp>},
      {"Asin", 7, kMax, unary<AsinOp>},
      {"Acos", 7, kMax, unary<AcosOp>},
      {"Atan", 7, kMax, unary<AtanOp>},
      {"Sinh", 9, kMax, unary<SinhOp>},
      {"Cosh", 9, kMax, unary<CoshOp>},
      {"Asinh", 9, kMax, unary<AsinhOp>},
      {"Acosh", 9, kMax, unary<AcoshOp>},
      {"Atanh", 9, kMax, unary<AtanhOp>},
      {"Floor", 6, kMax, unary<FloorOp>},
      {"Ceil", 6, kMax, unary<CeilOp>},
      {"Round", 11, kMax, unary<RoundOp>},
      {"Sign", 9, kMax, sign},
      {"IsInf", 10, kMax, isInf},
      {"IsNaN", 9, kMax, isNaN},
      {"Mod", 10, kMax, mod},
      {"Shrink", 9, kMax, shrink},
      {"Reciprocal", 6, kMax, reciprocal},
      {"Identity", 1, kMax, identity},
      {"Dropout", 7, kMax, dropout},
      {"LeakyRelu", 6, kMax, leakyRelu},
      {"PRelu", 7, kMax, prelu},
      {"Elu", 6, kMax, elu},
      {"Celu", 12, kMax, celu},
      {"Selu", 6, kMax, selu},
      {"ThresholdedRelu", 10, kMax, thresholdedRelu},
      {"HardSigmoid", 6, kMax, hardSigmoid},
      {"HardSwish", 14, kMax, hardSwish},
      {"Softplus", 1, kMax, softplus},
      {"Softsign", 1, kMax, softsign},
      {"Mish", 18, kMax, mish},
      {"Clip", 6, kMax, clip},
      {"Cast", 6, kMax, cast},
      {"CastLike", 15, kMax, castLike},
  });
}

} // namespace axon::onnx_frontend
