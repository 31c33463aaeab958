//===- Elementwise.cpp - Elementwise axon ops to linalg.generic -----------===//
//
// Every elementwise op becomes one linalg.generic whose indexing maps carry
// the broadcasting; f16/bf16 arithmetic is computed in f32.
//
//===----------------------------------------------------------------------===//

#include "axon/Dialect/Axon/Utils/IntegerBounds.h"
#include "axon/Conversion/AxonToLinalg/LoweringUtils.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace axon {
namespace {

template <typename FloatOp, typename IntOp>
Value arithmetic(OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0].getType()))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

/// Division with Axon's defined integer semantics: x / 0 = 0 and
/// INT_MIN / -1 = INT_MIN (wrapping), where hardware would trap (SIGFPE on
/// the CPU) or give an arbitrary value (the GPU). The folder agrees.
Value divide(OpBuilder &b, Location loc, ValueRange args) {
  Value n = args[0], d = args[1];
  Type type = n.getType();
  if (isFloat(type))
    return arith::DivFOp::create(b, loc, n, d);
  unsigned width = type.getIntOrFloatBitWidth();
  auto constant = [&](const APInt &v) -> Value {
    return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
  };
  Value zero = constant(APInt(width, 0)), one = constant(APInt(width, 1));
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, zero);
  Value overflow = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, n,
                            constant(APInt::getSignedMinValue(width))),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d,
                            constant(APInt::getAllOnes(width))));
  Value unsafe = arith::OrIOp::create(b, loc, isZero, overflow);
  Value safe = arith::SelectOp::create(b, loc, unsafe, one, d);
  Value quotient = arith::DivSIOp::create(b, loc, n, safe);
  return arith::SelectOp::create(b, loc, isZero, zero, quotient);
}

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = scalarConstant(b, loc, x.getType(), 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

Value gelu(OpBuilder &b, Location loc, Value x, GeluApproximation approx) {
  Type t = x.getType();
  Value half = scalarConstant(b, loc, t, 0.5);
  Value one = scalarConstant(b, loc, t, 1.0);
  Value inner;
  if (approx == GeluApproximation::none) {
    Value scaled = arith::MulFOp::create(b, loc, x,
                                         scalarConstant(b, loc, t, M_SQRT1_2));
    inner = math::ErfOp::create(b, loc, scaled);
  } else {
    // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
    Value x3 = arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(b, loc, scalarConstant(b, loc, t, 0.044715), x3));
    Value k = scalarConstant(b, loc, t, std::sqrt(2.0 / M_PI));
    inner = math::TanhOp::create(b, loc, arith::MulFOp::create(b, loc, k, poly));
  }
  Value onePlus = arith::AddFOp::create(b, loc, one, inner);
  return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                               onePlus);
}

Value compare(OpBuilder &b, Location loc, CmpPredicate pred, Value lhs,
              Value rhs) {
  // Indexed by CmpPredicate: eq, ne, lt, le, gt, ge.
  unsigned i = static_cast<unsigned>(pred);
  if (isFloat(lhs.getType())) {
    // Ordered comparisons: false on NaN, except `ne` which is true.
    static constexpr arith::CmpFPredicate kFloat[] = {
        arith::CmpFPredicate::OEQ, arith::CmpFPredicate::UNE,
        arith::CmpFPredicate::OLT, arith::CmpFPredicate::OLE,
        arith::CmpFPredicate::OGT, arith::CmpFPredicate::OGE};
    return arith::CmpFOp::create(b, loc, kFloat[i], lhs, rhs);
  }
  // i1 compares unsigned (false < true); i32/i64 signed.
  static constexpr arith::CmpIPredicate kSigned[] = {
      arith::CmpIPredicate::eq,  arith::CmpIPredicate::ne,
      arith::CmpIPredicate::slt, arith::CmpIPredicate::sle,
      arith::CmpIPredicate::sgt, arith::CmpIPredicate::sge};
  static constexpr arith::CmpIPredicate kUnsigned[] = {
      arith::CmpIPredicate::eq,  arith::CmpIPredicate::ne,
      arith::CmpIPredicate::ult, arith::CmpIPredicate::ule,
      arith::CmpIPredicate::ugt, arith::CmpIPredicate::uge};
  bool isBool = lhs.getType().isInteger(1);
  return arith::CmpIOp::create(b, loc, isBool ? kUnsigned[i] : kSigned[i], lhs,
                               rhs);
}

/// min(max(x, lo), hi); integer bounds round inward and saturate.
Value clamp(OpBuilder &b, Location l, Value x, std::optional<double> lo,
            std::optional<double> hi) {
  Type t = x.getType();
  auto bound = [&](double v, bool isLower) {
    if (isFloat(t))
      return scalarConstant(b, l, t, v);
    int64_t i = integerClipBound(v, t.getIntOrFloatBitWidth(), isLower);
    return arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, i)).getResult();
  };
  if (lo)
    x = combine(b, l, ReductionKind::Max, x, bound(*lo, true));
  if (hi)
    x = combine(b, l, ReductionKind::Min, x, bound(*hi, false));
  return x;
}

} // namespace

