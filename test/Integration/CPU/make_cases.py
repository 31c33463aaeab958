#!/usr/bin/env python3
"""Writes the CPU integration tests: one .mlir file per case, with inputs and
expected outputs as .npy files in Inputs/. Expected outputs come from numpy
reference implementations written here, independently of Axon.

Run with Debian's numpy: /usr/bin/python3 make_cases.py (from this directory).
"""
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "Inputs")
rng = np.random.default_rng(20261122)
erf = np.vectorize(math.erf)

MLIR_TYPES = {np.float16: "f16", np.float32: "f32", np.float64: "f64", np.int32: "i32", np.int64: "i64", np.bool_: "i1"}


def ttype(a):
    shape = "x".join(str(d) for d in a.shape)
    elem = MLIR_TYPES[a.dtype.type]
    return f"tensor<{shape}x{elem}>" if a.ndim else f"tensor<{elem}>"


def f32(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


CASES = []


def case(name, body, inputs, outputs, rtol=1e-5, atol=1e-6, arg_types=None,
         result_types=None):
    CASES.append((name, body, inputs, outputs, rtol, atol, arg_types, result_types))


# ---------------------------------------------------------------- elementwise
a, b = f32(4, 3), f32(3)
pos = f32(4, 3, lo=0.1, hi=2.0)
ia, ib = rng.integers(-20, 20, (4, 3)).astype(np.int32), rng.integers(1, 7, (3,)).astype(np.int32)

def binary(name, op, x, y, ref, **kw):
    case(name, f"%r = axon.{op} %arg0, %arg1 : {ttype(x)}, {ttype(y)}", [x, y], [ref], **kw)

binary("add_broadcast", "add", a, b, a + b)
binary("sub_broadcast", "sub", b, a, b - a)
binary("mul", "mul", a, a, a * a)
binary("div", "div", a, pos, a / pos)
binary("pow", "pow", pos, b, np.power(pos, b), rtol=1e-5)
binary("max", "max", a, b, np.maximum(a, b))
binary("min", "min", a, b, np.minimum(a, b))
binary("add_i32", "add", ia, ib, ia + ib)
d64 = rng.uniform(-1, 1, (3, 4))
binary("mul_f64", "mul", d64, d64, d64 * d64, rtol=1e-12, atol=1e-15)
# Integer division truncates toward zero, as C and arith.divsi do.
binary("div_i32", "div", ia, ib, (np.trunc(ia / ib)).astype(np.int32))
binary("max_i64", "max", ia.astype(np.int64), ib.astype(np.int64), np.maximum(ia, ib).astype(np.int64))

for pred, fn in [("eq", np.equal), ("ne", np.not_equal), ("lt", np.less),
                 ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)]:
    x = np.array([[1, 2, 3], [3, 2, 1]], np.float32)
    y = np.array([2, 2, 2], np.float32)
    case(f"cmp_{pred}", f"%r = axon.cmp {pred}, %arg0, %arg1 : {ttype(x)}, {ttype(y)}",
         [x, y], [fn(x, y)])

cond = rng.integers(0, 2, (4, 1)).astype(np.bool_)
case("select", f"%r = axon.select %arg0, %arg1, %arg2 : {ttype(cond)}, {ttype(a)}, {ttype(b)}",
     [cond, a, b], [np.where(cond, a, b)])

def unary(name, op, x, ref, extra="", **kw):
    case(name, f"%r = axon.{op} %arg0{extra} : {ttype(x)}", [x], [ref], **kw)

u = f32(2, 5, lo=-3, hi=3)
unary("neg", "neg", u, -u)
unary("abs", "abs", u, np.abs(u))
unary("abs_i32", "abs", ia, np.abs(ia))
unary("exp", "exp", u, np.exp(u), rtol=2e-6)
unary("log", "log", pos, np.log(pos), atol=1e-6)
unary("sqrt", "sqrt", pos, np.sqrt(pos))
unary("rsqrt", "rsqrt", pos, 1 / np.sqrt(pos), rtol=2e-6)
unary("tanh", "tanh", u, np.tanh(u), atol=1e-6)
unary("sigmoid", "sigmoid", u, (1 / (1 + np.exp(-u.astype(np.float64)))).astype(np.float32), atol=1e-6)
unary("relu", "relu", u, np.maximum(u, 0))
unary("relu_i32", "relu", ia, np.maximum(ia, 0))
unary("erf", "erf", u, erf(u).astype(np.float32), atol=1e-6)
u64 = u.astype(np.float64)
unary("gelu", "gelu", u, (0.5 * u64 * (1 + erf(u64 / math.sqrt(2)))).astype(np.float32), atol=1e-6)
unary("gelu_tanh", "gelu", u,
      (0.5 * u64 * (1 + np.tanh(math.sqrt(2 / math.pi) * (u64 + 0.044715 * u64 ** 3)))).astype(np.float32),
      extra=" approximate = tanh", atol=1e-6)
