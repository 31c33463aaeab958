#!/usr/bin/env python3
"""Writes the CUDA integration tests (REQUIRES: cuda): programs sized and
shaped to exercise each GPU kernel strategy (row reductions with and
without 16-byte vectors, tiled matmul with ragged edges, batched and with
epilogues, vectorized and broadcast elementwise), with inputs and expected
outputs computed by numpy here, independently of Axon.

Run with Debian's numpy: /usr/bin/python3 make_cases.py (from this directory).
"""
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "Inputs")
rng = np.random.default_rng(20261123)
TYPES = {np.float32: "f32", np.float16: "f16", np.bool_: "i1"}
CASES = []


def ttype(a):
    dims = "".join(f"{d}x" for d in a.shape)
    return f"tensor<{dims}{TYPES[a.dtype.type]}>"


def f32(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def case(name, strategy, body, inputs, output, rtol=1e-5, atol=1e-6, flags=""):
    CASES.append((name, strategy, body, inputs, output, rtol, atol, flags))


def softmax(x):
    e = np.exp(x.astype(np.float64) - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def layer_norm(x, g, b, eps=1e-5):
    x = x.astype(np.float64)
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


# Rows whose length is a multiple of 4 use vector loads; 1000 does not.
x = f32(8, 4096, lo=-8, hi=8)
case("softmax_rows_vec4", "row_softmax", f"%r = axon.softmax %arg0 axis = 1 : {ttype(x)}",
     [x], softmax(x), rtol=1e-5, atol=1e-8)
x = f32(37, 1000, lo=-5, hi=5)
case("softmax_rows_scalar", "row_softmax", f"%r = axon.softmax %arg0 axis = 1 : {ttype(x)}",
     [x], softmax(x), rtol=1e-5, atol=1e-8)
# Masked rows (-inf, as attention masks make): whole 4-lane chunks and most
# of a row masked must give 0 there, not NaN.
x = f32(16, 64, lo=-3, hi=3)
x[:, :8] = -np.inf
x[3, 9:] = -np.inf
case("softmax_masked", "row_softmax", f"%r = axon.softmax %arg0 axis = 1 : {ttype(x)}",
     [x], softmax(x), rtol=1e-5, atol=1e-8)
x = f32(5, 3, 128, lo=-4, hi=4)
case("log_softmax_3d", "row_log_softmax", f"%r = axon.log_softmax %arg0 axis = 2 : {ttype(x)}",
     [x], np.log(softmax(x)), rtol=1e-5, atol=1e-5)
# A large mean (100) with unit spread checks the shifted-sum variance.
x, g, b = f32(64, 768, lo=99, hi=101), f32(768), f32(768)
case("layer_norm_offset", "row_layer_norm",
     f"%r = axon.layer_norm %arg0 scale(%arg1 : {ttype(g)}) bias(%arg2 : {ttype(b)}) "
     f"axes = [1] : {ttype(x)}", [x, g, b], layer_norm(x, g, b), rtol=1e-3, atol=2e-3)
x, g = f32(4, 6, 512), f32(512)
rms = x.astype(np.float64) / np.sqrt((x.astype(np.float64) ** 2).mean(-1, keepdims=True) + 1e-5) * g
case("rms_norm", "row_rms_norm",
     f"%r = axon.rms_norm %arg0 scale(%arg1 : {ttype(g)}) axes = [2] : {ttype(x)}",
     [x, g], rms, rtol=1e-4, atol=1e-5)

# Matmuls: ragged tile edges, bias + relu epilogue, transposed rhs, batches.
a, w, bias = f32(300, 200), f32(200, 130), f32(130)
case("matmul_ragged_bias_relu", "matmul_tiled",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) activation = relu : "
     f"{ttype(a)}, {ttype(w)}", [a, w, bias],
     np.maximum(a.astype(np.float64) @ w + bias, 0), rtol=1e-4, atol=1e-4)
a, k = f32(70, 48), f32(90, 48)
case("matmul_transpose_rhs", "matmul_tiled",
     f"%r = axon.matmul %arg0, %arg1 transpose_rhs : {ttype(a)}, {ttype(k)}", [a, k],
     a.astype(np.float64) @ k.T.astype(np.float64), rtol=1e-4, atol=1e-4)
a, w = f32(4, 65, 33), f32(4, 33, 17)
case("matmul_batched", "matmul_tiled",
     f"%r = axon.matmul %arg0, %arg1 : {ttype(a)}, {ttype(w)}", [a, w],
     np.matmul(a.astype(np.float64), w), rtol=1e-4, atol=1e-4)
a, w = f32(3, 40, 64), f32(64, 24)
case("matmul_batch_folded", "matmul_tiled",
     f"%r = axon.matmul %arg0, %arg1 : {ttype(a)}, {ttype(w)}", [a, w],
     np.matmul(a.astype(np.float64), w), rtol=1e-4, atol=1e-4)
a, w = f32(128, 96).astype(np.float16), f32(96, 64).astype(np.float16)
# Pinned: on sm_90a f16 would take the tensor cores (matmul_wgmma below);
# the FMA path is what other chips run.
case("matmul_f16", "matmul_tiled",
     f"%r = axon.matmul %arg0, %arg1 {{axon.strategy = \"matmul_tiled\"}} : {ttype(a)}, {ttype(w)}",
     [a, w],
     (a.astype(np.float64) @ w.astype(np.float64)).astype(np.float16), rtol=2e-3, atol=2e-3)

# Elementwise: a fused chain with operands broadcast along either dim.
x, s, c = f32(64, 256), f32(256), f32(64, 1)
case("elementwise_broadcast_chain", "elementwise_vec4",
     "%m = axon.mul %arg0, %arg1 : tensor<64x256xf32>, tensor<256xf32>\n"
     "  %a = axon.add %m, %arg2 : tensor<64x256xf32>, tensor<64x1xf32>\n"
     "  %r = axon.relu %a : tensor<64x256xf32>", [x, s, c], np.maximum(x * s + c, 0))
x, y = f32(33, 7), f32(33, 7)
case("elementwise_select_bool", "elementwise_vec1",
     "%c = axon.cmp gt, %arg0, %arg1 : tensor<33x7xf32>, tensor<33x7xf32>\n"
     "  %r = axon.select %c, %arg0, %arg1 : tensor<33x7xi1>, tensor<33x7xf32>, tensor<33x7xf32>",
     [x, y], np.where(x > y, x, y))


# Convolution, pooling, transposes and reductions (strategy framework).
def conv2d(x, w, b=None, stride=(1, 1), pad=(0, 0, 0, 0), dil=(1, 1), groups=1):
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])))
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh = (h - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd - dil[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        for ky in range(kh):
            for kx in range(kw):
                patch = xs[:, :, ky * dil[0]:ky * dil[0] + stride[0] * oh:stride[0],
                           kx * dil[1]:kx * dil[1] + stride[1] * ow:stride[1]]
                out[:, g * fg:(g + 1) * fg] += np.einsum(
                    "ncyx,fc->nfyx", patch, w[g * fg:(g + 1) * fg, :, ky, kx].astype(np.float64))
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def pool2d(x, k, stride, pad, is_max, count_include_pad=False):
    fill = -np.inf if is_max else 0.0
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])),
                constant_values=fill)
    ones = np.pad(np.ones(x.shape), ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])),
                  constant_values=1.0 if count_include_pad else 0.0)
    oh = (xp.shape[2] - k[0]) // stride[0] + 1
    ow = (xp.shape[3] - k[1]) // stride[1] + 1
    acc = np.full(x.shape[:2] + (oh, ow), fill)
    cnt = np.zeros_like(acc)
    for ky in range(k[0]):
        for kx in range(k[1]):
            win = xp[:, :, ky:ky + stride[0] * oh:stride[0], kx:kx + stride[1] * ow:stride[1]]
            one = ones[:, :, ky:ky + stride[0] * oh:stride[0], kx:kx + stride[1] * ow:stride[1]]
            acc = np.maximum(acc, win) if is_max else acc + win
            cnt += one
    return acc if is_max else acc / cnt


