"""End-to-end rows: ResNet-50 and MobileNetV2 (batch 8, 224x224) and a BERT-base-like
encoder (4 layers, d=768, 12 heads, batch 8, 512 tokens), f32, exported from
torch to ONNX here on the device and run by `axon-run model.onnx`, against
torch eager and torch.compile (TF32 off). Output agreement is checked first;
Axon's time is the sum of its kernels' CUDA-event times per inference, the
peers' the sum of their kernels' CUPTI durations (see common.py). The Axon
log also lists, with --report-fallbacks, every op left to a loops kernel."""
import os
import re

import numpy as np
import torch
import torch.nn as nn

import common
from common import record, run_axon, time_torch


class EncoderLayer(nn.Module):
    """Post-norm transformer encoder layer with static shapes (the export
    keeps reshapes constant)."""

    def __init__(self, batch, tokens, d=768, heads=12, ff=3072):
        super().__init__()
        self.b, self.t, self.d, self.h = batch, tokens, d, heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.act = nn.GELU()

    def forward(self, x):
        b, t, d, h = self.b, self.t, self.d, self.h
        q, k, v = self.qkv(x).split(d, dim=-1)
        split = lambda y: y.reshape(b, t, h, d // h).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        att = torch.softmax(q @ k.transpose(-1, -2) * (1.0 / (d // h) ** 0.5), dim=-1) @ v
        att = att.transpose(1, 2).reshape(b, t, d)
        x = self.ln1(x + self.proj(att))
        return self.ln2(x + self.fc2(self.act(self.fc1(x))))


class DecoderLayer(EncoderLayer):
    """Pre-norm GPT-style decoder layer: causal self-attention (an additive
    -inf mask above the diagonal) and a GELU MLP, static shapes; the
    encoder layer's parameters."""

    def __init__(self, batch, tokens, d=768, heads=12, ff=3072):
        super().__init__(batch, tokens, d, heads, ff)
        self.register_buffer("mask", torch.full((tokens, tokens), float("-inf")).triu(1))

    def forward(self, x):
        b, t, d, h = self.b, self.t, self.d, self.h
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        split = lambda y: y.reshape(b, t, h, d // h).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        scores = q @ k.transpose(-1, -2) * (1.0 / (d // h) ** 0.5) + self.mask
        att = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(att)
        return x + self.fc2(self.act(self.fc1(self.ln2(x))))


def export(model, x, path):
    kwargs = dict(input_names=["x"], output_names=["y"], opset_version=17,
                  do_constant_folding=True)
    try:
        torch.onnx.export(model, (x,), path, dynamo=False, **kwargs)
    except Exception as e:  # the legacy exporter may be gone: use the new one
        print(f"legacy ONNX export failed ({e}); trying dynamo=True", flush=True)
        torch.onnx.export(model, (x,), path, dynamo=True, **kwargs)


def run_model(name, label, model, x, half=False):
    """half: the model and its input in f16; the reference is the f32 model
    (computed in float64), compared at f16-appropriate tolerance."""
    model = model.cuda().eval()
    with torch.no_grad():
        if half:
            ref = model.double()(x.double()).float()
            model, x = model.half(), x.half()
            rtol, atol = 2e-2, 2e-2
        else:
            ref = model(x).float()
            rtol, atol = 1e-3, 1e-3
        path = os.path.join(common.TMP, f"{name}.onnx")
        export(model, x, path)
        scale = float(ref.abs().max())
        axon = run_axon(name, None, [x.cpu().numpy()], ref.cpu().numpy(), ".",
                        rtol, atol * scale, repeat=5, path=path, extra=["--report-fallbacks"])
        peers = {"torch eager": time_torch(model, x, reps=10),
                 "torch.compile": time_torch(torch.compile(model), x, reps=10)}
    log = axon["log"]
    loops = sorted(k for k in axon["kernels"] if k.endswith("_loops"))
    fallbacks = re.findall(r"remark: (.*falls back.*)", log)
    entry = re.search(r"entry ([0-9.]+) ms", log)
    print(f"{name}: {len(axon['kernels'])} kernels, {len(loops)} loops kernels, "
          f"{len(fallbacks)} fallback remarks, entry {entry.group(1) if entry else '?'} ms",
          flush=True)
    for line in sorted(set(fallbacks))[:20]:
        print(f"  fallback: {line}", flush=True)
    by_strategy = {}
    for k, ms in axon["kernels"].items():
        key = re.sub(r"^.*_k[0-9]+_", "", k)
        by_strategy[key] = by_strategy.get(key, 0.0) + ms
    for key, ms in sorted(by_strategy.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {key}: {ms:.3f} ms", flush=True)
    record(label, "ms", 1.0, axon, peers)


def resnet50():
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None)
    run_model("resnet50", "ResNet-50, batch 8, 224x224, f32", model,
              torch.randn(8, 3, 224, 224, device="cuda"))


def resnet50_f16():
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None)
    run_model("resnet50_f16", "ResNet-50, batch 8, 224x224, f16", model,
              torch.randn(8, 3, 224, 224, device="cuda"), half=True)


def mobilenet_v2():
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.mobilenet_v2(weights=None)
    run_model("mobilenet_v2", "MobileNetV2, batch 8, 224x224, f32", model,
              torch.randn(8, 3, 224, 224, device="cuda"))


def encoder():
    torch.manual_seed(0)
    model = nn.Sequential(*[EncoderLayer(8, 512) for _ in range(4)])
    run_model("encoder", "BERT-base-like encoder, 4 layers, batch 8, 512 tokens, f32", model,
              torch.randn(8, 512, 768, device="cuda"))


def encoder_f16():
    torch.manual_seed(0)
    model = nn.Sequential(*[EncoderLayer(8, 512) for _ in range(4)])
    run_model("encoder_f16", "BERT-base-like encoder, 4 layers, batch 8, 512 tokens, f16", model,
              torch.randn(8, 512, 768, device="cuda"), half=True)


def decoder_f16():
    torch.manual_seed(0)
    model = nn.Sequential(*[DecoderLayer(8, 512) for _ in range(4)])
    run_model("decoder_f16", "GPT-style decoder, 4 layers, batch 8, 512 tokens, f16", model,
              torch.randn(8, 512, 768, device="cuda"), half=True)


BENCHES = {"resnet50": resnet50, "resnet50_f16": resnet50_f16, "mobilenet_v2": mobilenet_v2, "encoder": encoder,
           "encoder_f16": encoder_f16, "decoder_f16": decoder_f16}
