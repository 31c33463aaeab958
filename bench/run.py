#!/usr/bin/env python3
"""Axon's GPU benchmarks, run ON the GPU machine (scripts/device/run-gpu-suite.sh).

Kernel time against kernel time. Each workload is an axon program run by
`axon-run --target=cuda --time`: its device time is the sum of the CUDA-event
times of the kernels that compute the workload (input casts excluded),
averaged over the steady-state repeats. The peers run in the same process
(PyTorch eager, torch.compile (Inductor), cuBLAS/cuDNN through torch, TF32
off) and are timed by their kernels' device time as CUPTI records it
(torch.profiler): the sum of one call's kernel and memory-op durations,
median over the calls after warm-up, so host dispatch never inflates a
peer. The card's device-to-device copy bandwidth, measured the same way in
the same run, is the ceiling for memory-bound rows. Every Axon result is
first checked against torch's (float64 reference for f32). Writes results.md
and results.json to --out.
"""
import argparse
import datetime
import json
import os

import numpy as np
import torch

import common
import layers
import models
from common import copy_bandwidth, f32, record, run_axon, time_torch

def elementwise():
    n = 64 * 1024 * 1024
    x = f32(n)
    fn = lambda t: torch.relu(t * 1.5 + 0.25)
    mlir = f"""func.func @main(%x: tensor<{n}xf32>) -> tensor<{n}xf32> {{
  %a = axon.constant dense<1.5> : tensor<f32>
  %b = axon.constant dense<0.25> : tensor<f32>
  %0 = axon.mul %x, %a : tensor<{n}xf32>, tensor<f32>
  %1 = axon.add %0, %b : tensor<{n}xf32>, tensor<f32>
  %2 = axon.relu %1 : tensor<{n}xf32>
  return %2 : tensor<{n}xf32>
}}"""
    axon = run_axon("elementwise", mlir, [x.cpu().numpy()], fn(x).cpu().numpy(), "elementwise",
                    1e-6, 1e-6)
    peers = {"torch eager": time_torch(fn, x), "torch.compile": time_torch(torch.compile(fn), x)}
    record("relu(x*1.5+0.25), 64M f32", "GB/s", 2 * 4 * n, axon, peers)


def softmax():
    x = f32(8192, 8192) * 4
    fn = lambda t: torch.softmax(t, dim=-1)
    mlir = """func.func @main(%x: tensor<8192x8192xf32>) -> tensor<8192x8192xf32> {
  %0 = axon.softmax %x axis = 1 : tensor<8192x8192xf32>
  return %0 : tensor<8192x8192xf32>
}"""
    ref = torch.softmax(x.double(), -1).float()
    axon = run_axon("softmax", mlir, [x.cpu().numpy()], ref.cpu().numpy(), "row_softmax",
                    1e-4, 1e-7)
    peers = {"torch eager": time_torch(fn, x), "torch.compile": time_torch(torch.compile(fn), x)}
    record("softmax rows, 8192x8192 f32", "GB/s", 2 * 4 * 8192 * 8192, axon, peers)


def layer_norm():
    x, g, b = f32(8192, 8192), f32(8192), f32(8192)
    fn = lambda t, w, c: torch.nn.functional.layer_norm(t, (8192,), w, c, 1e-5)
    mlir = """func.func @main(%x: tensor<8192x8192xf32>, %g: tensor<8192xf32>, %b: tensor<8192xf32>) -> tensor<8192x8192xf32> {
  %0 = axon.layer_norm %x scale(%g : tensor<8192xf32>) bias(%b : tensor<8192xf32>) axes = [1] : tensor<8192x8192xf32>
  return %0 : tensor<8192x8192xf32>
}"""
    ref = fn(x.double(), g.double(), b.double()).float()
    axon = run_axon("layer_norm", mlir, [t.cpu().numpy() for t in (x, g, b)], ref.cpu().numpy(),
                    "row_layer_norm", 1e-3, 1e-4)
    peers = {"torch eager": time_torch(fn, x, g, b),
             "torch.compile": time_torch(torch.compile(fn), x, g, b)}
    record("layer_norm, 8192x8192 f32", "GB/s", 2 * 4 * 8192 * 8192, axon, peers)


