//===- RuntimeChecks.cpp - Check dynamic shapes when the program runs -----===//
//
// The verifiers prove everything static shapes allow; a `?` dimension is
// only known when the program runs. Before each axon op whose shape rules
// involve a dynamic size, this pass inserts the comparison and, on failure, a
// call to `axonRuntimeCheckFailed(message, got, expected)`, which does not
// return (axon-run turns it into an error naming the op and the sizes).
// Without these checks a mismatch reads out of bounds.
//
// Dynamic dimensions never broadcast at run time (as in torch-mlir and
// IREE): a `?` that meets another size must equal it; only a static 1
// stretches.
//
//===----------------------------------------------------------------------===//

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

namespace axon {
#define GEN_PASS_DEF_AXONINSERTRUNTIMECHECKS
#include "axon/Dialect/Axon/Transforms/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace axon {
namespace {

constexpr llvm::StringLiteral kCheckFailedFn = "axonRuntimeCheckFailed";

/// One dimension of a named operand.
struct Dim {
  Value tensor;
  int64_t index;
  StringRef name;

  int64_t staticSize() const {
    return cast<RankedTensorType>(tensor.getType()).getDimSize(index);
  }
  bool isDynamic() const { return ShapedType::isDynamic(staticSize()); }
  std::string describe() const {
    return ("dimension " + Twine(index) + " of '" + name + "'").str();
  }
};

/// Emits the checks of one op, just before it.
class CheckEmitter {
public:
  CheckEmitter(Operation *op, func::FuncOp failFn, ModuleOp module,
               unsigned &messageCount)
      : op(op), failFn(failFn), module(module), messageCount(messageCount),
        b(op) {}

  /// The size of `d` as i64 (a constant when static).
  Value size(const Dim &d) {
    if (!d.isDynamic())
      return constant(d.staticSize());
    Value dim = tensor::DimOp::create(b, op->getLoc(), d.tensor, d.index);
    return arith::IndexCastOp::create(b, op->getLoc(), b.getI64Type(), dim);
  }

  Value constant(int64_t v) {
    return arith::ConstantOp::create(b, op->getLoc(), b.getI64IntegerAttr(v));
  }

  Value numElements(Value tensor) {
    auto type = cast<RankedTensorType>(tensor.getType());
    Value n = constant(1);
    for (int64_t d = 0; d < type.getRank(); ++d)
      n = arith::MulIOp::create(b, op->getLoc(), n, size({tensor, d, ""}));
    return n;
  }

  /// Fails with `message` ({0} and {1} become `got` and `expected`) unless
  /// `ok` holds.
  void require(Value ok, Value got, Value expected, const Twine &message) {
    Location loc = op->getLoc();
    Value failed = arith::XOrIOp::create(
        b, loc, ok, arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
    auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value text = messageGlobal(message);
    func::CallOp::create(b, loc, failFn, ValueRange{text, got, expected});
  }

  /// `a` must equal `b` at run time (emitted only if one is dynamic).
  void requireEqual(const Dim &a, const Dim &ref, StringRef why = "") {
    if (!a.isDynamic() && !ref.isDynamic())
      return;
    Value got = size(a), expected = size(ref);
    Value ok = arith::CmpIOp::create(b, op->getLoc(), arith::CmpIPredicate::eq,
                                     got, expected);
    require(ok, got, expected,
            a.describe() + " has size {0} at run time, but " + ref.describe() +
                " has size {1}" + why);
  }

  /// Numpy broadcasting of `operands` aligned from the right; a dynamic
  /// size must equal the others (it does not stretch).
  void requireBroadcastable(ArrayRef<std::pair<Value, StringRef>> operands) {
    int64_t rank = 0;
    for (auto [v, name] : operands)
      rank = std::max(rank, cast<RankedTensorType>(v.getType()).getRank());
    for (int64_t p = 0; p < rank; ++p) {
      SmallVector<Dim> contributors;
      for (auto [v, name] : operands) {
        int64_t r = cast<RankedTensorType>(v.getType()).getRank();
        int64_t d = p - (rank - r);
        if (d >= 0 && cast<RankedTensorType>(v.getType()).getDimSize(d) != 1)
          contributors.push_back({v, d, name});
      }
      // The reference: a static size if there is one, else the first.
      const Dim *ref = nullptr;
      for (const Dim &d : contributors)
        if (!ref || (ref->isDynamic() && !d.isDynamic()))
          ref = &d;
      for (const Dim &d : contributors)
        if (&d != ref && d.isDynamic())
          requireEqual(d, *ref, " (a dynamic dimension does not broadcast)");
    }
  }

private:
  /// A NUL-terminated constant holding "<op> at <loc>: <message>".
  Value messageGlobal(const Twine &message) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "'" << op->getName() << "'";
    if (auto fileLoc = dyn_cast<FileLineColLoc>(op->getLoc()))
      os << " at " << fileLoc.getFilename().getValue() << ":"
         << fileLoc.getLine() << ":" << fileLoc.getColumn();
    os << ": " << message;
    text.push_back('\0');

    auto global = [&] {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      auto type = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
      std::string name = ("__axon_check_" + Twine(messageCount++)).str();
      return LLVM::GlobalOp::create(b, op->getLoc(), type, /*isConstant=*/true,
                                    LLVM::Linkage::Internal, name,
                                    b.getStringAttr(text));
    }();
    return LLVM::AddressOfOp::create(b, op->getLoc(), global);
  }

