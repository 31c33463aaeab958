//===- ConstantFolding.cpp - Evaluating axon ops on constants -------------===//

#include "ConstantFolding.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;

static llvm::cl::opt<int64_t> foldLimit(
    "axon-max-fold-elements",
    llvm::cl::desc("Largest constant (in elements) that axon folders create"),
    llvm::cl::init(1 << 16));

namespace axon {

bool withinFoldLimit(ShapedType type) {
  return type.hasStaticShape() && type.getNumElements() <= foldLimit;
}

namespace {

/// Maps each result position to the linear index of a broadcast operand.
class BroadcastIndexer {
public:
  BroadcastIndexer(RankedTensorType operand, RankedTensorType result) {
    int64_t rank = result.getRank(), offset = rank - operand.getRank();
    strides.assign(rank, 0);
    int64_t stride = 1;
    for (int64_t d = operand.getRank() - 1; d >= 0; --d) {
      if (operand.getDimSize(d) != 1)
        strides[d + offset] = stride;
      stride *= operand.getDimSize(d);
    }
  }
  int64_t operator()(ArrayRef<int64_t> index) const {
    int64_t linear = 0;
    for (auto [i, s] : llvm::zip(index, strides))
      linear += i * s;
    return linear;
  }

private:
  SmallVector<int64_t> strides;
};

/// Calls `body(index)` for every position of `shape` in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  llvm::function_ref<void(ArrayRef<int64_t>)> body) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < count; ++i) {
    body(index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1;
         d >= 0 && ++index[d] == shape[d]; --d)
      index[d] = 0;
  }
}

/// The dense constants behind `operands`, or nothing.
std::optional<SmallVector<DenseElementsAttr>>
denseOperands(ArrayRef<Attribute> operands, RankedTensorType resultType) {
  if (!withinFoldLimit(resultType))
    return std::nullopt;
  SmallVector<DenseElementsAttr> dense;
  for (Attribute a : operands) {
    auto d = dyn_cast_or_null<DenseElementsAttr>(a);
    if (!d)
      return std::nullopt;
    dense.push_back(d);
  }
  return dense;
}

template <typename T, typename Fn>
Attribute foldGeneric(ArrayRef<Attribute> operands, RankedTensorType resultType,
                      Fn fn) {
  auto dense = denseOperands(operands, resultType);
  if (!dense)
    return {};
  // All-splat operands give a splat result, whatever its size.
  if (llvm::all_of(*dense, [](DenseElementsAttr d) { return d.isSplat(); })) {
    SmallVector<T> args;
    for (DenseElementsAttr d : *dense)
      args.push_back(d.getSplatValue<T>());
    std::optional<T> value = fn(args);
    if (!value)
      return {};
    return DenseElementsAttr::get(resultType, ArrayRef<T>(*value));
  }
  SmallVector<SmallVector<T>> values;
  SmallVector<BroadcastIndexer> indexers;
  for (DenseElementsAttr d : *dense) {
    values.push_back(llvm::to_vector(d.getValues<T>()));
    indexers.emplace_back(cast<RankedTensorType>(d.getType()), resultType);
  }
  SmallVector<T> results;
  bool refused = false;
  forEachIndex(resultType.getShape(), [&](ArrayRef<int64_t> index) {
    if (refused)
      return;
    SmallVector<T> args;
    for (auto [v, indexer] : llvm::zip(values, indexers))
      args.push_back(v[indexer(index)]);
    std::optional<T> value = fn(args);
    if (!value) {
      refused = true;
      return;
    }
    results.push_back(*value);
  });
  if (refused)
    return {};
  return DenseElementsAttr::get(resultType, results);
}

} // namespace

Attribute foldFloats(ArrayRef<Attribute> operands, RankedTensorType resultType,
                     FloatFn fn) {
  return foldGeneric<APFloat>(operands, resultType, fn);
}

Attribute foldInts(ArrayRef<Attribute> operands, RankedTensorType resultType,
                   IntFn fn) {
  return foldGeneric<APInt>(operands, resultType, fn);
}

Attribute foldMixed(ArrayRef<Attribute> operands, RankedTensorType resultType,
                    llvm::function_ref<Attribute(ArrayRef<Attribute>)> fn) {
  auto dense = denseOperands(operands, resultType);
  if (!dense)
    return {};
  SmallVector<SmallVector<Attribute>> values;
  SmallVector<BroadcastIndexer> indexers;
  for (DenseElementsAttr d : *dense) {
    values.push_back(d.isSplat() ? SmallVector<Attribute>{d.getSplatValue<Attribute>()}
                                 : llvm::to_vector(d.getValues<Attribute>()));
    indexers.emplace_back(d.isSplat() ? RankedTensorType::get({}, d.getElementType())
                                      : cast<RankedTensorType>(d.getType()),
                          resultType);
  }
  SmallVector<Attribute> results;
  bool refused = false;
  forEachIndex(resultType.getShape(), [&](ArrayRef<int64_t> index) {
    if (refused)
      return;
    SmallVector<Attribute> args;
    for (auto [v, indexer] : llvm::zip(values, indexers))
      args.push_back(v[indexer(index)]);
    Attribute value = fn(args);
    if (!value)
      refused = true;
    else
      results.push_back(value);
  });
  if (refused)
    return {};
  return DenseElementsAttr::get(resultType, results);
}

Attribute gatherElements(DenseElementsAttr source, RankedTensorType resultType,
                         llvm::function_ref<int64_t(ArrayRef<int64_t>)> sourceIndex) {
  if (!withinFoldLimit(resultType))
    return {};
  if (source.isSplat())
    return DenseElementsAttr::get(resultType, source.getSplatValue<Attribute>());
  auto values = llvm::to_vector(source.getValues<Attribute>());
  SmallVector<Attribute> results;
  forEachIndex(resultType.getShape(), [&](ArrayRef<int64_t> index) {
    results.push_back(values[sourceIndex(index)]);
  });
  return DenseElementsAttr::get(resultType, results);
}

APFloat viaDouble(const APFloat &like, double value) {
  APFloat result(value);
  bool lost;
  result.convert(like.getSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return result;
}

bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  Type elem = dense.getElementType();
  if (auto floatType = dyn_cast<FloatType>(elem)) {
    APFloat want = viaDouble(APFloat(floatType.getFloatSemantics(), 0), value);
    return dense.getSplatValue<APFloat>().bitwiseIsEqual(want);
  }
  if (elem.isInteger(1))
    return false;
  return dense.getSplatValue<APInt>().getSExtValue() == static_cast<int64_t>(value) &&
         static_cast<double>(static_cast<int64_t>(value)) == value;
}

} // namespace axon