def matmul(dtype, mlir_type, extra=(), label=""):
    n = 4096
    a, b = f32(n, n), f32(n, n)
    ta, tb = a.to(dtype), b.to(dtype)
    if mlir_type == "f32":
        body = f"%r = axon.matmul %a, %b : tensor<{n}x{n}xf32>, tensor<{n}x{n}xf32>"
        ref = (a.double() @ b.double()).float()
    else:
        # Inputs arrive as f32 (numpy has no bf16); the casts are separate
        # kernels and not counted.
        body = (f"%ca = axon.cast %a : tensor<{n}x{n}xf32> to tensor<{n}x{n}x{mlir_type}>\n"
                f"  %cb = axon.cast %b : tensor<{n}x{n}xf32> to tensor<{n}x{n}x{mlir_type}>\n"
                f"  %m = axon.matmul %ca, %cb : tensor<{n}x{n}x{mlir_type}>, tensor<{n}x{n}x{mlir_type}>\n"
                f"  %r = axon.cast %m : tensor<{n}x{n}x{mlir_type}> to tensor<{n}x{n}xf32>")
        ref = (ta.double() @ tb.double()).to(dtype).float()
    mlir = f"""func.func @main(%a: tensor<{n}x{n}xf32>, %b: tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32> {{
  {body}
  return %r : tensor<{n}x{n}xf32>
}}"""
    tf32 = "--allow-tf32" in extra
    tol = (2e-2, 2e-1) if mlir_type != "f32" or tf32 else (1e-3, 1e-3)
    axon = run_axon(f"matmul_{mlir_type}{label.replace(' ', '_')}", mlir,
                    [a.cpu().numpy(), b.cpu().numpy()], ref.cpu().numpy(),
                    "matmul_(tiled|wgmma|mma)", *tol, repeat=6, extra=extra)
    # The peer runs with the same TF32 setting.
    torch.backends.cuda.matmul.allow_tf32 = tf32
    try:
        peers = {"cuBLAS (torch.matmul)" + (", TF32" if tf32 else ""):
                 time_torch(torch.matmul, ta, tb)}
    finally:
        torch.backends.cuda.matmul.allow_tf32 = False
    record(f"matmul 4096^3 {mlir_type}{label}", "TFLOP/s", 2 * n ** 3, axon, peers)


def half_program(name, shapes, body, dtype):
    """A program taking f32 inputs (numpy has no bf16), casting them to
    `dtype`, computing `body` on %c0, %c1, ... and returning %r as f32; the
    casts are separate kernels, not counted."""
    t = lambda s, ty: "tensor<" + "x".join(map(str, s)) + f"x{ty}>"
    args = ", ".join(f"%a{i}: {t(s, 'f32')}" for i, s in enumerate(shapes[:-1]))
    casts = "".join(f"  %c{i} = axon.cast %a{i} : {t(s, 'f32')} to {t(s, dtype)}\n"
                    for i, s in enumerate(shapes[:-1]))
    out = shapes[-1]
    return (f"func.func @{name}({args}) -> {t(out, 'f32')} {{\n{casts}  {body}\n"
            f"  %f = axon.cast %r : {t(out, dtype)} to {t(out, 'f32')}\n"
            f"  return %f : {t(out, 'f32')}\n}}").replace(f"@{name}(", "@main(")


def llm_gemms():
    """LLM-shaped f16 GEMMs (an MLP up-projection, a wide square layer with
    short K, a decode step) against cuBLAS."""
    for m, n, k in ((4096, 11008, 4096), (8192, 8192, 1024), (16, 4096, 4096)):
        a, b = f32(m, k), f32(k, n)
        ta, tb = a.half(), b.half()
        body = (f"%r = axon.matmul %c0, %c1 : tensor<{m}x{k}xf16>, tensor<{k}x{n}xf16>")
        mlir = half_program("gemm", [(m, k), (k, n), (m, n)], body, "f16")
        ref = (ta.double() @ tb.double()).half().float()
        axon = run_axon(f"gemm_{m}x{n}x{k}", mlir, [a.cpu().numpy(), b.cpu().numpy()],
                        ref.cpu().numpy(), "matmul_", 2e-2, 2e-1, repeat=6)
        record(f"matmul {m}x{n}x{k} f16", "TFLOP/s", 2 * m * n * k, axon,
               {"cuBLAS (torch.matmul)": time_torch(torch.matmul, ta, tb)})
        del a, b, ta, tb, ref