  Operation *op;
  func::FuncOp failFn;
  ModuleOp module;
  unsigned &messageCount;
  OpBuilder b;
};

void checkMatmul(MatmulOp mm, CheckEmitter &c) {
  Value lhs = mm.getLhs(), rhs = mm.getRhs();
  int64_t lr = mm.getLhs().getType().getRank(), rr = mm.getRhs().getType().getRank();
  Dim lhsK{lhs, mm.getTransposeLhs() ? lr - 2 : lr - 1, "lhs"};
  Dim rhsK{rhs, mm.getTransposeRhs() ? rr - 1 : rr - 2, "rhs"};
  c.requireEqual(rhsK, lhsK, " (the contraction sizes differ)");
  // Batch dimensions, aligned from the right; only a static 1 stretches.
  int64_t batchRank = std::max(lr, rr) - 2;
  for (int64_t p = 0; p < batchRank; ++p) {
    int64_t ld = p - (batchRank - (lr - 2)), rd = p - (batchRank - (rr - 2));
    if (ld < 0 || rd < 0)
      continue;
    Dim l{lhs, ld, "lhs"}, r{rhs, rd, "rhs"};
    if (l.staticSize() == 1 || r.staticSize() == 1)
      continue;
    c.requireEqual(r, l, " (a dynamic batch dimension does not broadcast)");
  }
  if (Value bias = mm.getBias()) {
    int64_t br = cast<RankedTensorType>(bias.getType()).getRank();
    Dim n{rhs, mm.getTransposeRhs() ? rr - 2 : rr - 1, "rhs"};
    Dim m{lhs, mm.getTransposeLhs() ? lr - 1 : lr - 2, "lhs"};
    Dim biasN{bias, br - 1, "bias"};
    if (biasN.staticSize() != 1)
      c.requireEqual(biasN, n);
    if (br >= 2) {
      Dim biasM{bias, br - 2, "bias"};
      if (biasM.staticSize() != 1)
        c.requireEqual(biasM, m);
    }
  }
}

/// A window of extent dilation * (k - 1) + 1 must fit in the padded input.
void requireWindowFits(CheckEmitter &c, Value input, int64_t dim, int64_t kernel,
                       int64_t dilation, int64_t padBegin, int64_t padEnd,
                       StringRef name, OpBuilder &b, Location loc) {
  Dim d{input, dim, name};
  if (!d.isDynamic())
    return;
  Value padded = arith::AddIOp::create(b, loc, c.size(d), c.constant(padBegin + padEnd));
  Value extent = c.constant(dilation * (kernel - 1) + 1);
  Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, padded, extent);
  c.require(ok, padded, extent,
            d.describe() + " padded to {0} at run time is smaller than the "
                           "window extent {1}");
}

template <typename PoolOp>
void checkPool(PoolOp pool, CheckEmitter &c) {
  OpBuilder b(pool);
  ArrayRef<int64_t> k = pool.getKernelShape(), dil = pool.getDilations(),
                    pad = pool.getPadding();
  for (int64_t i = 0; i < 2; ++i)
    requireWindowFits(c, pool.getInput(), 2 + i, k[i], dil[i], pad[i], pad[i + 2],
                      "input", b, pool.getLoc());
}

void checkConv(Conv2dOp conv, CheckEmitter &c) {
  OpBuilder b(conv);
  Value input = conv.getInput(), filter = conv.getFilter();
  int64_t groups = conv.getGroups();
  Dim channels{input, 1, "input"}, filterChannels{filter, 1, "filter"};
  if (channels.isDynamic() || filterChannels.isDynamic()) {
    Value got = c.size(channels);
    Value expected = arith::MulIOp::create(b, conv.getLoc(), c.size(filterChannels),
                                           c.constant(groups));
    Value ok = arith::CmpIOp::create(b, conv.getLoc(), arith::CmpIPredicate::eq,
                                     got, expected);
    c.require(ok, got, expected,
              channels.describe() + " has {0} channels at run time, but the "
                                    "filter expects {1}");
  }
  if (Value bias = conv.getBias())
    c.requireEqual({bias, 0, "bias"}, {filter, 0, "filter"});
  ArrayRef<int64_t> dil = conv.getDilations(), pad = conv.getPadding();
  auto filterType = conv.getFilter().getType();
  for (int64_t i = 0; i < 2; ++i) {
    int64_t kernel = filterType.getDimSize(2 + i);
    if (ShapedType::isDynamic(kernel))
      continue;
    requireWindowFits(c, input, 2 + i, kernel, dil[i], pad[i], pad[i + 2], "input",
                      b, conv.getLoc());
  }
}

void checkConcat(ConcatOp concat, CheckEmitter &c) {
  auto inputs = concat.getInputs();
  int64_t rank = cast<RankedTensorType>(inputs.front().getType()).getRank();
  SmallVector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i)
    names.push_back(("inputs[" + Twine(i) + "]").str());
  for (int64_t d = 0; d < rank; ++d) {
    if (d == concat.getAxis())
      continue;
    const Dim *ref = nullptr;
    SmallVector<Dim> dims;
    for (auto [i, v] : llvm::enumerate(inputs))
      dims.push_back({v, d, names[i]});
    for (const Dim &dim : dims)
      if (!ref || (ref->isDynamic() && !dim.isDynamic()))
        ref = &dim;
    for (const Dim &dim : dims)
      if (&dim != ref)
        c.requireEqual(dim, *ref);
  }
}