Value applyActivation(OpBuilder &b, Location loc, Value x, Activation activation,
                      std::optional<double> lo, std::optional<double> hi) {
  Type type = x.getType();
  auto inF32 = [&](ScalarFn fn) { return computeInF32(b, loc, x, type, fn); };
  switch (activation) {
  case Activation::none:
    return x;
  case Activation::relu:
    return combine(b, loc, ReductionKind::Max, x, scalarConstant(b, loc, type, 0));
  case Activation::clip:
    return clamp(b, loc, x, lo, hi);
  case Activation::gelu:
  case Activation::gelu_tanh:
    return inF32([&](OpBuilder &nb, Location l, ValueRange a) {
      return gelu(nb, l, a[0],
                  activation == Activation::gelu ? GeluApproximation::none
                                                 : GeluApproximation::tanh);
    });
  case Activation::sigmoid:
    return inF32([](OpBuilder &nb, Location l, ValueRange a) {
      return sigmoid(nb, l, a[0]);
    });
  case Activation::tanh:
    return inF32([](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return math::TanhOp::create(nb, l, a[0]);
    });
  case Activation::silu:
    return inF32([](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return arith::MulFOp::create(nb, l, a[0], sigmoid(nb, l, a[0]));
    });
  }
  llvm_unreachable("unknown activation");
}

/// Converts a scalar between any two axon element types.
Value castScalar(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    return isFloat(from)
               ? arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero)
                     .getResult()
               : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero)
                     .getResult();
  }
  bool fromBool = from.isInteger(1);
  if (isFloat(from) && isFloat(to)) {
    // f16 <-> bf16 goes through f32.
    if (from.getIntOrFloatBitWidth() == to.getIntOrFloatBitWidth())
      x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    if (x.getType().getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    return arith::TruncFOp::create(b, loc, to, x);
  }
  if (isFloat(from))
    return arith::FPToSIOp::create(b, loc, to, x);
  if (isFloat(to))
    return fromBool ? arith::UIToFPOp::create(b, loc, to, x).getResult()
                    : arith::SIToFPOp::create(b, loc, to, x).getResult();
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return fromBool ? arith::ExtUIOp::create(b, loc, to, x).getResult()
                    : arith::ExtSIOp::create(b, loc, to, x).getResult();
  return arith::TruncIOp::create(b, loc, to, x);
}

