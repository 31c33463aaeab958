//===- ShapeUtilsTest.cpp - The shared broadcasting and axis rules --------===//

#include "axon/Dialect/Axon/Utils/ShapeUtils.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace axon;
using mlir::ShapedType;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

/// Runs shape rules with a real location and keeps the last error message.
class ShapeUtilsTest : public ::testing::Test {
protected:
  ShapeUtilsTest()
      : loc(mlir::UnknownLoc::get(&context)),
        handler(&context, [this](mlir::Diagnostic &diag) {
          lastError = diag.str();
          return mlir::success();
        }) {}

  EmitErrorFn emit() { return emitFn; }

  mlir::MLIRContext context;
  mlir::Location loc;
  mlir::ScopedDiagnosticHandler handler;
  std::string lastError;
  std::function<OptionalDiagnostic()> emitFn = [this] {
    return OptionalDiagnostic(mlir::emitError(loc));
  };
};

TEST_F(ShapeUtilsTest, BroadcastDim) {
  EXPECT_EQ(broadcastDim(1, 5), 5);
  EXPECT_EQ(broadcastDim(5, 1), 5);
  EXPECT_EQ(broadcastDim(4, 4), 4);
  EXPECT_EQ(broadcastDim(kDyn, 1), kDyn);
  EXPECT_EQ(broadcastDim(1, kDyn), kDyn);
  EXPECT_EQ(broadcastDim(kDyn, 7), 7);
  EXPECT_EQ(broadcastDim(kDyn, kDyn), kDyn);
  EXPECT_EQ(broadcastDim(2, 3), std::nullopt);
  EXPECT_EQ(broadcastDim(0, 1), 0);
  EXPECT_EQ(broadcastDim(0, 2), std::nullopt);
}

TEST_F(ShapeUtilsTest, BroadcastShapesAlignsFromTheRight) {
  llvm::SmallVector<int64_t> out;
  int64_t a[] = {8, 1, 6, 1}, b[] = {7, 1, 5};
  ASSERT_TRUE(succeeded(broadcastShapes({{"a", a}, {"b", b}}, out, emit())));
  EXPECT_EQ(out, (llvm::SmallVector<int64_t>{8, 7, 6, 5}));

  int64_t c[] = {kDyn, 1}, d[] = {3};
  ASSERT_TRUE(succeeded(broadcastShapes({{"c", c}, {"d", d}}, out, emit())));
  EXPECT_EQ(out, (llvm::SmallVector<int64_t>{kDyn, 3}));

  // Rank 0 operands broadcast to anything.
  ASSERT_TRUE(succeeded(broadcastShapes({{"s", {}}, {"d", d}}, out, emit())));
  EXPECT_EQ(out, (llvm::SmallVector<int64_t>{3}));
  EXPECT_TRUE(lastError.empty());
}

TEST_F(ShapeUtilsTest, BroadcastShapesNamesTheConflict) {
  llvm::SmallVector<int64_t> out;
  int64_t a[] = {2, 3}, b[] = {4, 1}, c[] = {5};
  EXPECT_TRUE(failed(
      broadcastShapes({{"a", a}, {"b", b}, {"c", c}}, out, emit())));
  EXPECT_EQ(lastError, "operands are not broadcast-compatible: 'a' dimension 0 "
                       "has size 2 but 'b' dimension 0 has size 4");
  EXPECT_TRUE(failed(broadcastShapes({{"b", b}, {"c", c}, {"a", a}}, out, emit())));
  // b and c broadcast to [4, 5]; a's dimension 0 then conflicts with b's.
  EXPECT_EQ(lastError, "operands are not broadcast-compatible: 'b' dimension 0 "
                       "has size 4 but 'a' dimension 0 has size 2");
  int64_t d[] = {1, 3}, e[] = {6};
  EXPECT_TRUE(failed(broadcastShapes({{"d", d}, {"e", e}}, out, emit())));
  EXPECT_EQ(lastError, "operands are not broadcast-compatible: 'd' dimension 1 "
                       "has size 3 but 'e' dimension 0 has size 6");
}

TEST_F(ShapeUtilsTest, BroadcastShapesWithoutLocationIsSilent) {
  llvm::SmallVector<int64_t> out;
  int64_t a[] = {2}, b[] = {3};
  auto silent = [] { return OptionalDiagnostic(); };
  EXPECT_TRUE(failed(broadcastShapes({{"a", a}, {"b", b}}, out, silent)));
  EXPECT_TRUE(lastError.empty());
}