def mlp_bf16():
    n = 4096
    a, w, bias = f32(n, n), f32(n, n), f32(n)
    ta, tw, tbias = a.bfloat16(), w.bfloat16(), bias.bfloat16()
    fn = lambda x, y, c: torch.relu(x @ y + c)
    t = f"tensor<{n}x{n}xbf16>"
    body = (f"%m = axon.matmul %c0, %c1 : {t}, {t}\n"
            f"  %s = axon.add %m, %c2 : {t}, tensor<{n}xbf16>\n"
            f"  %r = axon.relu %s : {t}")
    mlir = half_program("mlp", [(n, n), (n, n), (n,), (n, n)], body, "bf16")
    ref = fn(ta.double(), tw.double(), tbias.double()).bfloat16().float()
    axon = run_axon("mlp_bf16", mlir, [x.cpu().numpy() for x in (a, w, bias)], ref.cpu().numpy(),
                    "matmul_", 2e-2, 2e-1, repeat=6)
    peers = {"torch eager": time_torch(fn, ta, tw, tbias),
             "torch.compile": time_torch(torch.compile(fn), ta, tw, tbias)}
    record("MLP relu(A@B+bias) 4096^3 bf16", "TFLOP/s", 2 * n ** 3, axon, peers)


def mlp():
    n = 4096
    a, w, bias = f32(n, n), f32(n, n), f32(n)
    fn = lambda x, y, c: torch.relu(x @ y + c)
    mlir = f"""func.func @main(%a: tensor<{n}x{n}xf32>, %w: tensor<{n}x{n}xf32>, %c: tensor<{n}xf32>) -> tensor<{n}x{n}xf32> {{
  %m = axon.matmul %a, %w : tensor<{n}x{n}xf32>, tensor<{n}x{n}xf32>
  %s = axon.add %m, %c : tensor<{n}x{n}xf32>, tensor<{n}xf32>
  %r = axon.relu %s : tensor<{n}x{n}xf32>
  return %r : tensor<{n}x{n}xf32>
}}"""
    ref = fn(a.double(), w.double(), bias.double()).float()
    axon = run_axon("mlp", mlir, [t.cpu().numpy() for t in (a, w, bias)], ref.cpu().numpy(),
                    ".", 1e-3, 1e-3, repeat=6)
    peers = {"torch eager": time_torch(fn, a, w, bias),
             "torch.compile": time_torch(torch.compile(fn), a, w, bias)}
    record("MLP relu(A@B+bias) 4096^3 f32", "TFLOP/s", 2 * n ** 3, axon, peers)


def attention():
    bh, s, d = 128, 1024, 64  # batch 8 x 16 heads
    q, k, v = f32(bh, s, d), f32(bh, s, d), f32(bh, s, d)
    scale = 1.0 / d ** 0.5
    def naive(q, k, v):
        return torch.softmax((q @ k.transpose(-1, -2)) * scale, dim=-1) @ v
    t = f"tensor<{bh}x{s}x{d}xf32>"
    mlir = f"""func.func @main(%q: {t}, %k: {t}, %v: {t}) -> {t} {{
  %r = axon.attention %q, %k, %v scale = {scale:.8f} : {t}, {t}, {t}
  return %r : {t}
}}"""
    ref = naive(q.double(), k.double(), v.double()).float()
    axon = run_axon("attention", mlir, [x.cpu().numpy() for x in (q, k, v)], ref.cpu().numpy(),
                    ".", 1e-3, 1e-4, repeat=6)
    sdpa = torch.nn.functional.scaled_dot_product_attention
    peers = {"torch eager (naive)": time_torch(naive, q, k, v),
             "torch.compile (naive)": time_torch(torch.compile(naive), q, k, v),
             "SDPA": time_torch(sdpa, q, k, v)}
    record("attention B8 H16 S1024 D64 f32", "TFLOP/s", 4 * bh * s * s * d, axon, peers)