# Ragged implicit GEMM: 3x3 stride 2 padded with bias and relu, more filters
# and pixels than one tile; grouped and dilated; a 1x1 projection.
x, w, b = f32(2, 24, 23, 19), f32(80, 24, 3, 3), f32(80)
case("conv_igemm_stride_pad_relu", "conv_igemm",
     f"%r = axon.conv2d %arg0, %arg1 bias(%arg2 : {ttype(b)}) strides = [2, 2] "
     f"padding = [1, 1, 1, 1] activation = relu : {ttype(x)}, {ttype(w)}", [x, w, b],
     np.maximum(conv2d(x, w, b, (2, 2), (1, 1, 1, 1)), 0), rtol=1e-4, atol=1e-4)
x, w = f32(1, 12, 17, 17), f32(18, 4, 3, 3)
case("conv_igemm_grouped_dilated", "conv_igemm",
     f"%r = axon.conv2d %arg0, %arg1 padding = [2, 1, 2, 1] dilations = [2, 1] groups = 3 : "
     f"{ttype(x)}, {ttype(w)}", [x, w], conv2d(x, w, None, (1, 1), (2, 1, 2, 1), (2, 1), 3),
     rtol=1e-4, atol=1e-4)
x, w = f32(3, 64, 14, 14), f32(130, 64, 1, 1)
case("conv_igemm_pointwise", "conv_igemm",
     f"%r = axon.conv2d %arg0, %arg1 : {ttype(x)}, {ttype(w)}", [x, w], conv2d(x, w),
     rtol=1e-4, atol=1e-4)