LogicalResult lowerElementwiseOp(RewriterBase &rewriter, Operation *op) {
  Location loc = op->getLoc();
  rewriter.setInsertionPoint(op);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Type elem = resultType.getElementType();

  // Unary/binary float math, computed in f32 for f16/bf16.
  auto emitMath = [&](ScalarFn fn) {
    return buildElementwise(
        rewriter, loc, op->getOperands(), resultType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return computeInF32(b, l, args, elem, fn);
        });
  };
  auto unaryFloat = [&](auto tag) {
    using MathOp = decltype(tag);
    return emitMath([](OpBuilder &b, Location l, ValueRange a) -> Value {
      return MathOp::create(b, l, a[0]);
    });
  };

  Value result =
      llvm::TypeSwitch<Operation *, Value>(op)
          .Case([&](ConstantOp c) -> Value {
            return arith::ConstantOp::create(rewriter, loc, c.getValueAttr());
          })
          .Case([&](AddOp) { return emitMath(arithmetic<arith::AddFOp, arith::AddIOp>); })
          .Case([&](SubOp) { return emitMath(arithmetic<arith::SubFOp, arith::SubIOp>); })
          .Case([&](MulOp) { return emitMath(arithmetic<arith::MulFOp, arith::MulIOp>); })
          .Case([&](DivOp) { return emitMath(divide); })
          .Case([&](MaxOp) { return emitMath(arithmetic<arith::MaximumFOp, arith::MaxSIOp>); })
          .Case([&](MinOp) { return emitMath(arithmetic<arith::MinimumFOp, arith::MinSIOp>); })
          .Case([&](PowOp) {
            return emitMath([](OpBuilder &b, Location l, ValueRange a) -> Value {
              return math::PowFOp::create(b, l, a[0], a[1]);
            });
          })
          .Case([&](CmpOp cmp) {
            return buildElementwise(
                rewriter, loc, op->getOperands(), resultType,
                [&](OpBuilder &b, Location l, ValueRange a) {
                  return compare(b, l, cmp.getPredicate(), a[0], a[1]);
                });
          })
          .Case([&](SelectOp) {
            return buildElementwise(
                rewriter, loc, op->getOperands(), resultType,
                [](OpBuilder &b, Location l, ValueRange a) -> Value {
                  return arith::SelectOp::create(b, l, a[0], a[1], a[2]);
                });
          })
          .Case([&](NegOp) {
            return emitMath([](OpBuilder &b, Location l, ValueRange a) -> Value {
              if (isFloat(a[0].getType()))
                return arith::NegFOp::create(b, l, a[0]);
              return arith::SubIOp::create(
                  b, l, scalarConstant(b, l, a[0].getType(), 0), a[0]);
            });
          })
          .Case([&](AbsOp) {
            return emitMath([](OpBuilder &b, Location l, ValueRange a) -> Value {
              if (isFloat(a[0].getType()))
                return math::AbsFOp::create(b, l, a[0]);
              Value zero = scalarConstant(b, l, a[0].getType(), 0);
              Value negative = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::slt, a[0], zero);
              return arith::SelectOp::create(
                  b, l, negative, arith::SubIOp::create(b, l, zero, a[0]), a[0]);
            });
          })
          .Case([&](ExpOp) { return unaryFloat(math::ExpOp()); })
          .Case([&](LogOp) { return unaryFloat(math::LogOp()); })
          .Case([&](SqrtOp) { return unaryFloat(math::SqrtOp()); })
          .Case([&](RsqrtOp) {
            // 1 / sqrt: math.rsqrt has no libm counterpart on the CPU.
            return emitMath([](OpBuilder &b, Location l, ValueRange a) -> Value {
              return arith::DivFOp::create(
                  b, l, scalarConstant(b, l, a[0].getType(), 1.0),
                  math::SqrtOp::create(b, l, a[0]));
            });
          })
          .Case([&](TanhOp) { return unaryFloat(math::TanhOp()); })
          .Case([&](ErfOp) { return unaryFloat(math::ErfOp()); })
          .Case([&](SinOp) { return unaryFloat(math::SinOp()); })
          .Case([&](CosOp) { return unaryFloat(math::CosOp()); })
          .Case([&](TanOp) { return unaryFloat(math::TanOp()); })
          .Case([&](AsinOp) { return unaryFloat(math::AsinOp()); })
          .Case([&](AcosOp) { return unaryFloat(math::AcosOp()); })
          .Case([&](AtanOp) { return unaryFloat(math::AtanOp()); })
          .Case([&](SinhOp) { return unaryFloat(math::SinhOp()); })
          .Case([&](CoshOp) { return unaryFloat(math::CoshOp()); })
          .Case([&](AsinhOp) { return unaryFloat(math::AsinhOp()); })
          .Case([&](AcoshOp) { return unaryFloat(math::AcoshOp()); })
          .Case([&](AtanhOp) { return unaryFloat(math::AtanhOp()); })
          .Case([&](FloorOp) { return unaryFloat(math::FloorOp()); })
          .Case([&](CeilOp) { return unaryFloat(math::CeilOp()); })
          .Case([&](RoundOp) { return unaryFloat(math::RoundEvenOp()); })
          .Case([&](SigmoidOp) {
            return emitMath([](OpBuilder &b, Location l, ValueRange a) {
              return sigmoid(b, l, a[0]);
            });
          })
          .Case([&](ReluOp) {
            return emitMath([](OpBuilder &b, Location l, ValueRange a) {
              return combine(b, l, ReductionKind::Max, a[0],
                             scalarConstant(b, l, a[0].getType(), 0));
            });
          })
          .Case([&](GeluOp g) {
            return emitMath([&](OpBuilder &b, Location l, ValueRange a) {
              return gelu(b, l, a[0], g.getApproximate());
            });
          })
          .Case([&](ClipOp c) {
            std::optional<double> lo, hi;
            if (c.getMin())
              lo = c.getMin()->convertToDouble();
            if (c.getMax())
              hi = c.getMax()->convertToDouble();
            return emitMath([&](OpBuilder &b, Location l, ValueRange a) {
              return clamp(b, l, a[0], lo, hi);
            });
          })
          .Case([&](SiluOp) {
            return emitMath([](OpBuilder &b, Location l, ValueRange a) -> Value {
              return arith::MulFOp::create(b, l, a[0], sigmoid(b, l, a[0]));
            });
          })
          .Case([&](CastOp) {
            return buildElementwise(
                rewriter, loc, op->getOperands(), resultType,
                [&](OpBuilder &b, Location l, ValueRange a) {
                  return castScalar(b, l, a[0], elem);
                });
          })
          .Case([&](BroadcastToOp) {
            return buildElementwise(
                rewriter, loc, op->getOperands(), resultType,
                [](OpBuilder &, Location, ValueRange a) { return a[0]; });
          })
          .Default([](Operation *) { return Value(); });
  return replaceWithLowered(rewriter, op, result);
}

} // namespace axon
