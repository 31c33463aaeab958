//===- ShapeOps.cpp - ONNX shape, constant and data-movement operators ----===//

#include "ImportContext.h"

#include "llvm/Support/MathExtras.h"
#include "TensorData.h"
#include "axon/Dialect/Axon/Utils/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <limits>

#include <array>

using namespace mlir;

namespace axon::onnx_frontend {

Value reshapeTo(Node &n, Value x, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> spec(shape);
  int dynamic = 0;
  for (int64_t &d : spec)
    if (ShapedType::isDynamic(d)) {
      d = -1;
      ++dynamic;
    }
  if (dynamic > 1) {
    n.error() << "cannot express a reshape with " << dynamic << " dynamic dims";
    return {};
  }
  if (cast<RankedTensorType>(x.getType()).getShape() == shape)
    return x;
  return n.create<ReshapeOp>(x, n.b().getDenseI64ArrayAttr(spec));
}

namespace {

LogicalResult setReshaped(Node &n, Value x, ArrayRef<int64_t> shape) {
  Value y = reshapeTo(n, x, shape);
  if (!y)
    return failure();
  n.setOutput(0, y);
  return success();
}

/// Records `attr` as a constant output, usable where inputs must be known.
void setConstant(Node &n, unsigned i, ElementsAttr attr) {
  n.setOutput(i, n.create<ConstantOp>(attr));
  if (auto dense = dyn_cast<DenseElementsAttr>(attr); dense && n.outputUsed(i))
    n.ctx.constants[n.proto().output(i)] = dense;
}

DenseElementsAttr i64Tensor(Node &n, ArrayRef<int64_t> values, bool scalar = false) {
  SmallVector<int64_t> shape;
  if (!scalar)
    shape.push_back(values.size());
  return DenseElementsAttr::get(RankedTensorType::get(shape, n.b().getI64Type()), values);
}

LogicalResult transpose(Node &n) {
  SmallVector<int64_t> perm = n.intsAttr("perm");
  if (perm.empty())
    for (int64_t d = n.inputType(0).getRank() - 1; d >= 0; --d)
      perm.push_back(d);
  n.setOutput(0, n.create<TransposeOp>(n.input(0),
                                     n.b().getDenseI64ArrayAttr(perm)));
  return success();
}

/// The static [N, C, H, W] and blocksize of DepthToSpace / SpaceToDepth.
FailureOr<std::array<int64_t, 5>> blockNode(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t b = n.intAttr("blocksize", 0);
  if (type.getRank() != 4 || !type.hasStaticShape() || b <= 0)
    return (n.error() << "needs a static 4-D input and a positive blocksize", failure());
  return std::array<int64_t, 5>{type.getDimSize(0), type.getDimSize(1), type.getDimSize(2),
                                type.getDimSize(3), b};
}

/// DepthToSpace / SpaceToDepth as reshape, transpose, reshape (static NCHW).
LogicalResult depthToSpace(Node &n) {
  FailureOr<std::array<int64_t, 5>> dims = blockNode(n);
  if (failed(dims))
    return failure();
  auto [N, C, H, W, b] = *dims;
  if (C % (b * b))
    return n.error() << "channels " << C << " are not a multiple of blocksize^2 " << b * b;
  bool crd = n.stringAttr("mode", "DCR") == "CRD";
  SmallVector<int64_t> split = crd ? SmallVector<int64_t>{N, C / (b * b), b, b, H, W}
                                   : SmallVector<int64_t>{N, b, b, C / (b * b), H, W};
  SmallVector<int64_t> perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
                                  : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
  Value y = n.create<ReshapeOp>(n.input(0), n.b().getDenseI64ArrayAttr(split));
  y = n.create<TransposeOp>(y, n.b().getDenseI64ArrayAttr(perm));
  SmallVector<int64_t> outShape = {N, C / (b * b), H * b, W * b};
  n.setOutput(0, n.create<ReshapeOp>(y, n.b().getDenseI64ArrayAttr(outShape)));
  return success();
}

LogicalResult spaceToDepth(Node &n) {
  FailureOr<std::array<int64_t, 5>> dims = blockNode(n);
  if (failed(dims))
    return failure();
  auto [N, C, H, W, b] = *dims;
  if (H % b || W % b)
    return n.error() << "spatial sizes " << H << "x" << W << " are not multiples of blocksize "
                     << b;
  SmallVector<int64_t> split = {N, C, H / b, b, W / b, b};
  Value y = n.create<ReshapeOp>(n.input(0), n.b().getDenseI64ArrayAttr(split));
  y = n.create<TransposeOp>(y, n.b().getDenseI64ArrayAttr({0, 3, 5, 1, 2, 4}));
  SmallVector<int64_t> outShape = {N, C * b * b, H / b, W / b};
  n.setOutput(0, n.create<ReshapeOp>(y, n.b().getDenseI64ArrayAttr(outShape)));
  return success();
}

/// EyeLike: a constant of the input's (static 2-D) shape with ones on
/// diagonal k, of `dtype` or the input's element type.
LogicalResult eyeLike(Node &n) {
  RankedTensorType type = n.inputType(0);
  if (type.getRank() != 2 || !type.hasStaticShape())
    return n.error() << "needs a static 2-D input";
  Type elem = type.getElementType();
  if (n.hasAttr("dtype")) {
    std::string message;
    elem = elementTypeOf(n.intAttr("dtype", 1), n.b().getContext(), message);
    if (!elem)
      return n.error() << message;
  }
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1), k = n.intAttr("k", 0);
  auto out = RankedTensorType::get({rows, cols}, elem);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      bool one = j - i == k;
      if (isa<FloatType>(elem))
        values.push_back(n.b().getFloatAttr(elem, one ? 1.0 : 0.0));
      else
        values.push_back(n.b().getIntegerAttr(elem, one ? 1 : 0));
    }
  setConstant(n, 0, DenseElementsAttr::get(out, values));
  return success();
}