x, w, b = f32(2, 32, 15, 15), f32(32, 1, 3, 3), f32(32)
case("conv_depthwise_stride", "conv_depthwise",
     f"%r = axon.conv2d %arg0, %arg1 bias(%arg2 : {ttype(b)}) strides = [2, 2] "
     f"padding = [1, 1, 1, 1] groups = 32 : {ttype(x)}, {ttype(w)}", [x, w, b],
     conv2d(x, w, b, (2, 2), (1, 1, 1, 1), (1, 1), 32), rtol=1e-5, atol=1e-5)
x = f32(2, 8, 17, 15, lo=-4, hi=4)
case("max_pool_padded", "pool_max",
     f"%r = axon.max_pool2d %arg0 kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : "
     f"{ttype(x)}", [x], pool2d(x, (3, 3), (2, 2), (1, 1, 1, 1), True))
case("avg_pool_include_pad", "pool_avg",
     f"%r = axon.avg_pool2d %arg0 kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] "
     f"count_include_pad : {ttype(x)}", [x],
     pool2d(x, (3, 3), (2, 2), (1, 1, 1, 1), False, True), rtol=1e-5, atol=1e-6)
case("avg_pool_exclude_pad", "pool_avg",
     f"%r = axon.avg_pool2d %arg0 kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : "
     f"{ttype(x)}", [x], pool2d(x, (3, 3), (2, 2), (1, 1, 1, 1), False), rtol=1e-5, atol=1e-6)
x = f32(3, 40, 7, 7)
case("global_avg_pool", "reduce_rows", f"%r = axon.global_avg_pool %arg0 : {ttype(x)}",
     [x], x.astype(np.float64).mean(axis=(2, 3), keepdims=True), rtol=1e-5, atol=1e-6)
x = f32(3, 37, 5, 24)
case("transpose_head_split", "permute_copy_vec4",
     f"%r = axon.transpose %arg0 perm = [0, 2, 1, 3] : {ttype(x)}", [x],
     x.transpose(0, 2, 1, 3))
x = f32(5, 67, 45)
case("transpose_tiled_ragged", "transpose_tiled_32",
     f"%r = axon.transpose %arg0 perm = [2, 0, 1] : {ttype(x)}", [x], x.transpose(2, 0, 1))
x = f32(3000, 130)
case("reduce_sum_columns_split", "reduce_columns",
     f"%r = axon.reduce_sum %arg0 axes = [0] : {ttype(x)}", [x],
     x.astype(np.float64).sum(axis=0), rtol=1e-4, atol=1e-4)
x = f32(6, 50, 31, lo=-3, hi=3)
case("reduce_max_middle", "reduce_columns",
     f"%r = axon.reduce_max %arg0 axes = [1] : {ttype(x)}", [x], x.max(axis=1))
