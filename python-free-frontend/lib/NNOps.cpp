//===- NNOps.cpp - ONNX matmul, convolution, pooling, normalization -------===//

#include "ImportContext.h"

using namespace mlir;

namespace axon::onnx_frontend {
namespace {

Type elementOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }
int64_t rankOf(Value v) { return cast<RankedTensorType>(v.getType()).getRank(); }

Value reshape(Node &n, Value v, ArrayRef<int64_t> shape) {
  return n.create<ReshapeOp>(v, n.b().getDenseI64ArrayAttr(shape));
}

/// numpy matmul: 1-D operands gain a unit dim that the result drops.
LogicalResult matmul(Node &n) {
  Value a = n.input(0), b = n.input(1);
  bool vecA = rankOf(a) == 1, vecB = rankOf(b) == 1;
  if (vecA)
    a = reshape(n, a, {1, -1});
  if (vecB)
    b = reshape(n, b, {-1, 1});
  Value y = n.create<MatmulOp>(a, b, Value(), false, false, Activation::none, FloatAttr(),
                               FloatAttr());
  if (n.rejected())
    return failure();
  if (vecA || vecB) {
    auto type = cast<RankedTensorType>(y.getType());
    SmallVector<int64_t> shape(type.getShape());
    if (vecB)
      shape.pop_back();
    if (vecA)
      shape.erase(shape.end() - (vecB ? 1 : 2));
    for (int64_t &d : shape)
      if (ShapedType::isDynamic(d))
        d = -1;
    if (llvm::count(shape, -1) > 1)
      return n.error() << "1-D MatMul operands with several dynamic dims";
    y = reshape(n, y, shape);
  }
  n.setOutput(0, y);
  return success();
}

/// alpha * A' B' + beta * C.
LogicalResult gemm(Node &n) {
  Value y = n.create<MatmulOp>(n.input(0), n.input(1), Value(), n.intAttr("transA", 0) != 0,
                               n.intAttr("transB", 0) != 0, Activation::none, FloatAttr(),
                               FloatAttr());
  Type e = elementOf(y);
  double alpha = n.floatAttr("alpha", 1.0f), beta = n.floatAttr("beta", 1.0f);
  if (alpha != 1.0)
    y = n.create<MulOp>(y, n.scalar(e, alpha));
  if (Value c = n.input(2)) {
    if (beta != 1.0)
      c = n.create<MulOp>(c, n.scalar(e, beta));
    y = n.create<AddOp>(y, c);
  }
  n.setOutput(0, y);
  return success();
}

/// 1-D window ops (convolution, pooling over [N, C, L]) run as 2-D ones
/// over a unit height: [N, C, L] <-> [N, C, 1, L], per-dim attributes [a]
/// -> [1, a] (pads [b, e] -> [0, b, 0, e]).
Value withUnitHeight(Node &n, Value v) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(v.getType()).getShape();
  return reshapeTo(n, v, {s[0], s[1], 1, s[2]});
}

Value dropUnitHeight(Node &n, Value v) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(v.getType()).getShape();
  return reshapeTo(n, v, {s[0], s[1], s[3]});
}

SmallVector<int64_t> liftedAttr(SmallVector<int64_t> v, bool lifted) {
  if (lifted && v.size() == 1)
    v.insert(v.begin(), 1);
  return v;
}