LogicalResult reshape(Node &n) {
  FailureOr<SmallVector<int64_t>> shape = n.intsInput(1, "shape");
  if (failed(shape))
    return failure();
  RankedTensorType type = n.inputType(0);
  bool allowZero = n.intAttr("allowzero", 0) != 0;
  SmallVector<int64_t> spec = *shape;
  bool hasInferred = llvm::is_contained(spec, -1);
  for (auto [i, d] : llvm::enumerate(spec)) {
    if (d != 0 || allowZero)
      continue;
    if (static_cast<int64_t>(i) >= type.getRank())
      return n.error() << "shape entry " << i << " copies a dim the input lacks";
    d = type.getDimSize(i);
    if (ShapedType::isDynamic(d)) {
      if (hasInferred)
        return n.error() << "cannot copy dynamic dim " << i << " next to a -1 entry";
      d = -1;
      hasInferred = true;
    }
  }
  n.setOutput(0, n.create<ReshapeOp>(n.input(0), n.b().getDenseI64ArrayAttr(spec)));
  return success();
}

LogicalResult flatten(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  int64_t axis = n.intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return n.error() << "axis out of range";
  auto product = [&](int64_t from, int64_t to) {
    int64_t p = 1;
    for (int64_t d = from; d < to; ++d) {
      if (type.isDynamicDim(d))
        return ShapedType::kDynamic;
      p *= type.getDimSize(d);
    }
    return p;
  };
  return setReshaped(n, n.input(0), {product(0, axis), product(axis, rank)});
}

LogicalResult squeeze(Node &n) {
  RankedTensorType type = n.inputType(0);
  bool given;
  FailureOr<SmallVector<int64_t>> axes = readAxes(n, type.getRank(), 13, given);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    bool drop = given ? llvm::is_contained(*axes, d) : type.getDimSize(d) == 1;
    if (drop && given && type.getDimSize(d) != 1 && !type.isDynamicDim(d))
      return n.error() << "cannot squeeze dim " << d << " of size " << type.getDimSize(d);
    if (!drop)
      shape.push_back(type.getDimSize(d));
  }
  return setReshaped(n, n.input(0), shape);
}

LogicalResult unsqueeze(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t outRank = type.getRank() + (n.opset() >= 13 ? 0 : n.intsAttr("axes").size());
  if (n.opset() >= 13) {
    FailureOr<SmallVector<int64_t>> raw = n.intsInput(1, "axes");
    if (failed(raw))
      return failure();
    outRank += raw->size();
  }
  bool given;
  FailureOr<SmallVector<int64_t>> axes = readAxes(n, outRank, 13, given);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0, in = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(*axes, d) ? 1 : type.getDimSize(in++));
  return setReshaped(n, n.input(0), shape);
}