TEST_F(ShapeUtilsTest, BroadcastableTo) {
  int64_t from[] = {1, 3}, to[] = {4, 2, 3}, bad[] = {4, 2, 5};
  EXPECT_TRUE(succeeded(verifyBroadcastableTo({"x", from}, {"y", to}, emit())));
  EXPECT_TRUE(failed(verifyBroadcastableTo({"x", from}, {"y", bad}, emit())));
  EXPECT_EQ(lastError,
            "'x' dimension 1 (size 3) cannot broadcast to 'y' dimension 2 (size 5)");
  EXPECT_TRUE(failed(verifyBroadcastableTo({"y", to}, {"x", from}, emit())));
  EXPECT_EQ(lastError, "'y' has rank 3, larger than the rank 2 of 'x'");
}

TEST_F(ShapeUtilsTest, Axes) {
  EXPECT_TRUE(succeeded(verifyAxes({0, 2}, 3, "axes", emit())));
  EXPECT_TRUE(succeeded(verifyAxes({}, 0, "axes", emit())));
  EXPECT_TRUE(failed(verifyAxes({0, 3}, 3, "axes", emit())));
  EXPECT_EQ(lastError, "'axes' value 3 is out of range [0, 3)");
  EXPECT_TRUE(failed(verifyAxes({2, 1}, 3, "axes", emit())));
  EXPECT_EQ(lastError,
            "'axes' must be strictly increasing, but entry 1 (1) follows 2");
  EXPECT_TRUE(failed(verifyAxis(-1, 3, "axis", emit())));
  EXPECT_EQ(lastError, "'axis' value -1 is out of range [0, 3)");
}

TEST_F(ShapeUtilsTest, ReduceShape) {
  int64_t shape[] = {2, kDyn, 4};
  EXPECT_EQ(reduceShape(shape, {1}, false), (llvm::SmallVector<int64_t>{2, 4}));
  EXPECT_EQ(reduceShape(shape, {1}, true),
            (llvm::SmallVector<int64_t>{2, 1, 4}));
  EXPECT_EQ(reduceShape(shape, {0, 2}, false),
            (llvm::SmallVector<int64_t>{kDyn}));
  EXPECT_EQ(reduceShape(shape, {0, 1, 2}, false), (llvm::SmallVector<int64_t>{}));
  EXPECT_EQ(reduceShape(shape, {}, false),
            (llvm::SmallVector<int64_t>{2, kDyn, 4}));
}

TEST_F(ShapeUtilsTest, Permutation) {
  EXPECT_TRUE(succeeded(verifyPermutation({2, 0, 1}, 3, "perm", emit())));
  EXPECT_TRUE(failed(verifyPermutation({0, 1}, 3, "perm", emit())));
  EXPECT_EQ(lastError, "'perm' has 2 entries but the input has rank 3");
  EXPECT_TRUE(failed(verifyPermutation({0, 0, 1}, 3, "perm", emit())));
  EXPECT_EQ(lastError, "'perm' is not a permutation: 0 appears twice");
}

TEST_F(ShapeUtilsTest, SlicedSizeFollowsPython) {
  // Expected values are len(range(10)[start:end:step]) in Python.
  EXPECT_EQ(slicedSize(10, 0, 10, 1), 10);
  EXPECT_EQ(slicedSize(10, 2, 8, 3), 2);    // 2, 5
  EXPECT_EQ(slicedSize(10, -3, INT64_MAX, 1), 3);
  EXPECT_EQ(slicedSize(10, -100, 100, 1), 10);
  EXPECT_EQ(slicedSize(10, 8, 2, 1), 0);
  EXPECT_EQ(slicedSize(10, 9, -11, -1), 10); // [9::-1]
  EXPECT_EQ(slicedSize(10, -1, -4, -1), 3);  // 9, 8, 7
  EXPECT_EQ(slicedSize(10, 100, INT64_MIN, -4), 3); // 9, 5, 1
  EXPECT_EQ(slicedSize(10, 2, 8, -1), 0);
  EXPECT_EQ(slicedSize(0, 0, 5, 1), 0);
  EXPECT_EQ(slicedSize(kDyn, 0, 5, 1), kDyn);
}

TEST_F(ShapeUtilsTest, WindowOutputSize) {
  // (32 + 1 + 1 - 3) / 2 + 1 = 16
  EXPECT_EQ(windowOutputSize(32, 3, 2, 1, 1, 1, false), 16);
  // Dilation 2 makes a 3-tap kernel span 5: 32 - 5 + 1 = 28.
  EXPECT_EQ(windowOutputSize(32, 3, 1, 2, 0, 0, false), 28);
  EXPECT_EQ(windowOutputSize(7, 2, 2, 1, 0, 0, false), 3);
  EXPECT_EQ(windowOutputSize(7, 2, 2, 1, 0, 0, true), 4);
  // The last ceil-mode window would start in the end padding: dropped.
  EXPECT_EQ(windowOutputSize(5, 2, 2, 1, 1, 1, true), 3);
  EXPECT_EQ(windowOutputSize(2, 3, 1, 1, 0, 0, false), std::nullopt);
  EXPECT_EQ(windowOutputSize(kDyn, 3, 1, 1, 0, 0, false), kDyn);
}

} // namespace
