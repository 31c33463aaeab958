#!/usr/bin/env python3
"""Writes small ONNX models in ONNX's text format (an MLP, a CNN, a 1-D CNN), with
inputs and expected outputs as .npy computed by numpy reference code.
Run with Debian's numpy: /usr/bin/python3 make_models.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Inputs")
rng = np.random.default_rng(7)


def literal(a):
    return "{" + ", ".join(f"{v:.8g}" for v in a.flatten()) + "}"


def shape(a):
    return ",".join(str(d) for d in a.shape)


# MLP: Gemm -> Relu -> MatMul + Add -> Softmax, batch dim symbolic.
x = rng.uniform(-1, 1, (3, 6)).astype(np.float32)
w1 = rng.uniform(-1, 1, (8, 6)).astype(np.float32)   # Gemm with transB
b1 = rng.uniform(-1, 1, (8,)).astype(np.float32)
w2 = rng.uniform(-1, 1, (8, 4)).astype(np.float32)
b2 = rng.uniform(-1, 1, (4,)).astype(np.float32)
mlp = f"""<
  ir_version: 8,
  opset_import: ["" : 17]
>
mlp (float[N,6] x) => (float[N,4] y)
{{
  w1 = Constant <value = float[{shape(w1)}] {literal(w1)}> ()
  b1 = Constant <value = float[{shape(b1)}] {literal(b1)}> ()
  w2 = Constant <value = float[{shape(w2)}] {literal(w2)}> ()
  b2 = Constant <value = float[{shape(b2)}] {literal(b2)}> ()
  h = Gemm <transB = 1> (x, w1, b1)
  a = Relu (h)
  o = MatMul (a, w2)
  ob = Add (o, b2)
  y = Softmax <axis = 1> (ob)
}}
"""
h = np.maximum(x.astype(np.float64) @ w1.T + b1, 0)
o = h @ w2 + b2
e = np.exp(o - o.max(axis=1, keepdims=True))
y = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
open(os.path.join(OUT, "mlp.onnxtxt"), "w").write(mlp)
np.save(os.path.join(OUT, "mlp.x.npy"), x)
np.save(os.path.join(OUT, "mlp.y.npy"), y)

# CNN: Conv(pad 1) + bias -> Relu -> MaxPool 2x2 -> Flatten -> Gemm.
img = rng.uniform(-1, 1, (2, 1, 6, 6)).astype(np.float32)
k = rng.uniform(-1, 1, (3, 1, 3, 3)).astype(np.float32)
kb = rng.uniform(-1, 1, (3,)).astype(np.float32)
fc = rng.uniform(-1, 1, (27, 5)).astype(np.float32)
fcb = rng.uniform(-1, 1, (5,)).astype(np.float32)
cnn = f"""<
  ir_version: 8,
  opset_import: ["" : 17]
>
cnn (float[2,1,6,6] img) => (float[2,5] logits)
{{
  k = Constant <value = float[{shape(k)}] {literal(k)}> ()
  kb = Constant <value = float[{shape(kb)}] {literal(kb)}> ()
  fc = Constant <value = float[{shape(fc)}] {literal(fc)}> ()
  fcb = Constant <value = float[{shape(fcb)}] {literal(fcb)}> ()
  c = Conv <pads = [1, 1, 1, 1]> (img, k, kb)
  r = Relu (c)
  p = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (r)
  f = Flatten <axis = 1> (p)
  logits = Gemm (f, fc, fcb)
}}
"""
xp = np.pad(img.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
conv = np.zeros((2, 3, 6, 6))
for o_ in range(3):
    for i in range(6):
        for j in range(6):
            conv[:, o_, i, j] = (xp[:, :, i:i + 3, j:j + 3] * k[o_]).sum(axis=(1, 2, 3)) + kb[o_]
r = np.maximum(conv, 0)
pooled = r.reshape(2, 3, 3, 2, 3, 2).max(axis=(3, 5))
logits = (pooled.reshape(2, 27) @ fc + fcb).astype(np.float32)
open(os.path.join(OUT, "cnn.onnxtxt"), "w").write(cnn)
np.save(os.path.join(OUT, "cnn.img.npy"), img)
np.save(os.path.join(OUT, "cnn.logits.npy"), logits)
print("wrote mlp and cnn")

# 1-D CNN (text/audio style): Conv1d (stride 2, pads [1, 2], dilation 2) +
# bias, symbolic batch -> AveragePool1d (kernel 3, stride 1, pads [1, 1]).
seq = rng.uniform(-1, 1, (2, 3, 17)).astype(np.float32)
k1 = rng.uniform(-1, 1, (4, 3, 3)).astype(np.float32)
kb1 = rng.uniform(-1, 1, (4,)).astype(np.float32)
conv1d = f"""<
  ir_version: 8,
  opset_import: ["" : 17]
>
conv1d (float[N,3,17] x) => (float[N,4,L] y)
{{
  k = Constant <value = float[{shape(k1)}] {literal(k1)}> ()
  kb = Constant <value = float[{shape(kb1)}] {literal(kb1)}> ()
  c = Conv <strides = [2], pads = [1, 2], dilations = [2]> (x, k, kb)
  y = AveragePool <kernel_shape = [3], strides = [1], pads = [1, 1]> (c)
}}
"""
xp = np.pad(seq.astype(np.float64), ((0, 0), (0, 0), (1, 2)))
lout = (xp.shape[2] - 2 * (3 - 1) - 1) // 2 + 1
c = np.zeros((2, 4, lout))
for o in range(lout):
    window = xp[:, :, 2 * o: 2 * o + 5: 2]            # 3 taps, dilation 2
    c[:, :, o] = np.einsum("nct,fct->nf", window, k1) + kb1
cp = np.pad(c, ((0, 0), (0, 0), (1, 1)))
counts = np.convolve(np.pad(np.ones(lout), 1), np.ones(3), "valid")  # count_include_pad = 0
pooled = np.stack([cp[:, :, o:o + 3].sum(axis=2) for o in range(lout)], axis=2) / counts
open(os.path.join(OUT, "conv1d.onnxtxt"), "w").write(conv1d)
np.save(os.path.join(OUT, "conv1d.x.npy"), seq)
np.save(os.path.join(OUT, "conv1d.y.npy"), pooled.astype(np.float32))