void checkBroadcastTo(BroadcastToOp op, CheckEmitter &c) {
  auto inType = op.getInput().getType();
  auto outType = op.getType();
  int64_t offset = outType.getRank() - inType.getRank();
  for (int64_t d = 0; d < inType.getRank(); ++d) {
    Dim in{op.getInput(), d, "input"};
    int64_t target = outType.getDimSize(d + offset);
    if (!in.isDynamic() || ShapedType::isDynamic(target))
      continue;
    OpBuilder b(op);
    Value got = c.size(in), expected = c.constant(target);
    Value ok = arith::CmpIOp::create(b, op.getLoc(), arith::CmpIPredicate::eq, got,
                                     expected);
    c.require(ok, got, expected,
              in.describe() + " has size {0} at run time; broadcasting it to {1} "
                              "needs exactly that size (a dynamic dimension "
                              "does not broadcast)");
  }
}

void checkPad(PadOp pad, CheckEmitter &c) {
  if (pad.getMode() == PadMode::constant)
    return;
  OpBuilder b(pad);
  Location loc = pad.getLoc();
  bool reflect = pad.getMode() == PadMode::reflect;
  for (auto [d, low, high] : llvm::enumerate(pad.getLow(), pad.getHigh())) {
    Dim in{pad.getInput(), static_cast<int64_t>(d), "input"};
    int64_t widest = std::max(low, high);
    if (!in.isDynamic() || widest == 0)
      continue;
    // reflect needs widest < size; edge needs a non-empty dimension.
    Value got = c.size(in), least = c.constant(reflect ? widest + 1 : 1);
    Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, got, least);
    c.require(ok, got, least,
              in.describe() + " has size {0} at run time; " +
                  (reflect ? "'reflect'" : "'edge'") +
                  " padding by " + Twine(widest) + " needs at least {1}");
  }
}