/// Explicit [top, left, bottom, right] padding for a 2-D window op from
/// `pads` or `auto_pad` (which needs static spatial sizes); `lifted`: a
/// 1-D op's [begin, end].
FailureOr<SmallVector<int64_t>> windowPadding(Node &n, RankedTensorType input,
                                              ArrayRef<int64_t> kernel,
                                              ArrayRef<int64_t> strides,
                                              ArrayRef<int64_t> dilations, bool lifted = false) {
  std::string autoPad = n.stringAttr("auto_pad", "NOTSET");
  SmallVector<int64_t> pads = n.intsAttr("pads");
  if (lifted && pads.size() == 2)
    pads = {0, pads[0], 0, pads[1]};
  if (autoPad == "NOTSET") {
    if (pads.empty())
      pads.assign(4, 0);
    if (pads.size() != 4)
      return (n.error() << "expects 4 'pads' for a 2-D window", failure());
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>(4, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return (n.error() << "unknown auto_pad '" << autoPad << "'", failure());
  pads.assign(4, 0);
  for (int d = 0; d < 2; ++d) {
    int64_t in = input.getDimSize(d + 2);
    if (ShapedType::isDynamic(in))
      return (n.error() << "auto_pad " << autoPad << " needs static spatial sizes",
              failure());
    int64_t out = (in + strides[d] - 1) / strides[d];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[d] + dilations[d] * (kernel[d] - 1) + 1 - in);
    int64_t small = total / 2, large = total - small;
    pads[d] = autoPad == "SAME_UPPER" ? small : large;
    pads[d + 2] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

SmallVector<int64_t> orOnes(SmallVector<int64_t> v) {
  if (v.empty())
    v.assign(2, 1);
  return v;
}

LogicalResult conv(Node &n) {
  RankedTensorType x = n.inputType(0), w = n.inputType(1);
  bool oneD = x.getRank() == 3 && w.getRank() == 3;
  if (x.getRank() != 4 && !oneD)
    return n.error() << "only 1-D and 2-D convolution (rank-3 or rank-4 input) are supported, got "
                     << x;
  Value input = n.input(0), filter = n.input(1);
  if (oneD) {
    input = withUnitHeight(n, input);
    filter = withUnitHeight(n, filter);
    if (!input || !filter)
      return failure();
    x = cast<RankedTensorType>(input.getType());
    w = cast<RankedTensorType>(filter.getType());
  }
  SmallVector<int64_t> strides = orOnes(liftedAttr(n.intsAttr("strides"), oneD));
  SmallVector<int64_t> dilations = orOnes(liftedAttr(n.intsAttr("dilations"), oneD));
  SmallVector<int64_t> kernel(w.getShape().drop_front(2));
  FailureOr<SmallVector<int64_t>> pads = windowPadding(n, x, kernel, strides, dilations, oneD);
  if (failed(pads))
    return failure();
  Builder &b = n.b();
  Value y = n.create<Conv2dOp>(input, filter, n.input(2), b.getDenseI64ArrayAttr(strides),
                               b.getDenseI64ArrayAttr(*pads), b.getDenseI64ArrayAttr(dilations),
                               b.getI64IntegerAttr(n.intAttr("group", 1)),
                               ActivationAttr::get(n.b().getContext(), Activation::none),
                               FloatAttr(), FloatAttr());
  n.setOutput(0, oneD && !n.rejected() ? dropUnitHeight(n, y) : y);
  return success();
}

template <typename PoolOp> LogicalResult pool(Node &n) {
  RankedTensorType x = n.inputType(0);
  bool oneD = x.getRank() == 3;
  if (x.getRank() != 4 && !oneD)
    return n.error() << "only 1-D and 2-D pooling (rank-3 or rank-4 input) are supported, got "
                     << x;
  if (failed(n.onlyFirstOutputs(1)))
    return failure();
  if (n.intAttr("storage_order", 0) != 0)
    return n.error() << "storage_order = 1 is not supported";
  SmallVector<int64_t> kernel = liftedAttr(n.intsAttr("kernel_shape"), oneD);
  if (kernel.size() != 2)
    return n.error() << "expects a 'kernel_shape' of one entry per spatial dim";
  Value input = n.input(0);
  if (oneD) {
    input = withUnitHeight(n, input);
    if (!input)
      return failure();
    x = cast<RankedTensorType>(input.getType());
  }
  SmallVector<int64_t> strides = orOnes(liftedAttr(n.intsAttr("strides"), oneD));
  SmallVector<int64_t> dilations = orOnes(liftedAttr(n.intsAttr("dilations"), oneD));
  FailureOr<SmallVector<int64_t>> pads = windowPadding(n, x, kernel, strides, dilations, oneD);
  if (failed(pads))
    return failure();
  Builder &b = n.b();
  Value y;
  if constexpr (std::is_same_v<PoolOp, MaxPool2dOp>)
    y = n.create<MaxPool2dOp>(input, b.getDenseI64ArrayAttr(kernel),
                            b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(*pads),
                            b.getDenseI64ArrayAttr(dilations), n.intAttr("ceil_mode", 0) != 0);
  else
    y = n.create<AvgPool2dOp>(input, b.getDenseI64ArrayAttr(kernel),
                            b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(*pads),
                            b.getDenseI64ArrayAttr(dilations), n.intAttr("ceil_mode", 0) != 0,
                            n.intAttr("count_include_pad", 0) != 0);
  n.setOutput(0, oneD && !n.rejected() ? dropUnitHeight(n, y) : y);
  return success();
}

LogicalResult globalAvgPool(Node &n) {
  n.setOutput(0, n.create<GlobalAvgPoolOp>(n.input(0)));
  return success();
}

/// LRN: x / (bias + alpha / size * sum of x^2 over a window of `size`
/// channels)^beta. The channel window sum is an average pool (padding
/// counted) over [N, 1, C, H*W], times `size`.
LogicalResult lrn(Node &n) {
  RankedTensorType type = n.inputType(0);
  if (type.getRank() < 3 || !type.hasStaticShape())
    return n.error() << "needs a static [N, C, ...] input";
  int64_t size = n.intAttr("size", 0);
  if (size <= 0)
    return n.error() << "'size' must be positive";
  double alpha = n.floatAttr("alpha", 1e-4f), beta = n.floatAttr("beta", 0.75f),
         bias = n.floatAttr("bias", 1.0f);
  int64_t N = type.getDimSize(0), C = type.getDimSize(1), spatial = 1;
  for (int64_t d = 2; d < type.getRank(); ++d)
    spatial *= type.getDimSize(d);
  Value x = n.input(0);
  Type e = type.getElementType();
  Value square = n.create<MulOp>(x, x);
  Value planes = reshape(n, square, {N, 1, C, spatial});
  Builder &b = n.b();
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  Value mean = n.create<AvgPool2dOp>(planes, b.getDenseI64ArrayAttr({size, 1}),
                                     b.getDenseI64ArrayAttr({1, 1}),
                                     b.getDenseI64ArrayAttr({before, 0, after, 0}),
                                     b.getDenseI64ArrayAttr({1, 1}), false, true);
  Value sum = reshape(n, n.create<MulOp>(mean, n.scalar(e, double(size))), type.getShape());
  Value scaled = n.create<AddOp>(n.create<MulOp>(sum, n.scalar(e, alpha / size)),
                                 n.scalar(e, bias));
  Value denominator = n.create<PowOp>(scaled, n.scalar(e, beta));
  n.setOutput(0, n.create<DivOp>(x, denominator));
  return success();
}

LogicalResult globalMaxPool(Node &n) {
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rankOf(n.input(0)); ++d)
    axes.push_back(d);
  n.setOutput(0, n.create<ReduceMaxOp>(n.input(0),
                                     n.b().getDenseI64ArrayAttr(axes), true));
  return success();
}

/// Softmax and LogSoftmax: one axis from opset 13; before that the input is
/// coerced to 2-D at `axis` (default 1) and normalized over the second part.
template <typename OpTy> LogicalResult softmax(Node &n) {
  Value x = n.input(0);
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(n, n.intAttr("axis", n.opset() >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return failure();
  if (n.opset() >= 13 || *axis == rank - 1) {
    n.setOutput(0, n.create<OpTy>(x, *axis));
    return success();
  }
  if (!type.hasStaticShape())
    return n.error() << "opset < 13 softmax over several dims needs static shapes";
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < *axis ? outer : inner) *= type.getDimSize(d);
  Value flat = reshape(n, x, {outer, inner});
  Value y = n.create<OpTy>(flat, 1);
  n.setOutput(0, reshape(n, y, type.getShape()));
  return success();
}

/// A per-position normalization parameter, shaped like the normalized dims.
Value normParameter(Node &n, Value param, ArrayRef<int64_t> normShape) {
  auto type = cast<RankedTensorType>(param.getType());
  if (type.getShape() == normShape)
    return param;
  int64_t count = 1;
  for (int64_t d : normShape)
    count *= d;
  if (type.hasStaticShape() && type.getNumElements() == count)
    return reshape(n, param, normShape);
  return n.create<BroadcastToOp>(type.clone(normShape), param);
}

LogicalResult layerNorm(Node &n) {
  RankedTensorType type = n.inputType(0);
  FailureOr<int64_t> axis = normalizeAxis(n, n.intAttr("axis", -1), type.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < type.getRank(); ++d)
    axes.push_back(d);
  ArrayRef<int64_t> normShape = type.getShape().drop_front(*axis);
  if (llvm::any_of(normShape, ShapedType::isDynamic))
    return n.error() << "normalized dims must be static, got " << type;
  Value scale = n.input(1) ? normParameter(n, n.input(1), normShape) : Value();
  Value bias = n.input(2) ? normParameter(n, n.input(2), normShape) : Value();
  float eps = n.floatAttr("epsilon", 1e-5f);
  n.setOutput(0, n.create<LayerNormOp>(type, n.input(0), scale, bias,
                                     n.b().getDenseI64ArrayAttr(axes),
                                     n.b().getF32FloatAttr(eps)));
  // The optional Mean and InvStdDev outputs, with the normalized dims kept.
  if (n.outputUsed(1) || n.outputUsed(2)) {
    Value x = n.input(0);
    auto axesAttr = n.b().getDenseI64ArrayAttr(axes);
    Value mean = n.create<ReduceMeanOp>(x, axesAttr, true);
    Value d = n.create<SubOp>(x, mean);
    Value var = n.create<ReduceMeanOp>(n.create<MulOp>(d, d),
                                     axesAttr, true);
    Type e = type.getElementType();
    Value stddev = n.create<SqrtOp>(n.create<AddOp>(var, n.scalar(e, eps)));
    n.setOutput(1, mean);
    n.setOutput(2, n.create<DivOp>(n.scalar(e, 1.0), stddev));
  }
  return success();
}

LogicalResult batchNorm(Node &n) {
  if (n.intAttr("training_mode", 0) != 0)
    return n.error() << "training_mode = 1 is not supported";
  if (failed(n.onlyFirstOutputs(1)))
    return failure();
  n.setOutput(0, n.create<BatchNormOp>(n.inputType(0), n.input(0), n.input(1),
                                     n.input(2), n.input(3), n.input(4),
                                     n.b().getF32FloatAttr(n.floatAttr("epsilon", 1e-5f))));
  return success();
}

/// Normalize each channel of each sample over its spatial dims, then apply
/// the per-channel scale and bias.
LogicalResult instanceNorm(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  if (rank < 3)
    return n.error() << "expects an input of rank >= 3, got " << type;
  SmallVector<int64_t> axes, paramShape = {type.getDimSize(1)};
  for (int64_t d = 2; d < rank; ++d) {
    axes.push_back(d);
    paramShape.push_back(1);
  }
  Value y = n.create<LayerNormOp>(type, n.input(0), Value(), Value(),
                                n.b().getDenseI64ArrayAttr(axes),
                                n.b().getF32FloatAttr(n.floatAttr("epsilon", 1e-5f)));
  y = n.create<MulOp>(y, reshape(n, n.input(1), paramShape));
  y = n.create<AddOp>(y, reshape(n, n.input(2), paramShape));
  n.setOutput(0, y);
  return success();
}

} // namespace

void appendNNImporters(std::vector<OpImporter> &t) {
  constexpr int kMax = 1000;
  t.insert(t.end(), {
      {"MatMul", 1, kMax, matmul},
      {"Gemm", 7, kMax, gemm},
      {"Conv", 1, kMax, conv},
      {"MaxPool", 1, kMax, pool<MaxPool2dOp>},
      {"AveragePool", 1, kMax, pool<AvgPool2dOp>},
      {"GlobalAveragePool", 1, kMax, globalAvgPool},
      {"GlobalMaxPool", 1, kMax, globalMaxPool},
      {"LRN", 1, kMax, lrn},
      {"Softmax", 1, kMax, softmax<SoftmaxOp>},
      {"LogSoftmax", 1, kMax, softmax<LogSoftmaxOp>},
      {"LayerNormalization", 17, kMax, layerNorm},
      {"BatchNormalization", 7, kMax, batchNorm},
      {"InstanceNormalization", 6, kMax, instanceNorm},
  });
}

} // namespace axon::onnx_frontend