x = f32(200003)
case("reduce_mean_full_split", "reduce_rows",
     f"%r = axon.reduce_mean %arg0 axes = [0] : {ttype(x)}", [x],
     np.array(x.astype(np.float64).mean()), rtol=1e-4, atol=1e-6)
x = f32(4, 6, 2304)
case("slice_qkv_split", "slice_copy_vec4",
     f"%r = axon.slice %arg0 starts = [0, 0, 768] ends = [4, 6, 1536] steps = [1, 1, 1] : "
     f"{ttype(x)}", [x], x[:, :, 768:1536])
x = f32(9, 13, 11)
case("slice_strided_negative_start", "slice_copy_vec1",
     f"%r = axon.slice %arg0 starts = [1, -12, 0] ends = [9, 13, 11] steps = [3, 2, 5] : "
     f"{ttype(x)}", [x], x[1:9:3, -12:13:2, 0:11:5])


def write():
    os.makedirs(INPUTS, exist_ok=True)
    for name, strategy, body, inputs, output, rtol, atol, flags in CASES:
        output = np.asarray(output).astype(inputs[0].dtype if output.dtype != np.bool_ else np.bool_)
        args = ", ".join(f"%arg{i}: {ttype(v)}" for i, v in enumerate(inputs))
        run = "// RUN: axon-run %s --target=cuda --poison --dump-ptx --quiet" + flags
        for i, v in enumerate(inputs):
            np.save(os.path.join(INPUTS, f"{name}.in{i}.npy"), v)
            run += f" --input {i}=%S/Inputs/{name}.in{i}.npy"
        # ascontiguousarray would make a 0-d result 1-d.
        np.save(os.path.join(INPUTS, f"{name}.out0.npy"),
                output if output.ndim == 0 else np.ascontiguousarray(output))
        run += f" --expect 0=%S/Inputs/{name}.out0.npy --rtol={rtol} --atol={atol} | FileCheck %s"
        text = (f"// Generated by make_cases.py: expected values from numpy.\n"
                f"// REQUIRES: cuda\n{run}\n"
                f"// CHECK: .entry main_k{{{{[0-9]+}}}}_{strategy}\n// CHECK: result 0: matches\n\n"
                f"func.func @main({args}) -> {ttype(output)} {{\n  {body}\n"
                f"  return %r : {ttype(output)}\n}}\n")
        with open(os.path.join(HERE, f"{name}.mlir"), "w") as f:
            f.write(text)
    print(f"wrote {len(CASES)} cases")


# Tensor cores (sm_90a): TMA-fed wgmma. Ragged M, N and K (TMA zero-fills the
# edges), the bias/activation epilogue, both consumer-warpgroup counts, the
# widest tile, a folded batch, a batched B and a decode-like small M. f16
# results: expected from float64, compared at f16 precision.
def f16(*shape):
    return f32(*shape).astype(np.float16)


def mm64(a, b):
    return np.matmul(a.astype(np.float64), b.astype(np.float64))


a, w, bias = f16(300, 200), f16(200, 328), f16(328)
case("matmul_wgmma_ragged_bias_relu", "matmul_wgmma",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) activation = relu : "
     f"{ttype(a)}, {ttype(w)}", [a, w, bias],
     np.maximum(mm64(a, w) + bias, 0), rtol=2e-3, atol=2e-3)
a, w = f16(260, 192), f16(192, 512)
case("matmul_wgmma_128x256", "matmul_wgmma_128x256x64_s4",
     f"%r = axon.matmul %arg0, %arg1 {{axon.config = {{bm = 128, bn = 256, stages = 4}}}} : "
     f"{ttype(a)}, {ttype(w)}", [a, w], mm64(a, w), rtol=2e-3, atol=2e-3)
a, w = f16(4, 100, 256), f16(256, 192)
case("matmul_wgmma_batch_folded", "matmul_wgmma",
     f"%r = axon.matmul %arg0, %arg1 : {ttype(a)}, {ttype(w)}", [a, w], mm64(a, w),
     rtol=2e-3, atol=2e-3)
