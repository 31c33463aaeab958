#!/usr/bin/env python3
"""Writes the CPU benchmark's ONNX models (opset 17, f32, random weights) into a
directory: a 1024^3 matmul, an MLP, a transformer encoder layer, and
MobileNetV2- and ResNet-18-shaped CNNs at batch 1 (224x224).

Run with Debian's python3-onnx and numpy: /usr/bin/python3 make_models.py OUT
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)


class Graph:
    """A small builder: nodes, initializers, fresh names."""

    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, hint):
        self.count += 1
        return f"{hint}{self.count}"

    def weight(self, shape, scale=None):
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
        scale = scale if scale is not None else 1.0 / np.sqrt(max(fan_in, 1))
        data = rng.uniform(-scale, scale, shape).astype(np.float32)
        return self.const(data, "w")

    def const(self, data, hint="c"):
        name = self.name(hint)
        self.inits.append(numpy_helper.from_array(np.asarray(data), name))
        return name

    def op(self, op_type, inputs, **attrs):
        out = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def model(self, name, inputs, outputs):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def tensor(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def matmul(n=1024):
    g = Graph()
    y = g.op("MatMul", ["a", "b"])
    return g.model("matmul", [tensor("a", [n, n]), tensor("b", [n, n])], [tensor(y, [n, n])])


def mlp(batch=64, sizes=(784, 1024, 1024, 10)):
    g = Graph()
    h = "x"
    for i in range(len(sizes) - 1):
        h = g.op("Gemm", [h, g.weight([sizes[i + 1], sizes[i]]), g.weight([sizes[i + 1]])],
                 transB=1)
        if i + 2 < len(sizes):
            h = g.op("Relu", [h])
    return g.model("mlp", [tensor("x", [batch, sizes[0]])], [tensor(h, [batch, sizes[-1]])])


def encoder_layer(seq=128, d=256, heads=4, ffn=1024):
    g = Graph()
    hd = d // heads

    def linear(x, din, dout):
        return g.op("Add", [g.op("MatMul", [x, g.weight([din, dout])]), g.weight([dout])])

    def heads_of(x):  # [S, d] -> [H, S, hd]
        r = g.op("Reshape", [x, g.const(np.array([seq, heads, hd], np.int64))])
        return g.op("Transpose", [r], perm=[1, 0, 2])

    def norm(x):
        return g.op("LayerNormalization", [x, g.const(np.ones(d, np.float32)),
                                           g.const(np.zeros(d, np.float32))], axis=-1)

    x = "x"
    q, k, v = (heads_of(linear(x, d, d)) for _ in range(3))
    scores = g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 2, 1])]),
                          g.const(np.array(1.0 / np.sqrt(hd), np.float32))])
    ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
    ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[1, 0, 2]),
                           g.const(np.array([seq, d], np.int64))])
    h = norm(g.op("Add", [x, linear(ctx, d, d)]))
    f = linear(g.op("Relu", [linear(h, d, ffn)]), ffn, d)
    y = norm(g.op("Add", [h, f]))
    return g.model("encoder_layer", [tensor("x", [seq, d])], [tensor(y, [seq, d])])


def conv(g, x, cin, cout, k, stride=1, groups=1, act=True, bn=True):
    y = g.op("Conv", [x, g.weight([cout, cin // groups, k, k]), g.weight([cout], 0.1)],
             kernel_shape=[k, k], strides=[stride, stride], pads=[k // 2] * 4, group=groups)
    if bn:
        y = g.op("BatchNormalization",
                 [y, g.const(rng.uniform(0.5, 1.5, cout).astype(np.float32)),
                  g.const(rng.uniform(-0.1, 0.1, cout).astype(np.float32)),
                  g.const(rng.uniform(-0.1, 0.1, cout).astype(np.float32)),
                  g.const(rng.uniform(0.5, 1.5, cout).astype(np.float32))])
    return g.op("Relu", [y]) if act else y


def resnet18(classes=1000):
    g = Graph()
    x = conv(g, "x", 3, 64, 7, stride=2)
    x = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
        for block in range(2):
            s = stride if block == 0 else 1
            y = conv(g, conv(g, x, cin, cout, 3, s), cout, cout, 3, act=False)
            skip = conv(g, x, cin, cout, 1, s, act=False) if (s != 1 or cin != cout) else x
            x, cin = g.op("Relu", [g.op("Add", [y, skip])]), cout
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])])
    y = g.op("Gemm", [x, g.weight([classes, 512]), g.weight([classes])], transB=1)
    return g.model("resnet18", [tensor("x", [1, 3, 224, 224])], [tensor(y, [1, classes])])


def mobilenetv2(classes=1000):
    g = Graph()
    x = conv(g, "x", 3, 32, 3, stride=2)
    cin = 32
    # (expansion, channels, repeats, stride), as in the paper.
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                       (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = cin * t
            y = conv(g, x, cin, hidden, 1) if t != 1 else x
            y = conv(g, y, hidden, hidden, 3, stride, groups=hidden)
            y = conv(g, y, hidden, c, 1, act=False)
            x = g.op("Add", [x, y]) if stride == 1 and cin == c else y
            cin = c
    x = conv(g, x, cin, 1280, 1)
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])])
    y = g.op("Gemm", [x, g.weight([classes, 1280]), g.weight([classes])], transB=1)
    return g.model("mobilenetv2", [tensor("x", [1, 3, 224, 224])], [tensor(y, [1, classes])])


def layer(name, cin, hw, body):
    """A one-layer model on a 1 x cin x hw x hw input: `body(g, x)` -> output."""
    g = Graph()
    y = body(g, "x")
    graph = helper.make_graph(g.nodes, name, [tensor("x", [1, cin, hw, hw])],
                              [helper.make_empty_tensor_value_info(y)], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    inferred = onnx.shape_inference.infer_shapes(model)
    model.graph.output[0].CopyFrom(next(v for v in inferred.graph.value_info if v.name == y))
    onnx.checker.check_model(model)
    return model


# The CNN rows' layers one at a time (name -> (cin, hw, body)): where a
# model's time goes. Shapes are ResNet-18's and MobileNetV2's.
LAYERS = {
    "conv7x7s2_3x224": (3, 224, lambda g, x: conv(g, x, 3, 64, 7, 2, bn=False, act=False)),
    "conv3x3_64x56": (64, 56, lambda g, x: conv(g, x, 64, 64, 3, bn=False, act=False)),
    "conv3x3_256x14": (256, 14, lambda g, x: conv(g, x, 256, 256, 3, bn=False, act=False)),
    "conv1x1_144x56": (144, 56, lambda g, x: conv(g, x, 144, 24, 1, bn=False, act=False)),
    "dwconv3x3_144x56": (144, 56, lambda g, x: conv(g, x, 144, 144, 3, groups=144, bn=False,
                                                    act=False)),
    "dwconv3x3s2_96x112": (96, 112, lambda g, x: conv(g, x, 96, 96, 3, 2, groups=96, bn=False,
                                                      act=False)),
    "maxpool3x3s2_64x112": (64, 112, lambda g, x: g.op("MaxPool", [x], kernel_shape=[3, 3],
                                                       strides=[2, 2], pads=[1, 1, 1, 1])),
    "bn_relu_64x112": (64, 112, lambda g, x: g.op("Relu", [g.op("Add", [g.op(
        "Mul", [x, g.weight([64, 1, 1])]), g.weight([64, 1, 1])])])),
    "avgpool_512x7": (512, 7, lambda g, x: g.op("GlobalAveragePool", [x])),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    for name, build in [("matmul", matmul), ("mlp", mlp), ("encoder_layer", encoder_layer),
                        ("mobilenetv2", mobilenetv2), ("resnet18", resnet18)]:
        onnx.save(build(), os.path.join(out, name + ".onnx"))
        print("wrote", os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