unary("exp_f64", "exp", d64, np.exp(d64), rtol=1e-12, atol=1e-15)
unary("sin", "sin", u, np.sin(u), atol=1e-6)
unary("cos", "cos", u, np.cos(u), atol=1e-6)
uu = f32(2, 5, lo=-0.9, hi=0.9)
unary("tan", "tan", uu, np.tan(uu), atol=1e-6)
unary("asin", "asin", uu, np.arcsin(uu), atol=1e-6)
unary("acos", "acos", uu, np.arccos(uu), atol=1e-6)
unary("atan", "atan", u, np.arctan(u), atol=1e-6)
unary("sinh", "sinh", u, np.sinh(u), rtol=2e-6, atol=1e-6)
unary("cosh", "cosh", u, np.cosh(u), rtol=2e-6)
unary("asinh", "asinh", u, np.arcsinh(u), atol=1e-6)
unary("acosh", "acosh", pos + 1, np.arccosh(pos + 1), atol=1e-6)
unary("atanh", "atanh", uu, np.arctanh(uu), atol=1e-6)
unary("floor", "floor", u, np.floor(u))
unary("ceil", "ceil", u, np.ceil(u))
halves = np.array([[-2.5, -1.5, -0.5, 0.5, 1.5], [2.5, 3.2, -3.7, 0.0, 4.5]], np.float32)
unary("round", "round", halves, np.round(halves))  # numpy rounds half to even
unary("clip", "clip", u, np.clip(u, -1.0, 0.5), extra=" min = -1.0 max = 0.5")
unary("clip_i32", "clip", ia, np.clip(ia, -3, 4), extra=" min = -3.0 max = 4.0")
case("cast_f32_i32", f"%r = axon.cast %arg0 : {ttype(u)} to tensor<2x5xi32>", [u], [np.trunc(u).astype(np.int32)])
case("cast_i32_f32", f"%r = axon.cast %arg0 : {ttype(ia)} to tensor<4x3xf32>", [ia], [ia.astype(np.float32)])
case("cast_f32_i1", f"%r = axon.cast %arg0 : tensor<4xf32> to tensor<4xi1>",
     [np.array([0, 1.5, -0.0, -2], np.float32)], [np.array([False, True, False, True])])
case("cast_i1_i64", f"%r = axon.cast %arg0 : tensor<3xi1> to tensor<3xi64>",
     [np.array([True, False, True])], [np.array([1, 0, 1], np.int64)])
case("constant", "%r = axon.constant dense<[[1.5, -2.0], [0.25, 4.0]]> : tensor<2x2xf32>", [],
     [np.array([[1.5, -2.0], [0.25, 4.0]], np.float32)])

# ---------------------------------------------------------- matmul and conv
m1, m2 = f32(5, 7), f32(7, 3)
case("matmul_2d", f"%r = axon.matmul %arg0, %arg1 : {ttype(m1)}, {ttype(m2)}", [m1, m2], [m1 @ m2], rtol=1e-5, atol=1e-5)
bt1, bt2 = f32(2, 1, 4, 6), f32(3, 6, 5)
case("matmul_batch_broadcast", f"%r = axon.matmul %arg0, %arg1 : {ttype(bt1)}, {ttype(bt2)}",
     [bt1, bt2], [np.matmul(bt1, bt2)], atol=1e-5)
bb1, bb2 = f32(3, 4, 6), f32(3, 6, 5)
case("matmul_batched", f"%r = axon.matmul %arg0, %arg1 : {ttype(bb1)}, {ttype(bb2)}",
     [bb1, bb2], [np.matmul(bb1, bb2)], atol=1e-5)
t1, t2 = f32(7, 5), f32(3, 7)
case("matmul_transposed", f"%r = axon.matmul %arg0, %arg1 transpose_lhs transpose_rhs : {ttype(t1)}, {ttype(t2)}",
     [t1, t2], [t1.T @ t2.T], atol=1e-5)
mi1, mi2 = rng.integers(-5, 5, (3, 4)).astype(np.int32), rng.integers(-5, 5, (4, 2)).astype(np.int32)
case("matmul_i32", f"%r = axon.matmul %arg0, %arg1 : {ttype(mi1)}, {ttype(mi2)}", [mi1, mi2], [mi1 @ mi2])


