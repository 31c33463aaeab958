#!/usr/bin/env python3
"""CPU benchmark: axon-run against onnxruntime's CPU provider on the same ONNX
files and inputs, same thread count, in one run on this machine.

  /usr/bin/python3 bench/cpu/run.py [--threads N] [--repeat R] [--only a,b]
                                    [--axon-run PATH] [--json OUT] [--layers]

Needs Debian's python3-onnx and python3-numpy (the models are written by
make_models.py), node, and onnxruntime-node installed with
`npm install --ignore-scripts onnxruntime-node` (in bench/cpu, or point
ORT_NODE at the package). Latency is the median of R timed runs after a
warm-up, on each side; numerics are checked first (relative L2 norm of
Axon's output against onnxruntime's).
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import make_models  # noqa: E402

# name -> (builder, FLOPs per run or None, {input: shape})
MODELS = {
    "matmul": (make_models.matmul, 2 * 1024**3, {"a": [1024, 1024], "b": [1024, 1024]}),
    "mlp": (make_models.mlp, 2 * 64 * (784 * 1024 + 1024 * 1024 + 1024 * 10), {"x": [64, 784]}),
    "encoder_layer": (make_models.encoder_layer, None, {"x": [128, 256]}),
    "mobilenetv2": (make_models.mobilenetv2, None, {"x": [1, 3, 224, 224]}),
    "resnet18": (make_models.resnet18, None, {"x": [1, 3, 224, 224]}),
}
# --layers: the CNNs' layers one at a time.
LAYERS = {name: ((lambda name=name, spec=spec: make_models.layer(name, *spec)), None,
                 {"x": [1, spec[0], spec[1], spec[1]]})
          for name, spec in make_models.LAYERS.items()}


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def run_ort(model, threads, repeat, out, inputs):
    cmd = ["node", "--expose-gc", os.path.join(HERE, "ort_run.js"), model, str(threads), str(repeat), out]
    cmd += [f"{k}={v}" for k, v in inputs.items()]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE)
    if proc.returncode:
        raise RuntimeError(f"onnxruntime failed on {model}: {proc.stderr.strip()}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


NUMPY_MATMUL = """
import json, sys, time
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
a @ b
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    a @ b
    times.append((time.perf_counter() - start) * 1e3)
times.sort()
print(json.dumps({"median_ms": times[len(times) // 2], "min_ms": times[0]}))
"""


def run_numpy_matmul(a, b, threads, repeat):
    """numpy's matmul (whatever BLAS Debian's alternatives give it) on the
    same inputs and thread count: the matmul row's second peer."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    proc = subprocess.run([sys.executable, "-c", NUMPY_MATMUL, a, b, str(repeat)],
                          capture_output=True, text=True, env=env)
    if proc.returncode:
        raise RuntimeError(f"numpy matmul failed: {proc.stderr.strip()}")
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    return dict(json.loads(proc.stdout), blas=blas)


def run_axon(axon_run, model, threads, repeat, outdir, inputs):
    cmd = [axon_run, model, "--target=cpu", "--quiet", "--time", "--no-cache",
           f"--threads={threads}", f"--repeat={repeat + 1}", f"--output-dir={outdir}"]
    cmd += [f"--input={k}={v}" for k, v in inputs.items()]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"axon-run failed on {model}: {proc.stderr.strip()}")
    text = proc.stdout
    times = re.search(r"time: compile ([0-9.]+) ms, first run ([0-9.]+) ms, run ([0-9.]+) ms "
                      r"\(mean of (\d+)\), best ([0-9.]+) ms, median ([0-9.]+) ms", text)
    cpu = re.search(r"cpu: (.*)", text)
    return {"compile_ms": float(times.group(1)), "mean_ms": float(times.group(3)),
            "min_ms": float(times.group(5)), "median_ms": float(times.group(6)),
            "cpu": cpu.group(1) if cpu else ""}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="")
    parser.add_argument("--axon-run", default=os.path.join(ROOT, "build", "bin", "axon-run"))
    parser.add_argument("--json", default="")
    parser.add_argument("--layers", action="store_true",
                        help="also time the CNNs' layers one at a time")
    args = parser.parse_args()

    rows_of = dict(MODELS, **(LAYERS if args.layers else {}))
    names = [n for n in rows_of if not args.only or n in args.only.split(",")]
    work = tempfile.mkdtemp(prefix="axon-cpu-bench-")
    rng = np.random.default_rng(1)
    rows = []
    print(f"# {cpu_name()}, {args.threads} threads, {datetime.date.today()}")
    print(f"{'model':<20} {'axon ms':>9} {'ort ms':>9} {'ratio':>6} {'GFLOP/s':>8} {'rel err':>9}")
    for name in names:
        build, flops, shapes = rows_of[name]
        model = os.path.join(work, name + ".onnx")
        import onnx
        onnx.save(build(), model)
        inputs = {}
        for input_name, shape in shapes.items():
            path = os.path.join(work, f"{name}.{input_name}.npy")
            np.save(path, rng.uniform(-1, 1, shape).astype(np.float32))
            inputs[input_name] = path
        ort_out = os.path.join(work, name + ".ort.npy")
        ort = run_ort(model, args.threads, args.repeat, ort_out, inputs)
        outdir = os.path.join(work, name + ".axon")
        os.makedirs(outdir, exist_ok=True)
        axon = run_axon(args.axon_run, model, args.threads, args.repeat, outdir, inputs)
        want = np.load(ort_out).astype(np.float64)
        got = np.load(os.path.join(outdir, "result0.npy")).astype(np.float64)
        err = float(np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-30))
        ratio = ort["median_ms"] / axon["median_ms"]
        gflops = flops / axon["median_ms"] / 1e6 if flops else None
        row = {"model": name, "axon": axon, "ort": ort, "speed_ratio": ratio,
               "axon_gflops": gflops, "rel_err": err}
        if name == "matmul":
            row["numpy"] = run_numpy_matmul(inputs["a"], inputs["b"], args.threads, args.repeat)
        rows.append(row)
        print(f"{name:<20} {axon['median_ms']:9.3f} {ort['median_ms']:9.3f} {ratio:6.3f} "
              f"{(f'{gflops:8.1f}' if gflops else '       -')} {err:9.2e}")
        if "numpy" in row:
            numpy_ms = row["numpy"]["median_ms"]
            print(f"{'  numpy (' + os.path.basename(os.path.dirname(row['numpy']['blas'])) + ')':<20} "
                  f"{'':9} {numpy_ms:9.3f} {numpy_ms / axon['median_ms']:6.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"date": str(datetime.date.today()), "cpu": cpu_name(),
                       "threads": args.threads, "repeat": args.repeat, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