a, w = f16(3, 130, 128), f16(3, 128, 72)
case("matmul_wgmma_batched", "matmul_wgmma",
     f"%r = axon.matmul %arg0, %arg1 : {ttype(a)}, {ttype(w)}", [a, w], mm64(a, w),
     rtol=2e-3, atol=2e-3)
# Decode-like: few rows, split K (workspace, atomics, separate epilogue);
# K = 1000 leaves a ragged last tile; a pinned 3-way split is uneven.
a, w, bias = f16(16, 1000), f16(1000, 512), f16(512)
case("matmul_wgmma_decode", "matmul_wgmma_64x128x64_s8_splitk4",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) activation = gelu : "
     f"{ttype(a)}, {ttype(w)}", [a, w, bias],
     (lambda y: 0.5 * y * (1 + np.vectorize(math.erf)(y / math.sqrt(2))))(mm64(a, w) + bias),
     rtol=2e-3, atol=2e-3)
case("matmul_wgmma_splitk_uneven", "matmul_wgmma_64x64x64_s8_splitk3",
     f"%r = axon.matmul %arg0, %arg1 {{axon.config = {{bm = 64, bn = 64, stages = 8, splitk = 3}}}} : "
     f"{ttype(a)}, {ttype(w)}", [a, w], mm64(a, w), rtol=2e-3, atol=2e-3)

# A transposed B (k-contiguous, as attention's Q K^T and ONNX Gemm transB):
# batched, K and N ragged.
a, w = f16(3, 130, 72), f16(3, 200, 72)
case("matmul_wgmma_transpose_rhs", "matmul_wgmma",
     f"%r = axon.matmul %arg0, %arg1 transpose_rhs : {ttype(a)}, {ttype(w)}", [a, w],
     mm64(a, np.swapaxes(w, 1, 2)), rtol=2e-3, atol=2e-3)
a, w, bias = f16(200, 320), f16(264, 320), f16(264)
case("matmul_wgmma_gemm_transb_bias", "matmul_wgmma",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) transpose_rhs activation = relu : "
     f"{ttype(a)}, {ttype(w)}", [a, w, bias],
     np.maximum(mm64(a, w.T) + bias, 0), rtol=2e-3, atol=2e-3)


# Flash attention (one kernel): ragged sequence lengths (TMA zero fill, key
# tail masked), head sizes 64 and 128, causal, an additive [Lq, Lk] mask
# with Lq != Lk. Expected: float64 softmax(q k^T * scale + mask) v.
def attention64(q, k, v, scale, mask=None, causal=False):
    s = np.matmul(q.astype(np.float64), np.swapaxes(k.astype(np.float64), -1, -2)) * scale
    if mask is not None:
        s = s + mask.astype(np.float64)
    if causal:
        lq, lk = s.shape[-2:]
        s = np.where(np.arange(lk)[None, :] > np.arange(lq)[:, None], -np.inf, s)
    e = np.exp(s - s.max(-1, keepdims=True))
    return np.matmul(e / e.sum(-1, keepdims=True), v.astype(np.float64))