def conv_ref(x, w, bias, stride, pad, dil, groups):
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])))
    oh = (xp.shape[2] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (xp.shape[3] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for o in range(f):
        g = o // fg
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, g * cg:(g + 1) * cg,
                           i * stride[0]: i * stride[0] + dil[0] * (kh - 1) + 1: dil[0],
                           j * stride[1]: j * stride[1] + dil[1] * (kw - 1) + 1: dil[1]]
                out[:, o, i, j] = (patch * w[o]).sum(axis=(1, 2, 3))
    if bias is not None:
        out += bias.reshape(1, -1, 1, 1)
    return out.astype(np.float32)

cx, cw, cb = f32(2, 3, 9, 8), f32(4, 3, 3, 3), f32(4)
case("conv2d_bias_stride_pad",
     f"%r = axon.conv2d %arg0, %arg1 bias(%arg2 : {ttype(cb)}) strides = [2, 2] padding = [1, 1, 1, 1] : {ttype(cx)}, {ttype(cw)}",
     [cx, cw, cb], [conv_ref(cx, cw, cb, (2, 2), (1, 1, 1, 1), (1, 1), 1)], atol=1e-5)
gx, gw = f32(1, 4, 7, 7), f32(6, 2, 3, 3)
case("conv2d_grouped_dilated",
     f"%r = axon.conv2d %arg0, %arg1 padding = [2, 0, 1, 2] dilations = [2, 1] groups = 2 : {ttype(gx)}, {ttype(gw)}",
     [gx, gw], [conv_ref(gx, gw, None, (1, 1), (2, 0, 1, 2), (2, 1), 2)], atol=1e-5)


def pool_ref(x, k, stride, pad, dil, ceil, mode, include_pad=False):
    n, c, h, w = x.shape
    outs = []
    for d, size in enumerate((h, w)):
        span = size + pad[d] + pad[d + 2] - dil[d] * (k[d] - 1) - 1
        o = (-(-span // stride[d]) if ceil else span // stride[d]) + 1
        if ceil and (o - 1) * stride[d] >= size + pad[d]:
            o -= 1
        outs.append(o)
    out = np.zeros((n, c, outs[0], outs[1]))
    for i in range(outs[0]):
        for j in range(outs[1]):
            vals, count = [], 0
            for a_ in range(k[0]):
                for b_ in range(k[1]):
                    r = i * stride[0] - pad[0] + a_ * dil[0]
                    s = j * stride[1] - pad[1] + b_ * dil[1]
                    inside = 0 <= r < h and 0 <= s < w
                    in_padded = -pad[0] <= r < h + pad[2] and -pad[1] <= s < w + pad[3]
                    if inside:
                        vals.append(x[:, :, r, s].astype(np.float64))
                    if inside or (include_pad and in_padded):
                        count += 1
            stack = np.stack(vals)
            out[:, :, i, j] = stack.max(axis=0) if mode == "max" else stack.sum(axis=0) / count
    return out.astype(np.float32)

px = f32(2, 3, 7, 7)
case("max_pool2d", f"%r = axon.max_pool2d %arg0 kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : {ttype(px)}",
     [px], [pool_ref(px, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, "max")])
case("max_pool2d_ceil_dilated", f"%r = axon.max_pool2d %arg0 kernel = [2, 2] strides = [2, 2] dilations = [1, 2] ceil_mode : {ttype(px)}",
     [px], [pool_ref(px, (2, 2), (2, 2), (0, 0, 0, 0), (1, 2), True, "max")])
case("avg_pool2d_exclude_pad", f"%r = axon.avg_pool2d %arg0 kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : {ttype(px)}",
     [px], [pool_ref(px, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, "avg")])
case("avg_pool2d_include_pad_ceil", f"%r = axon.avg_pool2d %arg0 kernel = [2, 2] strides = [2, 2] padding = [1, 0, 1, 0] ceil_mode count_include_pad : {ttype(px)}",
     [px], [pool_ref(px, (2, 2), (2, 2), (1, 0, 1, 0), (1, 1), True, "avg", True)])
case("avg_pool2d_plain", f"%r = axon.avg_pool2d %arg0 kernel = [2, 3] : {ttype(px)}",
     [px], [pool_ref(px, (2, 3), (1, 1), (0, 0, 0, 0), (1, 1), False, "avg")])
case("global_avg_pool", f"%r = axon.global_avg_pool %arg0 : {ttype(px)}", [px], [px.mean(axis=(2, 3), keepdims=True)])

# ------------------------------------------------------------- reductions
r3 = f32(3, 4, 5)
ri = rng.integers(-9, 9, (3, 4)).astype(np.int32)
for op, fn in [("reduce_sum", np.sum), ("reduce_max", np.max), ("reduce_min", np.min),
               ("reduce_mean", np.mean), ("reduce_prod", np.prod)]:
    case(f"{op}", f"%r = axon.{op} %arg0 axes = [0, 2] : {ttype(r3)}", [r3], [fn(r3, axis=(0, 2))], atol=1e-6)
    case(f"{op}_keep", f"%r = axon.{op} %arg0 axes = [1] keep_dims : {ttype(r3)}", [r3], [fn(r3, axis=1, keepdims=True)], atol=1e-6)
case("reduce_sum_all", f"%r = axon.reduce_sum %arg0 axes = [0, 1, 2] : {ttype(r3)}", [r3], [np.array(r3.sum(), np.float32)], atol=1e-5)
case("reduce_max_i32", f"%r = axon.reduce_max %arg0 axes = [1] : {ttype(ri)}", [ri], [ri.max(axis=1)])
case("reduce_prod_i32", f"%r = axon.reduce_prod %arg0 axes = [0] keep_dims : {ttype(ri)}", [ri], [ri.prod(axis=0, keepdims=True).astype(np.int32)])
am = np.array([[1, 5, 5, 2], [7, 0, 7, -1], [-3, -2, -9, -2]], np.float32)
case("argmax", f"%r = axon.argmax %arg0 axis = 1 : {ttype(am)}", [am], [np.argmax(am, axis=1).astype(np.int64)])
case("argmax_keep", f"%r = axon.argmax %arg0 axis = 0 keep_dims : {ttype(am)}", [am], [np.argmax(am, axis=0)[None].astype(np.int64)])

# ------------------------------------------------- softmax and normalization
def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)

sx = f32(3, 4, 6, lo=-4, hi=4)
case("softmax", f"%r = axon.softmax %arg0 axis = 2 : {ttype(sx)}", [sx], [softmax(sx, 2)], atol=1e-6)
case("softmax_axis0", f"%r = axon.softmax %arg0 axis = 0 : {ttype(sx)}", [sx], [softmax(sx, 0)], atol=1e-6)
case("log_softmax", f"%r = axon.log_softmax %arg0 axis = 1 : {ttype(sx)}", [sx],
     [(sx - sx.max(1, keepdims=True)) - np.log(np.exp(sx - sx.max(1, keepdims=True)).sum(1, keepdims=True))], atol=1e-5)

def layer_norm(x, axes, eps, scale=None, bias=None):
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=axes, keepdims=True)
    var = ((x64 - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x64 - mean) / np.sqrt(var + eps)
    if scale is not None:
        y = y * scale
    if bias is not None:
        y = y + bias
    return y.astype(np.float32)

lx, lg, lb = f32(2, 3, 8), f32(8), f32(8)
case("layer_norm", f"%r = axon.layer_norm %arg0 scale(%arg1 : {ttype(lg)}) bias(%arg2 : {ttype(lb)}) axes = [2] : {ttype(lx)}",
     [lx, lg, lb], [layer_norm(lx, (2,), 1e-5, lg, lb)], atol=1e-5)
lg2 = f32(3, 8)
case("layer_norm_two_axes", f"%r = axon.layer_norm %arg0 scale(%arg1 : {ttype(lg2)}) axes = [1, 2] epsilon = 1.0e-03 : {ttype(lx)}",
     [lx, lg2], [layer_norm(lx, (1, 2), 1e-3, lg2)], atol=1e-5)
bx = f32(2, 3, 4, 4)
bs, bbias, bm, bv = f32(3), f32(3), f32(3), f32(3, lo=0.5, hi=2)
case("batch_norm", f"%r = axon.batch_norm %arg0, %arg1, %arg2, %arg3, %arg4 epsilon = 1.0e-03 : {ttype(bx)}, {ttype(bs)}",
     [bx, bs, bbias, bm, bv],
     [((bx - bm.reshape(1, 3, 1, 1)) / np.sqrt(bv.reshape(1, 3, 1, 1) + 1e-3) * bs.reshape(1, 3, 1, 1) + bbias.reshape(1, 3, 1, 1)).astype(np.float32)],
     atol=1e-5)

def attention(q, k, v, mask=None, scale=None, causal=False):
    scale = scale if scale is not None else 1 / math.sqrt(q.shape[-1])
    s = np.matmul(q.astype(np.float64), np.swapaxes(k, -1, -2)) * scale
    if mask is not None:
        s = np.where(mask, s, -np.inf) if mask.dtype == np.bool_ else s + mask
    if causal:
        lq, lk = s.shape[-2:]
        s = np.where(np.arange(lk)[None, :] > np.arange(lq)[:, None], -np.inf, s)
    return np.matmul(softmax(s, -1), v).astype(np.float32)

q, k, v = f32(2, 2, 5, 4), f32(2, 2, 6, 4), f32(2, 2, 6, 3)
case("attention", f"%r = axon.attention %arg0, %arg1, %arg2 : {ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v], [attention(q, k, v)], atol=1e-5)
qc = f32(2, 6, 4)
kc, vc = f32(2, 6, 4), f32(2, 6, 4)
case("attention_causal_scaled", f"%r = axon.attention %arg0, %arg1, %arg2 scale = 0.3 causal : {ttype(qc)}, {ttype(kc)}, {ttype(vc)}",
     [qc, kc, vc], [attention(qc, kc, vc, scale=0.3, causal=True)], atol=1e-5)
bmask = rng.integers(0, 2, (5, 6)).astype(np.bool_)
bmask[:, 0] = True  # every query sees at least one key
case("attention_bool_mask", f"%r = axon.attention %arg0, %arg1, %arg2 mask(%arg3 : {ttype(bmask)}) : {ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v, bmask], [attention(q, k, v, mask=bmask)], atol=1e-5)
fmask = f32(1, 1, 1, 6)
case("attention_additive_mask", f"%r = axon.attention %arg0, %arg1, %arg2 mask(%arg3 : {ttype(fmask)}) : {ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v, fmask], [attention(q, k, v, mask=fmask)], atol=1e-5)

# ------------------------------------------------------------------ shapes
sh = f32(2, 3, 4)
case("transpose", f"%r = axon.transpose %arg0 perm = [2, 0, 1] : {ttype(sh)}", [sh], [sh.transpose(2, 0, 1)])
case("reshape", f"%r = axon.reshape %arg0 to [4, -1] : {ttype(sh)}", [sh], [sh.reshape(4, -1)])
case("broadcast_to", f"%r = axon.broadcast_to %arg0 : tensor<3x1xf32> to tensor<2x3x4xf32>",
     [f32(3, 1)], None)
CASES[-1] = CASES[-1][:3] + ([np.broadcast_to(CASES[-1][2][0], (2, 3, 4)).copy()],) + CASES[-1][4:]
c1, c2 = f32(2, 3), f32(2, 5)
case("concat", f"%r = axon.concat %arg0, %arg1, %arg0 axis = 1 : {ttype(c1)}, {ttype(c2)}, {ttype(c1)}",
     [c1, c2], [np.concatenate([c1, c2, c1], axis=1)])
s10 = np.arange(10, dtype=np.float32).reshape(2, 5)
case("slice_positive", f"%r = axon.slice %arg0 starts = [0, 1] ends = [2, 9223372036854775807] steps = [1, 2] : {ttype(s10)}",
     [s10], [s10[0:2, 1::2]])
case("slice_negative_step", f"%r = axon.slice %arg0 starts = [-1, -1] ends = [-3, -9223372036854775808] steps = [-1, -2] : {ttype(s10)}",
     [s10], [s10[-1:-3:-1, ::-2]])
table = f32(6, 3)
ids = np.array([[0, 5], [-1, 2]], np.int64)
case("gather", f"%r = axon.gather %arg0[%arg1] axis = 0 : {ttype(table)}, {ttype(ids)}", [table, ids], [np.take(table, ids, axis=0)])
ids1 = np.array([2, 0, 1, 1], np.int32)
case("gather_axis1", f"%r = axon.gather %arg0[%arg1] axis = 1 : {ttype(table)}, {ttype(ids1)}", [table, ids1], [np.take(table, ids1, axis=1)])
pd = f32(3, 4)
case("pad_constant", f"%r = axon.pad %arg0 low = [1, 0] high = [2, 3] value = -1.5 : {ttype(pd)}", [pd],
     [np.pad(pd, ((1, 2), (0, 3)), constant_values=-1.5)])
case("pad_reflect", f"%r = axon.pad %arg0 low = [2, 1] high = [1, 3] mode = reflect : {ttype(pd)}", [pd],
     [np.pad(pd, ((2, 1), (1, 3)), mode="reflect")])
case("pad_edge", f"%r = axon.pad %arg0 low = [0, 2] high = [3, 1] mode = edge : {ttype(pd)}", [pd],
     [np.pad(pd, ((0, 3), (2, 1)), mode="edge")])

# ------------------------------------------------------------------ models
def relu(x):
    return np.maximum(x, 0)

mx, w1, b1, w2, b2 = f32(4, 16), f32(16, 32), f32(32), f32(32, 10), f32(10)
case("model_mlp", f"""%h = axon.matmul %arg0, %arg1 : {ttype(mx)}, {ttype(w1)}
  %hb = axon.add %h, %arg2 : tensor<4x32xf32>, {ttype(b1)}
  %a = axon.relu %hb : tensor<4x32xf32>
  %o = axon.matmul %a, %arg3 : tensor<4x32xf32>, {ttype(w2)}
  %ob = axon.add %o, %arg4 : tensor<4x10xf32>, {ttype(b2)}
  %r = axon.softmax %ob axis = 1 : tensor<4x10xf32>""",
     [mx, w1, b1, w2, b2], [softmax(relu(mx @ w1 + b1) @ w2 + b2, 1)], atol=1e-5)

cbx, cbw, cbb = f32(2, 3, 12, 12), f32(8, 3, 3, 3), f32(8)
bn = [f32(8), f32(8), f32(8), f32(8, lo=0.5, hi=1.5)]
fcw = f32(8, 5)
def conv_block_ref():
    y = conv_ref(cbx, cbw, cbb, (1, 1), (1, 1, 1, 1), (1, 1), 1).astype(np.float64)
    s, bb, m, v = (p.reshape(1, 8, 1, 1) for p in bn)
    y = (y - m) / np.sqrt(v + 1e-5) * s + bb
    y = relu(y)
    y = pool_ref(y, (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), False, "max").astype(np.float64)
    y = y.mean(axis=(2, 3))
    return (y @ fcw).astype(np.float32)
case("model_conv_block", f"""%c = axon.conv2d %arg0, %arg1 bias(%arg2 : tensor<8xf32>) padding = [1, 1, 1, 1] : {ttype(cbx)}, {ttype(cbw)}
  %n = axon.batch_norm %c, %arg3, %arg4, %arg5, %arg6 : tensor<2x8x12x12xf32>, tensor<8xf32>
  %a = axon.relu %n : tensor<2x8x12x12xf32>
  %p = axon.max_pool2d %a kernel = [2, 2] strides = [2, 2] : tensor<2x8x12x12xf32>
  %g = axon.global_avg_pool %p : tensor<2x8x6x6xf32>
  %f = axon.reshape %g to [2, -1] : tensor<2x8x1x1xf32>
  %r = axon.matmul %f, %arg7 : tensor<2x8xf32>, {ttype(fcw)}""",
     [cbx, cbw, cbb] + bn + [fcw], [conv_block_ref()], atol=1e-4)

# A pre-norm transformer attention block: 2 sequences of 6 tokens, width 8, 2 heads.
tx, tg, tb = f32(2, 6, 8), f32(8), f32(8)
wq, wk, wv, wo = f32(8, 8), f32(8, 8), f32(8, 8), f32(8, 8)
def block_ref():
    h = layer_norm(tx, (2,), 1e-5, tg, tb).astype(np.float64)
    def heads(w):
        return (h @ w).reshape(2, 6, 2, 4).transpose(0, 2, 1, 3)
    o = attention(heads(wq), heads(wk), heads(wv), causal=True).astype(np.float64)
    o = o.transpose(0, 2, 1, 3).reshape(2, 6, 8)
    return (tx + o @ wo).astype(np.float32)
case("model_attention_block", f"""%h = axon.layer_norm %arg0 scale(%arg1 : tensor<8xf32>) bias(%arg2 : tensor<8xf32>) axes = [2] : tensor<2x6x8xf32>
  %q0 = axon.matmul %h, %arg3 : tensor<2x6x8xf32>, tensor<8x8xf32>
  %k0 = axon.matmul %h, %arg4 : tensor<2x6x8xf32>, tensor<8x8xf32>
  %v0 = axon.matmul %h, %arg5 : tensor<2x6x8xf32>, tensor<8x8xf32>
  %q1 = axon.reshape %q0 to [2, 6, 2, 4] : tensor<2x6x8xf32>
  %k1 = axon.reshape %k0 to [2, 6, 2, 4] : tensor<2x6x8xf32>
  %v1 = axon.reshape %v0 to [2, 6, 2, 4] : tensor<2x6x8xf32>
  %q = axon.transpose %q1 perm = [0, 2, 1, 3] : tensor<2x6x2x4xf32>
  %k = axon.transpose %k1 perm = [0, 2, 1, 3] : tensor<2x6x2x4xf32>
  %v = axon.transpose %v1 perm = [0, 2, 1, 3] : tensor<2x6x2x4xf32>
  %o = axon.attention %q, %k, %v causal : tensor<2x2x6x4xf32>, tensor<2x2x6x4xf32>, tensor<2x2x6x4xf32>
  %o1 = axon.transpose %o perm = [0, 2, 1, 3] : tensor<2x2x6x4xf32>
  %o2 = axon.reshape %o1 to [2, 6, 8] : tensor<2x6x2x4xf32>
  %p = axon.matmul %o2, %arg6 : tensor<2x6x8xf32>, tensor<8x8xf32>
  %r = axon.add %arg0, %p : tensor<2x6x8xf32>, tensor<2x6x8xf32>""",
     [tx, tg, tb, wq, wk, wv, wo], [block_ref()], atol=1e-5)

# Dynamic shapes: the batch is only known at run time.
dx, dw, db = f32(5, 8), f32(8, 4), f32(4)
case("model_dynamic_batch", f"""%h = axon.matmul %arg0, %arg1 : tensor<?x8xf32>, tensor<8x4xf32>
  %hb = axon.add %h, %arg2 : tensor<?x4xf32>, tensor<4xf32>
  %n = axon.layer_norm %hb axes = [1] : tensor<?x4xf32>
  %s = axon.softmax %n axis = 1 : tensor<?x4xf32>
  %flat = axon.reshape %s to [-1] : tensor<?x4xf32>
  %m = axon.reduce_max %s axes = [1] keep_dims : tensor<?x4xf32>
  %sl = axon.slice %s starts = [1, 0] ends = [9223372036854775807, 2] steps = [2, 1] : tensor<?x4xf32>
  %r = axon.concat %sl, %sl axis = 0 : tensor<?x2xf32>, tensor<?x2xf32>""",
     [dx, dw, db], None, arg_types=["tensor<?x8xf32>", "tensor<8x4xf32>", "tensor<4xf32>"],
     result_types=["tensor<?x2xf32>"], atol=1e-6)
_s = softmax(layer_norm(dx @ dw + db, (1,), 1e-5), 1)
CASES[-1] = CASES[-1][:3] + ([np.concatenate([_s[1::2, 0:2]] * 2, axis=0).astype(np.float32)],) + CASES[-1][4:]

# ------------------------------------------ CPU register tiles and thread blocks
# Sizes past one 8x32 register tile and one 64x256 thread block, with edges
# in every dimension, so full (static) tiles, peeled edge tiles (masked) and
# several blocks all run (axon-cpu-vectorize-contractions). Appended here so
# the random draws of the cases above stay as they were.
mb1, mb2 = f32(131, 300), f32(300, 77)
case("matmul_register_tiles", f"%r = axon.matmul %arg0, %arg1 : {ttype(mb1)}, {ttype(mb2)}",
     [mb1, mb2], [(mb1.astype(np.float64) @ mb2).astype(np.float32)], rtol=1e-4, atol=1e-4)
bm1, bm2 = f32(3, 37, 64), f32(3, 64, 290)
case("matmul_batched_register_tiles",
     f"%r = axon.matmul %arg0, %arg1 : {ttype(bm1)}, {ttype(bm2)}",
     [bm1, bm2], [np.matmul(bm1.astype(np.float64), bm2).astype(np.float32)], rtol=1e-4, atol=1e-4)
dm1, dm2 = f32(45, 96), f32(96, 70)
case("matmul_dynamic_register_tiles",
     f"%r = axon.matmul %arg0, %arg1 : tensor<?x96xf32>, {ttype(dm2)}",
     [dm1, dm2], [(dm1.astype(np.float64) @ dm2).astype(np.float32)], rtol=1e-4, atol=1e-4,
     arg_types=["tensor<?x96xf32>", ttype(dm2)], result_types=["tensor<?x70xf32>"])
def conv_case(name, x, w, bias=None, strides=(1, 1), pad=(0, 0, 0, 0), dil=(1, 1), groups=1):
    """A conv2d case whose attributes and numpy reference come from the same
    parameters (defaults omitted from the IR, as the printer does)."""
    attrs = f" bias(%arg2 : {ttype(bias)})" if bias is not None else ""
    if tuple(strides) != (1, 1):
        attrs += f" strides = [{strides[0]}, {strides[1]}]"
    if any(pad):
        attrs += " padding = [" + ", ".join(str(p) for p in pad) + "]"
    if tuple(dil) != (1, 1):
        attrs += f" dilations = [{dil[0]}, {dil[1]}]"
    if groups != 1:
        attrs += f" groups = {groups}"
    inputs = [x, w] + ([bias] if bias is not None else [])
    case(name, f"%r = axon.conv2d %arg0, %arg1{attrs} : {ttype(x)}, {ttype(w)}", inputs,
         [conv_ref(x, w, bias, strides, pad, dil, groups)], rtol=1e-4, atol=1e-4)


conv_case("conv2d_im2col", f32(1, 5, 19, 23), f32(40, 5, 3, 3), f32(40), pad=(1, 1, 1, 1))
# The CPU path's window gather: batched, strided and dilated; 1x1 with and
# without a stride (the unstrided one reads its input in place).
conv_case("conv2d_gather_strided_dilated", f32(2, 3, 17, 15), f32(8, 3, 3, 3), strides=(2, 1),
          pad=(1, 2, 0, 1), dil=(1, 2))
conv_case("conv2d_pointwise", f32(1, 16, 9, 11), f32(24, 16, 1, 1), f32(24))
conv_case("conv2d_pointwise_strided", f32(2, 16, 9, 11), f32(24, 16, 1, 1), strides=(2, 2))
# Depthwise convolution and pooling large enough to be split into thread
# tasks, with their window loops moved outside the row loop.
conv_case("conv2d_depthwise_tasks", f32(1, 32, 40, 36), f32(32, 1, 3, 3), strides=(2, 2),
          pad=(1, 1, 1, 1), groups=32)
mx = f32(1, 16, 64, 60)
case("max_pool2d_tasks",
     f"%r = axon.max_pool2d %arg0 kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : {ttype(mx)}",
     [mx], [pool_ref(mx, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, "max")])

# f16 and bf16 on the CPU: computed in f32, stored rounded to nearest even.
# numpy's float16 is the f16 reference; bfloat16 values travel as float32
# .npy, rounded here by comparing the two neighbours in float64.
def bf16_round(x):
    x = np.asarray(x, np.float32)
    down = (x.view(np.uint32) & np.uint32(0xffff0000)).view(np.float32)
    ulp = np.ldexp(1.0, np.frexp(down.astype(np.float64))[1] - 8)
    up = down.astype(np.float64) + np.sign(x) * ulp
    far = np.abs(x.astype(np.float64) - down) - np.abs(up - x)
    even = ((down.view(np.uint32) >> 16) & 1) == 0
    pick_up = (far > 0) | ((far == 0) & ~even)
    return np.where(pick_up, up, down).astype(np.float32)


def bf16_type(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xbf16>"


# Ties: 1 + 2^-11 lies halfway between f16 neighbours 1 and 1 + 2^-10 (to the
# even 1), 1 + 3 * 2^-11 between 1 + 2^-10 and 1 + 2^-9 (to the even 1 + 2^-9).
ties16 = np.array([1 + 2**-11, 1 + 3 * 2**-11, -(1 + 2**-11), 2**-20, 65504.0, 3.0e-5],
                  np.float32)
r16 = np.concatenate([ties16, f32(10, lo=-100, hi=100)]).reshape(4, 4)
case("cast_f32_f16_rounding", f"%r = axon.cast %arg0 : {ttype(r16)} to {ttype(r16.astype(np.float16))}",
     [r16], [r16.astype(np.float16)], rtol=0, atol=0)
ties_bf = np.array([1 + 2**-8, 1 + 3 * 2**-8, -(1 + 2**-8), 1 + 2**-8 + 2**-20, 3.0e38, 2e-38],
                   np.float32)
rbf = np.concatenate([ties_bf, f32(10, lo=-100, hi=100)]).reshape(4, 4)
case("cast_f32_bf16_rounding", f"%r = axon.cast %arg0 : {ttype(rbf)} to {bf16_type(rbf.shape)}",
     [rbf], [bf16_round(rbf)], rtol=0, atol=0, result_types=[bf16_type(rbf.shape)])

ha, hb, hc = (f32(7, 33).astype(np.float16), f32(33, 19).astype(np.float16),
              f32(19).astype(np.float16))
hlogits = ha.astype(np.float64) @ hb.astype(np.float64) + hc
case("matmul_bias_softmax_f16",
     f"%m = axon.matmul %arg0, %arg1 : {ttype(ha)}, {ttype(hb)}\n"
     f"  %a = axon.add %m, %arg2 : {ttype(hlogits.astype(np.float16))}, {ttype(hc)}\n"
     f"  %r = axon.softmax %a axis = 1 : {ttype(hlogits.astype(np.float16))}",
     [ha, hb, hc], [softmax(hlogits, 1).astype(np.float16)], rtol=5e-3, atol=1e-3)
bx16, bw16, bb16 = bf16_round(f32(1, 3, 9, 9)), bf16_round(f32(4, 3, 3, 3)), bf16_round(f32(4))
bconv = np.maximum(conv_ref(bx16, bw16, bb16, (1, 1), (1, 1, 1, 1), (1, 1), 1).astype(np.float64), 0)
case("conv2d_bias_relu_bf16",
     f"%c = axon.conv2d %arg0, %arg1 bias(%arg2 : {bf16_type(bb16.shape)}) padding = [1, 1, 1, 1] : "
     f"{bf16_type(bx16.shape)}, {bf16_type(bw16.shape)}\n"
     f"  %r = axon.relu %c : {bf16_type(bconv.shape)}",
     [bx16, bw16, bb16], [bf16_round(bconv)], rtol=1e-2, atol=1e-2,
     arg_types=[bf16_type(a.shape) for a in (bx16, bw16, bb16)],
     result_types=[bf16_type(bconv.shape)])
lx16, lg16, lb16 = (f32(4, 24).astype(np.float16), f32(24).astype(np.float16),
                    f32(24).astype(np.float16))
case("layer_norm_f16",
     f"%r = axon.layer_norm %arg0 scale(%arg1 : {ttype(lg16)}) bias(%arg2 : {ttype(lb16)}) axes = [1] : {ttype(lx16)}",
     [lx16, lg16, lb16], [layer_norm(lx16, (1,), 1e-5, lg16.astype(np.float64),
                                     lb16.astype(np.float64)).astype(np.float16)],
     rtol=5e-3, atol=5e-3)


def write():
    os.makedirs(INPUTS, exist_ok=True)
    for name, body, inputs, outputs, rtol, atol, arg_types, result_types in CASES:
        arg_types = arg_types or [ttype(x) for x in inputs]
        args = ", ".join(f"%arg{i}: {t}" for i, t in enumerate(arg_types))
        results = ", ".join(result_types or [ttype(o) for o in outputs])
        run = "// RUN: axon-run %s --quiet"
        for i, x in enumerate(inputs):
            np.save(os.path.join(INPUTS, f"{name}.in{i}.npy"), x)
            run += f" --input {i}=%S/Inputs/{name}.in{i}.npy"
        for i, o in enumerate(outputs):
            np.save(os.path.join(INPUTS, f"{name}.out{i}.npy"), np.array(o, order='C'))
            run += f" --expect {i}=%S/Inputs/{name}.out{i}.npy"
        run += f" --rtol={rtol} --atol={atol} | FileCheck %s"
        checks = "\n".join(f"// CHECK: result {i}: matches" for i in range(len(outputs)))
        text = (f"// Generated by make_cases.py: expected values from numpy.\n{run}\n{checks}\n\n"
                f"func.func @main({args}) -> ({results}) {{\n  {body}\n  return %r : {results}\n}}\n")
        with open(os.path.join(HERE, f"{name}.mlir"), "w") as f:
            f.write(text)
    print(f"wrote {len(CASES)} cases")


write()
