//===- OpBuilderTest.cpp - Building axon IR from C++ ----------------------===//
//
// Builds ops through the generated C++ builders (which infer result types) and
// checks the inferred types and the verifier, as an embedder would.
//
//===----------------------------------------------------------------------===//

#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "axon/Registration/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

class OpBuilderTest : public ::testing::Test {
protected:
  OpBuilderTest() : builder(&context), loc(builder.getUnknownLoc()) {
    DialectRegistry registry;
    axon::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A function whose arguments have `types`; the builder is left in its body.
  ValueRange makeArgs(TypeRange types) {
    auto func = func::FuncOp::create(builder, loc, "f",
                                     builder.getFunctionType(types, {}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToStart(body);
    return body->getArguments();
  }

  /// Terminates the function and verifies the whole module.
  LogicalResult finishAndVerify() {
    func::ReturnOp::create(builder, loc);
    return verify(*module);
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape, Type element = {}) {
    return RankedTensorType::get(shape, element ? element : builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc;
  OwningOpRef<ModuleOp> module;
};

TEST_F(OpBuilderTest, BinaryOpsInferBroadcastTypes) {
  ValueRange args = makeArgs({tensor({4, 1}), tensor({3})});
  auto add = axon::AddOp::create(builder, loc, args[0], args[1]);
  EXPECT_EQ(add.getType(), tensor({4, 3}));
  auto cmp = axon::CmpOp::create(builder, loc, axon::CmpPredicate::lt, args[0],
                                 args[1]);
  EXPECT_EQ(cmp.getType(), tensor({4, 3}, builder.getI1Type()));
  EXPECT_TRUE(succeeded(finishAndVerify()));
}

TEST_F(OpBuilderTest, MatmulAndReductionsInferTypes) {
  ValueRange args = makeArgs({tensor({2, 1, 16, 32}), tensor({5, 64, 32})});
  auto mm = axon::MatmulOp::create(builder, loc, args[0], args[1],
                                   /*transpose_lhs=*/false,
                                   /*transpose_rhs=*/true);
  EXPECT_EQ(mm.getType(), tensor({2, 5, 16, 64}));
  auto sum = axon::ReduceSumOp::create(builder, loc, mm,
                                       builder.getDenseI64ArrayAttr({1, 3}),
                                       /*keep_dims=*/true);
  EXPECT_EQ(sum.getType(), tensor({2, 1, 16, 1}));
  auto arg = axon::ArgmaxOp::create(builder, loc, mm, 3, false);
  EXPECT_EQ(arg.getType(), tensor({2, 5, 16}, builder.getI64Type()));
  EXPECT_TRUE(succeeded(finishAndVerify()));
}

TEST_F(OpBuilderTest, ShapeOpsInferTypes) {
  int64_t dyn = ShapedType::kDynamic;
  ValueRange args = makeArgs({tensor({dyn, 6}), tensor({2, 6})});
  auto reshape = axon::ReshapeOp::create(builder, loc, args[0],
                                         builder.getDenseI64ArrayAttr({-1, 3}));
  EXPECT_EQ(reshape.getType(), tensor({dyn, 3}));
  auto concat = axon::ConcatOp::create(builder, loc, args, 0);
  EXPECT_EQ(concat.getType(), tensor({dyn, 6}));
  auto transpose = axon::TransposeOp::create(
      builder, loc, args[1], builder.getDenseI64ArrayAttr({1, 0}));
  EXPECT_EQ(transpose.getType(), tensor({6, 2}));
  EXPECT_TRUE(succeeded(finishAndVerify()));
}

TEST_F(OpBuilderTest, InferenceReportsIncompatibleOperands) {
  ValueRange args = makeArgs({tensor({2, 3}), tensor({4, 5})});
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  SmallVector<Type> inferred;
  Value operands[] = {args[0], args[1]};
  axon::MatmulOp::Adaptor adaptor{ValueRange(operands)};
  EXPECT_TRUE(failed(axon::MatmulOp::inferReturnTypes(&context, loc, adaptor,
                                                      inferred)));
  EXPECT_EQ(message, "'axon.matmul' op contraction sizes differ: 'lhs' has K "
                     "= 3 but 'rhs' has K = 4");
  EXPECT_TRUE(inferred.empty());

  // Without a location the rule fails silently, as inference must.
  message.clear();
  EXPECT_TRUE(failed(axon::MatmulOp::inferReturnTypes(&context, std::nullopt,
                                                      adaptor, inferred)));
  EXPECT_TRUE(message.empty());
}

TEST_F(OpBuilderTest, VerifierRejectsBadAttributes) {
  ValueRange args = makeArgs({tensor({2, 3})});
  auto clip = axon::ClipOp::create(builder, loc, args[0],
                                   builder.getF64FloatAttr(3.0),
                                   builder.getF64FloatAttr(1.0));
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  EXPECT_TRUE(failed(verify(clip)));
  EXPECT_EQ(message, "'axon.clip' op 'min' (3.000000e+00) exceeds 'max' "
                     "(1.000000e+00)");
}

TEST_F(OpBuilderTest, ConstantsFoldToTheirValue) {
  makeArgs({});
  auto value = DenseElementsAttr::get(tensor({2}), ArrayRef<float>{1.0f, 2.0f});
  auto cst = axon::ConstantOp::create(builder, loc, value);
  EXPECT_EQ(cst.getType(), tensor({2}));
  SmallVector<OpFoldResult> folded;
  ASSERT_TRUE(succeeded(cst->fold(folded)));
  ASSERT_EQ(folded.size(), 1u);
  EXPECT_EQ(dyn_cast<Attribute>(folded[0]), value);
  Operation *materialized = context.getLoadedDialect<axon::AxonDialect>()
                                ->materializeConstant(builder, value,
                                                      value.getType(), loc);
  ASSERT_NE(materialized, nullptr);
  EXPECT_TRUE(isa<axon::ConstantOp>(materialized));
}

} // namespace