LogicalResult concat(Node &n) {
  FailureOr<int64_t> axis = normalizeAxis(n, n.intAttr("axis", 0), n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    // Concat has no optional inputs: an empty name is a malformed node.
    if (!n.input(i))
      return (n.error() << "input " << i << " is missing (an empty name)", failure());
    inputs.push_back(n.input(i));
  }
  n.setOutput(0, n.create<ConcatOp>(inputs, *axis));
  return success();
}

LogicalResult slice(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (n.opset() < 10) {
    starts = n.intsAttr("starts");
    ends = n.intsAttr("ends");
    axes = n.intsAttr("axes");
  } else {
    auto get = [&](unsigned i, StringRef what, SmallVector<int64_t> &out) {
      if (!n.input(i))
        return success();
      FailureOr<SmallVector<int64_t>> v = n.intsInput(i, what);
      if (failed(v))
        return failure();
      out = *v;
      return success();
    };
    if (failed(get(1, "starts", starts)) || failed(get(2, "ends", ends)) ||
        failed(get(3, "axes", axes)) || failed(get(4, "steps", steps)))
      return failure();
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.error() << "starts, ends, axes and steps differ in length";
  SmallVector<int64_t> allStarts(rank, 0), allEnds(rank, std::numeric_limits<int64_t>::max()),
      allSteps(rank, 1);
  SmallVector<int64_t> seen;
  for (auto [i, a] : llvm::enumerate(axes)) {
    FailureOr<int64_t> axis = normalizeAxis(n, a, rank);
    if (failed(axis))
      return failure();
    if (llvm::is_contained(seen, *axis))
      return n.error() << "'axes' names axis " << *axis << " twice";
    seen.push_back(*axis);
    if (steps[i] == 0)
      return n.error() << "a step is zero";
    allStarts[*axis] = starts[i];
    allEnds[*axis] = ends[i];
    allSteps[*axis] = steps[i];
  }
  Builder &b = n.b();
  n.setOutput(0, n.create<SliceOp>(n.input(0), b.getDenseI64ArrayAttr(allStarts),
                                 b.getDenseI64ArrayAttr(allEnds),
                                 b.getDenseI64ArrayAttr(allSteps)));
  return success();
}

LogicalResult gather(Node &n) {
  FailureOr<int64_t> axis = normalizeAxis(n, n.intAttr("axis", 0), n.inputType(0).getRank());
  if (failed(axis))
    return failure();
  n.setOutput(0, n.create<GatherOp>(n.input(0), n.input(1), *axis));
  return success();
}

LogicalResult pad(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  std::string modeName = n.stringAttr("mode", "constant");
  std::optional<PadMode> mode = symbolizePadMode(modeName);
  if (!mode)
    return n.error() << "pad mode '" << modeName << "' is not supported";
  SmallVector<int64_t> pads;
  double value = 0;
  SmallVector<int64_t> axes;
  if (n.opset() < 11) {
    pads = n.intsAttr("pads");
    value = n.floatAttr("value", 0.0f);
  } else {
    FailureOr<SmallVector<int64_t>> p = n.intsInput(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.input(2)) {
      FailureOr<double> v = n.scalarInput(2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
    if (n.input(3)) {
      FailureOr<SmallVector<int64_t>> a = n.intsInput(3, "axes");
      if (failed(a))
        return failure();
      for (int64_t x : *a) {
        FailureOr<int64_t> axis = normalizeAxis(n, x, rank);
        if (failed(axis))
          return failure();
        axes.push_back(*axis);
      }
    }
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  int64_t k = axes.size();
  if (static_cast<int64_t>(pads.size()) != 2 * k)
    return n.error() << "expects " << 2 * k << " pads, got " << pads.size();
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (int64_t i = 0; i < k; ++i) {
    low[axes[i]] = pads[i];
    high[axes[i]] = pads[i + k];
    if (pads[i] < 0 || pads[i + k] < 0)
      return n.error() << "negative pads (cropping) are not supported";
  }
  n.setOutput(0, n.create<PadOp>(n.input(0), n.b().getDenseI64ArrayAttr(low),
                               n.b().getDenseI64ArrayAttr(high),
                               PadModeAttr::get(n.b().getContext(), *mode),
                               n.b().getF64FloatAttr(value)));
  return success();
}

LogicalResult expand(Node &n) {
  FailureOr<SmallVector<int64_t>> shape = n.intsInput(1, "shape");
  if (failed(shape))
    return failure();
  RankedTensorType type = n.inputType(0);
  SmallVector<int64_t> result;
  if (failed(broadcastShapes({{"input", type.getShape()}, {"shape", *shape}}, result,
                             [&] { return OptionalDiagnostic(n.error()); })))
    return failure();
  auto resultType = type.clone(result);
  n.setOutput(0, resultType == type
                     ? n.input(0)
                     : n.create<BroadcastToOp>(resultType, n.input(0)));
  return success();
}

LogicalResult tile(Node &n) {
  FailureOr<SmallVector<int64_t>> repeats = n.intsInput(1, "repeats");
  if (failed(repeats))
    return failure();
  Value x = n.input(0);
  // Each repeat becomes a concat operand: bound the count and the result.
  constexpr int64_t kMaxRepeats = 4096, kMaxElements = int64_t(1) << 32;
  int64_t elements = 1;
  RankedTensorType type = n.inputType(0);
  if (static_cast<int64_t>(repeats->size()) != type.getRank())
    return n.error() << "'repeats' has " << repeats->size() << " entries for an input of rank "
                     << type.getRank();
  for (auto [d, count] : llvm::enumerate(*repeats)) {
    int64_t size = type.isDynamicDim(d) ? 1 : type.getDimSize(d);
    int64_t grown;
    if (count >= 1 && count <= kMaxRepeats && !llvm::MulOverflow(size, count, grown) &&
        !llvm::MulOverflow(elements, grown, elements) && elements <= kMaxElements)
      continue;
    if (count < 1)
      return n.error() << "repeats must be >= 1";
    return n.error() << "repeats " << count << " along axis " << d
                     << " exceed what Axon tiles (at most " << kMaxRepeats
                     << " per axis and 2^32 result elements)";
  }
  for (auto [axis, count] : llvm::enumerate(*repeats)) {
    if (count > 1)
      x = n.create<ConcatOp>(SmallVector<Value>(count, x), axis);
  }
  n.setOutput(0, x);
  return success();
}

LogicalResult split(Node &n) {
  RankedTensorType type = n.inputType(0);
  FailureOr<int64_t> axis = normalizeAxis(n, n.intAttr("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t size = type.getDimSize(*axis);
  SmallVector<int64_t> sizes;
  if (n.opset() >= 13 && n.input(1)) {
    FailureOr<SmallVector<int64_t>> s = n.intsInput(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  } else if (n.opset() < 13) {
    sizes = n.intsAttr("split");
  }
  int64_t outputs = n.proto().output_size();
  if (sizes.empty()) {
    if (ShapedType::isDynamic(size))
      return n.error() << "an even split needs a static dim";
    int64_t chunk = (size + outputs - 1) / outputs;
    for (int64_t i = 0, left = size; i < outputs; ++i, left -= chunk)
      sizes.push_back(std::min(chunk, left));
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return n.error() << "split sizes do not match the " << outputs << " outputs";
  int64_t total = 0;
  for (int64_t len : sizes)
    if (len < 0 || llvm::AddOverflow(total, len, total))
      return n.error() << "split sizes must be non-negative";
  if (!ShapedType::isDynamic(size) && total != size)
    return n.error() << "split sizes add up to " << total << ", but dimension " << *axis
                     << " has size " << size;
  int64_t start = 0;
  Builder &b = n.b();
  for (auto [i, len] : llvm::enumerate(sizes)) {
    SmallVector<int64_t> starts(type.getRank(), 0),
        ends(type.getRank(), std::numeric_limits<int64_t>::max()), steps(type.getRank(), 1);
    starts[*axis] = start;
    ends[*axis] = start + len;
    start += len;
    n.setOutput(i, n.create<SliceOp>(n.input(0), b.getDenseI64ArrayAttr(starts),
                                   b.getDenseI64ArrayAttr(ends), b.getDenseI64ArrayAttr(steps)));
  }
  return success();
}

LogicalResult constant(Node &n) {
  MLIRContext *context = n.b().getContext();
  if (const onnx::TensorProto *t = n.tensorAttr("value")) {
    std::string message;
    std::optional<HostTensor> host = decodeTensor(*t, "", message);
    Type elem = host ? elementTypeOf(t->data_type(), context, message) : Type();
    if (!elem)
      return n.error() << message;
    setConstant(n, 0, toElementsAttr(*host, elem, n.proto().output(0), n.ctx.resourceThreshold));
    return success();
  }
  Builder &b = n.b();
  if (n.hasAttr("value_float")) {
    setConstant(n, 0, DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                             n.floatAttr("value_float", 0)));
    return success();
  }
  if (n.hasAttr("value_int")) {
    setConstant(n, 0, i64Tensor(n, {n.intAttr("value_int", 0)}, /*scalar=*/true));
    return success();
  }
  if (n.hasAttr("value_ints")) {
    setConstant(n, 0, i64Tensor(n, n.intsAttr("value_ints")));
    return success();
  }
  for (const auto &attr : n.proto().attribute())
    if (attr.name() == "value_floats") {
      SmallVector<float> values(attr.floats().begin(), attr.floats().end());
      setConstant(n, 0, DenseElementsAttr::get(
                            RankedTensorType::get({(int64_t)values.size()}, b.getF32Type()),
                            ArrayRef<float>(values)));
      return success();
    }
  return n.error() << "only tensor, float(s) and int(s) values are supported";
}

LogicalResult shape(Node &n) {
  RankedTensorType type = n.inputType(0);
  if (!type.hasStaticShape())
    return n.error() << "Shape of a dynamically shaped tensor is not supported";
  int64_t rank = type.getRank();
  int64_t start = n.intAttr("start", 0), end = n.intAttr("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<int64_t> dims;
  for (int64_t d = start; d < end; ++d)
    dims.push_back(type.getDimSize(d));
  setConstant(n, 0, i64Tensor(n, dims));
  return success();
}

LogicalResult size(Node &n) {
  RankedTensorType type = n.inputType(0);
  if (!type.hasStaticShape())
    return n.error() << "Size of a dynamically shaped tensor is not supported";
  setConstant(n, 0, i64Tensor(n, {type.getNumElements()}, /*scalar=*/true));
  return success();
}

LogicalResult constantOfShape(Node &n) {
  FailureOr<SmallVector<int64_t>> shape = n.intsInput(0, "shape");
  if (failed(shape))
    return failure();
  int64_t elements = 1;
  for (int64_t d : *shape)
    if (d < 0 || llvm::MulOverflow(elements, d, elements))
      return n.error() << "'shape' has a negative size or more than 2^63 elements";
  MLIRContext *context = n.b().getContext();
  Type elem = n.b().getF32Type();
  Attribute value = n.b().getFloatAttr(elem, 0.0);
  if (const onnx::TensorProto *t = n.tensorAttr("value")) {
    std::string message;
    std::optional<HostTensor> host = decodeTensor(*t, "", message);
    elem = host ? elementTypeOf(t->data_type(), context, message) : Type();
    if (!elem)
      return n.error() << message;
    if (host->numElements() != 1)
      return n.error() << "'value' must hold one element, but holds " << host->numElements();
    auto attr = cast<DenseElementsAttr>(toElementsAttr(*host, elem, "", 1 << 30));
    value = attr.getSplatValue<Attribute>();
  }
  setConstant(n, 0, DenseElementsAttr::get(RankedTensorType::get(*shape, elem), value));
  return success();
}

LogicalResult range(Node &n) {
  // Folded at import into a constant: bound its size.
  constexpr int64_t kMaxElements = int64_t(1) << 24;
  Type elem = n.inputType(0).getElementType();
  SmallVector<Attribute> values;
  int64_t count;
  if (isa<IntegerType>(elem)) {
    // Exact integer arithmetic (through double, 2^63 and its neighbours blur).
    FailureOr<SmallVector<int64_t>> start = n.intsInput(0, "start"),
                                    limit = n.intsInput(1, "limit"),
                                    delta = n.intsInput(2, "delta");
    if (failed(start) || failed(limit) || failed(delta))
      return failure();
    if (start->size() != 1 || limit->size() != 1 || delta->size() != 1)
      return n.error() << "start, limit and delta must be scalars";
    __int128 s0 = start->front(), d = delta->front(), span = __int128(limit->front()) - s0;
    if (d == 0)
      return n.error() << "delta is zero";
    __int128 steps = span / d + ((span % d != 0) && ((span > 0) == (d > 0)) ? 1 : 0);
    if (steps > kMaxElements)
      return n.error() << "Range of more than " << kMaxElements
                       << " elements is too large to fold into a constant";
    count = steps > 0 ? static_cast<int64_t>(steps) : 0;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(n.b().getIntegerAttr(elem, static_cast<int64_t>(s0 + i * d)));
  } else {
    FailureOr<double> start = n.scalarInput(0, "start"), limit = n.scalarInput(1, "limit"),
                      delta = n.scalarInput(2, "delta");
    if (failed(start) || failed(limit) || failed(delta))
      return failure();
    if (*delta == 0)
      return n.error() << "delta is zero";
    double steps = std::ceil((*limit - *start) / *delta);
    if (!(steps <= double(kMaxElements)))
      return n.error() << "Range of more than " << kMaxElements
                       << " elements is too large to fold into a constant";
    count = std::max<int64_t>(0, static_cast<int64_t>(steps));
    for (int64_t i = 0; i < count; ++i)
      values.push_back(n.b().getFloatAttr(elem, *start + i * *delta));
  }
  setConstant(n, 0, DenseElementsAttr::get(RankedTensorType::get({count}, elem), values));
  return success();
}

/// Trilu: keep the upper (j - i >= k) or lower (j - i <= k) triangle of the
/// last two dims, as a select with a constant mask (static sizes).
LogicalResult trilu(Node &n) {
  RankedTensorType type = n.inputType(0);
  int64_t rank = type.getRank();
  if (rank < 2)
    return n.error() << "expects rank >= 2, got " << type;
  int64_t rows = type.getDimSize(rank - 2), cols = type.getDimSize(rank - 1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols))
    return n.error() << "needs static matrix dims, got " << type;
  int64_t k = 0;
  if (n.input(1)) {
    FailureOr<SmallVector<int64_t>> v = n.intsInput(1, "k");
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return n.error() << "'k' must be a scalar";
    // j - i lies in [-rows, cols]: clamping k there keeps the mask exact and
    // the comparisons below free of overflow.
    k = std::clamp<int64_t>(v->front(), -rows, cols);
  }
  bool upper = n.intAttr("upper", 1) != 0;
  SmallVector<bool> keep;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      keep.push_back(upper ? j - i >= k : j - i <= k);
  auto maskType = RankedTensorType::get({rows, cols}, n.b().getI1Type());
  Value mask = n.create<ConstantOp>(DenseElementsAttr::get(maskType, keep));
  n.setOutput(0, n.create<SelectOp>(mask, n.input(0),
                                  n.scalar(type.getElementType(), 0)));
  return success();
}

} // namespace

void appendShapeImporters(std::vector<OpImporter> &t) {
  constexpr int kMax = 1000;
  t.insert(t.end(), {
      {"Transpose", 1, kMax, transpose},
      {"Reshape", 5, kMax, reshape},
      {"Flatten", 1, kMax, flatten},
      {"DepthToSpace", 1, kMax, depthToSpace},
      {"SpaceToDepth", 1, kMax, spaceToDepth},
      {"EyeLike", 9, kMax, eyeLike},
      {"Squeeze", 1, kMax, squeeze},
      {"Unsqueeze", 1, kMax, unsqueeze},
      {"Concat", 4, kMax, concat},
      {"Slice", 1, kMax, slice},
      {"Gather", 1, kMax, gather},
      {"Pad", 2, kMax, pad},
      {"Expand", 8, kMax, expand},
      {"Tile", 6, kMax, tile},
      {"Split", 2, kMax, split},
      {"Constant", 1, kMax, constant},
      {"Shape", 1, kMax, shape},
      {"Size", 1, kMax, size},
      {"ConstantOfShape", 9, kMax, constantOfShape},
      {"Range", 11, kMax, range},
      {"Trilu", 14, kMax, trilu},
  });
}

} // namespace axon::onnx_frontend