q, k, v = f16(2, 4, 200, 64), f16(2, 4, 200, 64), f16(2, 4, 200, 64)
case("attention_flash_ragged", "attention_flash_d64",
     f"%r = axon.attention %arg0, %arg1, %arg2 : {ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v], attention64(q, k, v, 1 / 8), rtol=2e-3, atol=2e-3)
q, k, v = f16(2, 2, 130, 128), f16(2, 2, 130, 128), f16(2, 2, 130, 128)
case("attention_flash_causal_d128", "attention_flash_d128",
     f"%r = axon.attention %arg0, %arg1, %arg2 scale = 0.125 causal : {ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v], attention64(q, k, v, 0.125, causal=True), rtol=2e-3, atol=2e-3)
q, k, v = f16(3, 96, 64), f16(3, 160, 64), f16(3, 160, 64)
mask = f16(96, 160)
mask[:, 150:] = -np.inf
case("attention_flash_mask", "attention_flash_d64",
     f"%r = axon.attention %arg0, %arg1, %arg2 mask(%arg3 : {ttype(mask)}) scale = 0.2 : "
     f"{ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v, mask], attention64(q, k, v, 0.2, mask=mask), rtol=2e-3, atol=2e-3)

# Two warpgroups sharing each K/V block, a three-deep ring (pinned).
q, k, v = f16(3, 2, 190, 128), f16(3, 2, 250, 128), f16(3, 2, 250, 128)
case("attention_flash_two_warpgroups", "attention_flash_d128_q128_s3",
     f"%r = axon.attention %arg0, %arg1, %arg2 {{axon.config = {{bq = 128, bkv = 64, stages = 3}}}} : "
     f"{ttype(q)}, {ttype(k)}, {ttype(v)}",
     [q, k, v], attention64(q, k, v, 128 ** -0.5), rtol=2e-3, atol=2e-3)

# Two consumer warpgroups on alternate k tiles of the same 64 rows (pinned):
# 16 k tiles, a bias and relu.
a, w, bias = f16(40, 1000), f16(1000, 128), f16(128)
case("matmul_wgmma_kgroups", "matmul_wgmma_64x64x64_s8_kgroups2",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) activation = relu "
     f"{{axon.config = {{bm = 64, bn = 64, stages = 8, kgroups = 2}}}} : {ttype(a)}, {ttype(w)}",
     [a, w, bias], np.maximum(mm64(a, w) + bias, 0), rtol=2e-3, atol=2e-3)


# Warp-level tensor cores (mma.sync), the path of chips without wgmma: f16
# and bf16 compiled for sm_80 (the H200 runs sm_80 code), f32 as TF32 when
# allowed. Ragged M/N/K, a bias and relu, a transposed batched B, the large
# tile pinned. bf16 has no numpy type: the program casts f32 inputs to bf16
# and its result back, and the reference rounds the same way.
def bf16_round(x):
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


a, w, bias = f16(300, 200), f16(200, 136), f16(136)
case("matmul_mma_f16_sm80", "matmul_mma",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) activation = relu : "
     f"{ttype(a)}, {ttype(w)}", [a, w, bias],
     np.maximum(mm64(a, w) + bias, 0), rtol=2e-3, atol=2e-3, flags=" --gpu-chip=sm_80")
a, w = f16(260, 256), f16(256, 264)
case("matmul_mma_f16_pinned_128x128", "matmul_mma_128x128x32_warp64x32",
     f"%r = axon.matmul %arg0, %arg1 {{axon.strategy = \"matmul_mma\", axon.config = {{bm = 128, bn = 128, bk = 32, wm = 64, wn = 32}}}} : "
     f"{ttype(a)}, {ttype(w)}", [a, w], mm64(a, w), rtol=2e-3, atol=2e-3,
     flags=" --gpu-chip=sm_80")
a, w = f32(3, 70, 96), f32(3, 130, 96)
ab, wb = ttype(a).replace("f32", "bf16"), ttype(w).replace("f32", "bf16")
rb = "tensor<3x70x130xbf16>"
case("matmul_mma_bf16_transpose_rhs", "matmul_mma",
     f"%a = axon.cast %arg0 : {ttype(a)} to {ab}\n"
     f"  %w = axon.cast %arg1 : {ttype(w)} to {wb}\n"
     f"  %m = axon.matmul %a, %w transpose_rhs : {ab}, {wb}\n"
     f"  %r = axon.cast %m : {rb} to tensor<3x70x130xf32>", [a, w],
     bf16_round(mm64(bf16_round(a), np.swapaxes(bf16_round(w), 1, 2))),
     rtol=1e-2, atol=1e-2, flags=" --gpu-chip=sm_80")
# TF32: the operands rounded as cvt.rna does (nearest, ties away from zero,
# to 10 mantissa bits), then multiplied exactly; what remains is f32
# accumulation error.
def tf32_round(x):
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((bits + 0x1000) & 0xFFFFE000).astype(np.uint32).view(np.float32)


a, w, bias = f32(260, 300), f32(300, 200), f32(200)
case("matmul_mma_tf32", "matmul_mma",
     f"%r = axon.matmul %arg0, %arg1 bias(%arg2 : {ttype(bias)}) : {ttype(a)}, {ttype(w)}",
     [a, w, bias], mm64(tf32_round(a), tf32_round(w)) + bias, rtol=1e-4, atol=1e-4,
     flags=" --allow-tf32")


write()
