"""Helpers shared by Axon's GPU benchmarks: kernel-time measurement of the
peers (CUPTI durations through torch.profiler), the copy-bandwidth ceiling,
running an axon program with `axon-run --time` and checking its result, and
the table of rows."""
import json
import os
import re
import subprocess
import tempfile

import numpy as np
import torch

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
# AXON_BENCH_PROGRAMS keeps the rows' programs where a later step reads them
# (bench/tune.sh tunes them).
TMP = os.environ.get("AXON_BENCH_PROGRAMS") or tempfile.mkdtemp(prefix="axon-bench-")
os.makedirs(TMP, exist_ok=True)


def time_torch(fn, *args, warmup=5, reps=20):
    """Median device time (ms) of one call: its kernels' CUPTI durations."""
    for _ in range(warmup):
        fn(*args)
    torch.cuda.synchronize()
    activities = [torch.profiler.ProfilerActivity.CUDA]
    with torch.profiler.profile(activities=activities) as prof:
        for _ in range(reps):
            fn(*args)
        torch.cuda.synchronize()
    events = sorted((e for e in prof.events()
                     if e.device_type == torch.autograd.DeviceType.CUDA),
                    key=lambda e: e.time_range.start)
    if not events or len(events) % reps:
        raise RuntimeError(f"{len(events)} device events for {reps} calls")
    per_call = len(events) // reps
    sums = [sum(e.time_range.elapsed_us() for e in events[i * per_call:(i + 1) * per_call])
            for i in range(reps)]
    return float(np.median(sums)) / 1e3


def copy_bandwidth():
    """The card's device-to-device copy rate (GB/s, bytes read + written)."""
    n = 64 * 1024 * 1024
    x = torch.empty(n, device="cuda", dtype=torch.float32).uniform_()
    y = torch.empty_like(x)
    ms = time_torch(lambda: y.copy_(x))
    return 2 * 4 * n / (ms * 1e-3) / 1e9


OUT = "/tmp/axon-bench"


def run_axon(name, mlir, inputs, reference, kernel_filter, rtol, atol, repeat=12, path=None,
             extra=()):
    """Runs an axon program (or a model file at `path`) on the GPU; returns
    whether its result matched, the summed kernel time (ms, mean over the
    repeats) of the kernels whose names match `kernel_filter`, and details."""
    if path is None:
        path = os.path.join(TMP, name + ".mlir")
        with open(path, "w") as f:
            f.write(mlir)
    cmd = ["axon-run", path, *extra, "--target=cuda", "--quiet", "--time", f"--repeat={repeat}"]
    # AXON_TUNING_CACHE: compile with the configs axon-tune measured (bench/tune.sh).
    if os.environ.get("AXON_TUNING_CACHE"):
        cmd.append("--tuning-cache=" + os.environ["AXON_TUNING_CACHE"])
    for i, x in enumerate(inputs):
        p = os.path.join(TMP, f"{name}.in{i}.npy")
        np.save(p, x)
        cmd += ["--input", f"{i}={p}"]
    ref = os.path.join(TMP, f"{name}.ref.npy")
    np.save(ref, reference)
    cmd += ["--expect", f"0={ref}", f"--rtol={rtol}", f"--atol={atol}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    with open(os.path.join(OUT, "bench-axon.log"), "a") as f:
        f.write(f"== {name}\n" + " ".join(cmd) + "\n" + log)
    kernels = {m.group(1): float(m.group(2))
               for m in re.finditer(r"kernel (\S+): ([0-9.]+) ms", log)}
    chosen = {k: v for k, v in kernels.items() if re.search(kernel_filter, k)}
    ok = proc.returncode == 0 and "matches" in log
    compile_ms = re.search(r"compile ([0-9.]+) ms", log)
    return {"ok": ok, "ms": sum(chosen.values()) if chosen else float("nan"),
            "kernels": chosen, "compile_ms": float(compile_ms.group(1)) if compile_ms else None,
            "log": log}


def f32(*shape):
    return torch.rand(*shape, device="cuda", dtype=torch.float32) * 2 - 1


ROWS = []


def record(workload, unit, amount, axon, peers):
    """amount: bytes (GB/s) or flops (TFLOP/s) per call; peers: name -> ms."""
    scale = {"GB/s": 1e-6, "TFLOP/s": 1e-9}.get(unit)
    # unit "ms": the rate column shows the time itself.
    rate = lambda ms: (amount / (ms * 1e-3) * scale / 1e3 if scale else ms) if ms == ms \
        else float("nan")
    row = {"workload": workload, "unit": unit, "axon_ok": axon["ok"], "axon_ms": axon["ms"],
           "axon_rate": rate(axon["ms"]), "axon_kernels": axon["kernels"],
           "axon_compile_ms": axon["compile_ms"], "peers": {}}
    for peer, ms in peers.items():
        row["peers"][peer] = {"ms": ms, "rate": rate(ms), "ratio": ms / axon["ms"]}
    ROWS.append(row)
    peer_text = ", ".join(f"{p} {v['rate']:.1f} ({v['ratio']:.2f}x)" for p, v in row["peers"].items())
    print(f"{workload}: axon {row['axon_rate']:.1f} {unit} ({axon['ms']:.3f} ms, "
          f"{'ok' if axon['ok'] else 'WRONG/FAILED'}); {peer_text}", flush=True)