void checkGather(GatherOp gather, CheckEmitter &c) {
  Dim axis{gather.getData(), static_cast<int64_t>(gather.getAxis()), "data"};
  if (!axis.isDynamic())
    return;
  OpBuilder b(gather);
  Location loc = gather.getLoc();
  Value count = c.numElements(gather.getIndices());
  Value got = c.size(axis);
  Value zero = c.constant(0);
  Value nonEmpty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, got, zero);
  Value noIndices = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count, zero);
  Value ok = arith::OrIOp::create(b, loc, nonEmpty, noIndices);
  c.require(ok, got, count,
            axis.describe() + " is empty at run time but {1} indices gather from it");
}

void checkReshape(ReshapeOp reshape, CheckEmitter &c) {
  auto inType = reshape.getInput().getType();
  if (inType.hasStaticShape())
    return;
  OpBuilder b(reshape);
  Location loc = reshape.getLoc();
  int64_t known = 1;
  bool inferred = false;
  for (int64_t s : reshape.getNewShape()) {
    if (s == -1)
      inferred = true;
    else if (s == 0)
      return; // ONNX-style "copy this dim" is resolved from the input itself.
    else
      known *= s;
  }
  Value count = c.numElements(reshape.getInput());
  Value expected = c.constant(known);
  Value ok;
  if (inferred) {
    if (known == 0)
      return;
    Value rem = arith::RemSIOp::create(b, loc, count, expected);
    ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem, c.constant(0));
  } else {
    ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count, expected);
  }
  c.require(ok, count, expected,
            inferred ? Twine("'input' holds {0} elements at run time, not a "
                             "multiple of {1}")
                     : Twine("'input' holds {0} elements at run time, but the "
                             "new shape holds {1}"));
}

void checkNorm(Operation *op, Value input, ArrayRef<int64_t> axes,
               ArrayRef<std::pair<Value, StringRef>> params, CheckEmitter &c) {
  for (auto [param, name] : params) {
    if (!param)
      continue;
    for (auto [i, axis] : llvm::enumerate(axes))
      c.requireEqual({param, static_cast<int64_t>(i), name}, {input, axis, "input"});
  }
}

void checkAttention(AttentionOp att, CheckEmitter &c) {
  Value q = att.getQuery(), k = att.getKey(), v = att.getValue();
  int64_t rank = att.getQuery().getType().getRank();
  c.requireEqual({k, rank - 1, "key"}, {q, rank - 1, "query"},
                 " (the head sizes differ)");
  c.requireEqual({v, rank - 2, "value"}, {k, rank - 2, "key"},
                 " (the key and value lengths differ)");
  for (int64_t d = 0; d + 2 < rank; ++d) {
    Dim qd{q, d, "query"}, kd{k, d, "key"}, vd{v, d, "value"};
    if (qd.staticSize() != 1 && kd.staticSize() != 1)
      c.requireEqual(kd, qd, " (a dynamic batch dimension does not broadcast)");
    if (kd.staticSize() != 1 && vd.staticSize() != 1)
      c.requireEqual(vd, kd, " (a dynamic batch dimension does not broadcast)");
  }
}