def attention_f16():
    """f16 attention through axon.attention (decomposed: Q K^T and P V on the
    tensor cores, a row softmax between) against SDPA's flash kernel on 4-D
    tensors (SDPA on 3-D tensors takes its math path)."""
    b, h, s, d = 8, 16, 1024, 64
    q, k, v = (f32(b, h, s, d) for _ in range(3))
    scale = 1.0 / d ** 0.5
    hq, hk, hv = q.half(), k.half(), v.half()
    t = f"tensor<{b * h}x{s}x{d}xf16>"
    # f16 in and out (numpy has f16): every kernel of the program counts.
    mlir = f"""func.func @main(%q: {t}, %k: {t}, %v: {t}) -> {t} {{
  %r = axon.attention %q, %k, %v scale = {scale:.8f} : {t}, {t}, {t}
  return %r : {t}
}}"""
    ref = torch.softmax((hq.double() @ hk.double().transpose(-1, -2)) * scale, -1) @ hv.double()
    flat = lambda x: x.reshape(b * h, s, d).cpu().numpy()
    axon = run_axon("attention_f16", mlir, [flat(hq), flat(hk), flat(hv)],
                    ref.reshape(b * h, s, d).float().cpu().numpy(), ".", 2e-2, 2e-2, repeat=6)
    sdpa = torch.nn.functional.scaled_dot_product_attention
    record("attention B8 H16 S1024 D64 f16", "TFLOP/s", 4 * b * h * s * s * d, axon,
           {"SDPA (flash)": time_torch(sdpa, hq, hk, hv)})
    del q, k, v, hq, hk, hv, ref

    # Causal, long sequence, head size 128 (FLOPs: the unmasked half).
    b, h, s, d = 4, 8, 4096, 128
    hq, hk, hv = (f32(b, h, s, d).half() for _ in range(3))
    t = f"tensor<{b * h}x{s}x{d}xf16>"
    mlir = f"""func.func @main(%q: {t}, %k: {t}, %v: {t}) -> {t} {{
  %r = axon.attention %q, %k, %v causal : {t}, {t}, {t}
  return %r : {t}
}}"""
    ref = sdpa(hq.float(), hk.float(), hv.float(), is_causal=True)
    flat = lambda x: x.reshape(b * h, s, d).cpu().numpy()
    axon = run_axon("attention_causal", mlir, [flat(hq), flat(hk), flat(hv)],
                    ref.reshape(b * h, s, d).cpu().numpy(), ".", 2e-2, 2e-2, repeat=6)
    record("attention causal B4 H8 S4096 D128 f16", "TFLOP/s", 2 * b * h * s * s * d, axon,
           {"SDPA (flash)": time_torch(lambda x, y, z: sdpa(x, y, z, is_causal=True), hq, hk, hv)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/axon-bench")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    common.OUT = args.out
    os.makedirs(args.out, exist_ok=True)
    benches = {"elementwise": elementwise, "softmax": softmax, "layer_norm": layer_norm,
               "matmul_f32": lambda: matmul(torch.float32, "f32"),
               "matmul_f16": lambda: matmul(torch.float16, "f16"),
               "matmul_bf16": lambda: matmul(torch.bfloat16, "bf16"),
               "matmul_tf32": lambda: matmul(torch.float32, "f32", ("--allow-tf32",),
                                             " allow-tf32 (matmul_mma)"),
               "matmul_f16_sm80": lambda: matmul(torch.float16, "f16", ("--gpu-chip=sm_80",),
                                                 " compiled for sm_80 (matmul_mma)"),
               "llm_gemms": llm_gemms, "mlp_bf16": mlp_bf16, "attention_f16": attention_f16,
               "mlp": mlp, "attention": attention, **layers.BENCHES, **models.BENCHES}
    ceiling = copy_bandwidth()
    print(f"device-to-device copy: {ceiling:.0f} GB/s (the memory-bound ceiling)", flush=True)
    for name, fn in benches.items():
        if args.only and name not in args.only.split(","):
            continue
        try:
            fn()
        except Exception as e:  # keep going: one failure must not hide the rest
            print(f"{name}: FAILED: {e}", flush=True)
            common.ROWS.append({"workload": name, "error": str(e)})
    device = torch.cuda.get_device_name()
    date = datetime.date.today().isoformat()
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"device": device, "date": date, "torch": torch.__version__,
                   "copy_gbs": ceiling, "rows": common.ROWS}, f,
                  indent=1)
    lines = [f"Device: {device}; date: {date}; torch {torch.__version__}; device-to-device copy "
             f"{ceiling:.0f} GB/s. Kernel time against kernel time. Ratio = peer time / "
             "Axon time (above 1: Axon faster).", "",
             "| workload | Axon | checked | peer | peer rate | ratio |", "|---|---|---|---|---|---|"]
    for r in common.ROWS:
        if "error" in r:
            lines.append(f"| {r['workload']} | failed: {r['error'][:60]} | | | | |")
            continue
        first = True
        for peer, p in r["peers"].items():
            lead = (f"| {r['workload']} | {r['axon_rate']:.1f} {r['unit']} | "
                    f"{'yes' if r['axon_ok'] else 'NO'} |") if first else "| | | |"
            lines.append(f"{lead} {peer} | {p['rate']:.1f} {r['unit']} | {p['ratio']:.2f} |")
            first = False
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
