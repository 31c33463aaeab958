"""Whole models on the GPU machine: for models exported from torch,
axon-run's cold compile (empty cache), its cached load, the phases of each
(--time); the steady entry time with the CUDA graph, without it, and
without the memory plan, each against the kernels' time (the difference is
the host overhead); the peak device memory; and a per-kernel profile
(--profile-json, charted by bench/profile_chart.py). Against torch eager's
and torch.compile's first call, steady latency (kernel time, and wall time
per call with a synchronize) and peak memory (max_memory_allocated).

  python3 bench/compile.py --out DIR [--only mobilenet_v3_small,resnet50,...]

Writes DIR/compile.json and prints a table. Run by
scripts/device/run-gpu-suite.sh (AXON_COMPILE_BENCH=1)."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402
import models  # noqa: E402


def linear_stack():
    torch.manual_seed(0)
    return (nn.Sequential(nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
                          nn.Linear(4096, 4096)), torch.randn(8, 4096))


def mobilenet_v3_small():
    import torchvision
    torch.manual_seed(0)
    return torchvision.models.mobilenet_v3_small(weights=None), torch.randn(1, 3, 224, 224)


def resnet50():
    import torchvision
    torch.manual_seed(0)
    return torchvision.models.resnet50(weights=None), torch.randn(1, 3, 224, 224)


def encoder():
    torch.manual_seed(0)
    return (nn.Sequential(*[models.EncoderLayer(1, 128) for _ in range(4)]),
            torch.randn(1, 128, 768))


MODELS = {"mobilenet_v3_small": mobilenet_v3_small, "resnet50": resnet50,
          "encoder": encoder, "linear_stack": linear_stack}


def axon(path, x_path, cache, extra=()):
    cmd = ["axon-run", path, "--target=cuda", "--quiet", "--time", "--repeat=20",
           f"--cache-dir={cache}", "--input", f"0={x_path}", *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1e3
    log = proc.stdout + proc.stderr
    num = lambda pat: float(m.group(1)) if (m := re.search(pat, log)) else None  # noqa: E731
    kernels = sum(float(m.group(1)) for m in re.finditer(r"kernel \S+: ([0-9.]+) ms", log))
    return {"ok": proc.returncode == 0, "wall_ms": wall,
            "compile_ms": num(r"time: compile ([0-9.]+) ms"),
            "import_ms": num(r"compile: (?:import|parse) ([0-9.]+) ms"),
            "axon_passes_ms": num(r"axon passes ([0-9.]+) ms"),
            "codegen_ms": num(r"code generation ([0-9.]+) ms"),
            "kernels": num(r"\(([0-9]+) kernels\)"),
            "host_jit_ms": num(r"host JIT ([0-9.]+) ms"),
            "module_load_ms": num(r"module load ([0-9.]+) ms"),
            "cache_lookup_ms": num(r"lookup ([0-9.]+) ms"),
            "cache": (m.group(1) if (m := re.search(r"cache: (\w+)", log)) else None),
            "entry_ms": num(r"entry ([0-9.]+) ms"), "kernel_ms": kernels,
            "entry_mode": (m.group(1) if (m := re.search(r"entry [0-9.]+ ms \(([^,]+),", log))
                           else None),
            "device_span_ms": num(r"device span ([0-9.]+) ms"),
            "peak_mib": num(r"memory: peak ([0-9.]+) MiB"),
            "intermediates_mib": num(r"intermediates ([0-9.]+) MiB"),
            "note": (m.group(1) if (m := re.search(r"note: (.*)", log)) else None),
            "run_ms": num(r"run ([0-9.]+) ms \(mean"), "log": log[-3000:]}


def torch_first_call(model, x):
    torch.cuda.synchronize()
    start = time.perf_counter()
    with torch.no_grad():
        model(x)
    torch.cuda.synchronize()
    return (time.perf_counter() - start) * 1e3


def torch_wall_ms(model, x, reps=20):
    """Median wall time of one synchronized call (host dispatch included)."""
    times = []
    with torch.no_grad():
        for i in range(reps + 3):
            torch.cuda.synchronize()
            start = time.perf_counter()
            model(x)
            torch.cuda.synchronize()
            if i >= 3:
                times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)[len(times) // 2]


def torch_peak_bytes(model, x):
    """Peak allocated bytes of one call, weights and input included."""
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    with torch.no_grad():
        model(x)
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/axon-bench")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = [n for n in args.only.split(",") if n] or list(MODELS)
    rows = {}
    for name in names:
        model, x = MODELS[name]()
        model = model.cuda().eval()
        x = x.cuda()
        path = os.path.join(common.TMP, f"{name}.onnx")
        with torch.no_grad():
            models.export(model, x, path)
        x_path = os.path.join(common.TMP, f"{name}.x.npy")
        import numpy as np
        np.save(x_path, x.cpu().numpy())
        cache = os.path.join(common.TMP, f"{name}.cache")
        shutil.rmtree(cache, ignore_errors=True)
        cold = axon(path, x_path, cache)
        profile = os.path.join(args.out, f"{name}.profile.json")
        warm = axon(path, x_path, cache, [f"--profile-json={profile}"])
        nograph = axon(path, x_path, cache, ["--cuda-graph=false"])
        noplan = axon(path, x_path, cache, ["--cuda-graph=false", "--plan-memory=false"])
        eager_first = torch_first_call(model, x)
        eager_peak = torch_peak_bytes(model, x)
        compiled = torch.compile(model)
        compile_first = torch_first_call(compiled, x)
        compile_peak = torch_peak_bytes(compiled, x)
        with torch.no_grad():
            eager_ms = common.time_torch(model, x, reps=10)
            compiled_ms = common.time_torch(compiled, x, reps=10)
        eager_wall = torch_wall_ms(model, x)
        compiled_wall = torch_wall_ms(compiled, x)
        rows[name] = {"cold": cold, "warm": warm, "nograph": nograph, "noplan": noplan,
                      "torch_eager_first_ms": eager_first,
                      "torch_compile_first_ms": compile_first, "torch_eager_ms": eager_ms,
                      "torch_compile_ms": compiled_ms, "torch_eager_wall_ms": eager_wall,
                      "torch_compile_wall_ms": compiled_wall,
                      "torch_eager_peak_bytes": eager_peak,
                      "torch_compile_peak_bytes": compile_peak}
        c, w = cold, warm
        print(f"{name}: cold compile {c['compile_ms']} ms (import {c['import_ms']}, axon "
              f"{c['axon_passes_ms']}, codegen {c['codegen_ms']} for {c['kernels']} kernels, "
              f"JIT {c['host_jit_ms']}, load {c['module_load_ms']}), ok={c['ok']}; cached "
              f"{w['compile_ms']} ms ({w['cache']}, import {w['import_ms']}, lookup "
              f"{w['cache_lookup_ms']}, JIT {w['host_jit_ms']}, load {w['module_load_ms']}); "
              f"torch first call eager {eager_first:.0f} ms, compile {compile_first:.0f} ms",
              flush=True)
        # The kernels back to back: the device's span of a graph replay.
        back_to_back = warm["device_span_ms"]
        for label, r in (("graph", warm), ("no graph", nograph), ("no plan", noplan)):
            r["host_overhead_ms"] = (r["entry_ms"] - back_to_back
                                     if r["entry_ms"] is not None and back_to_back else None)
            print(f"  {label}: entry {r['entry_ms']} ms ({r['entry_mode']}), device span "
                  f"{r['device_span_ms']} ms, kernels one by one {r['kernel_ms']:.3f} ms, host "
                  f"overhead (entry - graph span) {r['host_overhead_ms']} ms, peak "
                  f"{r['peak_mib']} MiB (intermediates {r['intermediates_mib']}), ok={r['ok']}"
                  + (f", note: {r['note']}" if r['note'] else ""), flush=True)
        print(f"  torch: kernels eager {eager_ms:.3f} ms, compile {compiled_ms:.3f} ms; wall "
              f"eager {eager_wall:.3f} ms, compile {compiled_wall:.3f} ms; peak eager "
              f"{eager_peak / 2**20:.1f} MiB, compile {compile_peak / 2**20:.1f} MiB", flush=True)
        for r in (c, w, nograph, noplan):
            if not r["ok"]:
                print(r["log"], flush=True)
    with open(os.path.join(args.out, "compile.json"), "w") as f:
        json.dump(rows, f, indent=1, default=str)


if __name__ == "__main__":
    main()