void emitChecks(Operation *op, CheckEmitter &c) {
  llvm::TypeSwitch<Operation *>(op)
      .Case<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp, CmpOp>([&](auto bin) {
        c.requireBroadcastable({{bin.getLhs(), "lhs"}, {bin.getRhs(), "rhs"}});
      })
      .Case([&](SelectOp sel) {
        c.requireBroadcastable({{sel.getCondition(), "condition"},
                                {sel.getTrueValue(), "true_value"},
                                {sel.getFalseValue(), "false_value"}});
      })
      .Case([&](MatmulOp mm) { checkMatmul(mm, c); })
      .Case([&](Conv2dOp conv) { checkConv(conv, c); })
      .Case([&](MaxPool2dOp pool) { checkPool(pool, c); })
      .Case([&](AvgPool2dOp pool) { checkPool(pool, c); })
      .Case([&](ConcatOp concat) { checkConcat(concat, c); })
      .Case([&](BroadcastToOp bcast) { checkBroadcastTo(bcast, c); })
      .Case([&](PadOp pad) { checkPad(pad, c); })
      .Case([&](GatherOp gather) { checkGather(gather, c); })
      .Case([&](ReshapeOp reshape) { checkReshape(reshape, c); })
      .Case([&](LayerNormOp norm) {
        checkNorm(norm, norm.getInput(), norm.getAxes(),
                  {{norm.getScale(), "scale"}, {norm.getBias(), "bias"}}, c);
      })
      .Case([&](RmsNormOp norm) {
        checkNorm(norm, norm.getInput(), norm.getAxes(), {{norm.getScale(), "scale"}},
                  c);
      })
      .Case([&](BatchNormOp bn) {
        Dim channels{bn.getInput(), 1, "input"};
        for (auto [v, name] : {std::make_pair(bn.getScale(), "scale"),
                               std::make_pair(bn.getBias(), "bias"),
                               std::make_pair(bn.getMean(), "mean"),
                               std::make_pair(bn.getVariance(), "variance")})
          c.requireEqual({v, 0, name}, channels);
      })
      .Case([&](AttentionOp att) { checkAttention(att, c); });
}

bool hasDynamicOperand(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), [](Type t) {
    auto type = dyn_cast<RankedTensorType>(t);
    return type && !type.hasStaticShape();
  });
}

/// The bytes of a static tensor type, if they fit in 62 bits (the largest
/// allocation the generated size arithmetic computes without wrapping).
std::optional<int64_t> staticBytes(RankedTensorType type) {
  if (llvm::is_contained(type.getShape(), 0))
    return 0;
  int64_t bytes = std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
  for (int64_t d : type.getShape())
    if (llvm::MulOverflow(bytes, d, bytes) || bytes > (int64_t(1) << 62))
      return std::nullopt;
  return bytes;
}

struct AxonInsertRuntimeChecks
    : impl::AxonInsertRuntimeChecksBase<AxonInsertRuntimeChecks> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    WalkResult walk = module.walk([&](Operation *op) {
      if (!isa_and_nonnull<AxonDialect>(op->getDialect()))
        return WalkResult::advance();
      for (Type t : op->getResultTypes()) {
        auto type = dyn_cast<RankedTensorType>(t);
        if (type && type.hasStaticShape() && !staticBytes(type)) {
          op->emitOpError() << "result " << type
                            << " needs more than 2^62 bytes: no machine can "
                               "hold it";
          return WalkResult::interrupt();
        }
      }
      if (hasDynamicOperand(op))
        ops.push_back(op);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    if (ops.empty())
      return;
    func::FuncOp failFn = declareFailFunction(module);
    unsigned messageCount = 0;
    for (Operation *op : ops) {
      CheckEmitter emitter(op, failFn, module, messageCount);
      emitChecks(op, emitter);
    }
  }

  /// void axonRuntimeCheckFailed(const char *message, i64 got, i64 expected)
  static func::FuncOp declareFailFunction(ModuleOp module) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(kCheckFailedFn))
      return existing;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    MLIRContext *ctx = module.getContext();
    auto type = b.getFunctionType(
        {LLVM::LLVMPointerType::get(ctx), b.getI64Type(), b.getI64Type()}, {});
    auto fn = func::FuncOp::create(b, module.getLoc(), kCheckFailedFn, type);
    fn.setPrivate();
    return fn;
  }
};

} // namespace
} // namespace axon
