#!/usr/bin/env python3
"""Differential check: random axon programs, three ways, must agree.

For each seeded random program (elementwise chains with broadcasting,
matmul + bias + activation, decomposed and named softmax, reductions,
transposes: the shapes axon-fuse rewrites), axon-run computes:
  A. fused (the default pipeline),
  B. unfused (--fuse=false), compared with A,
  C. the same program with its inputs written as constants, so that the
     constant folder evaluates it at compile time, compared with A.
Tolerances are those of float32 reassociation (rtol 1e-4, atol 1e-5).
Pure Python (no numpy), so CI runs it as is:
  scripts/differential.py --build build --count 200 --seed 1
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

ROWS, COLS = 4, 8
INPUTS = [("x", (ROWS, COLS)), ("y", (ROWS, COLS)), ("b", (COLS,)), ("w", (COLS, COLS))]


def ty(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


class Program:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.values = [("%" + n, s) for n, s in INPUTS]
        self.count = 0

    def fresh(self):
        self.count += 1
        return "%v" + str(self.count)

    def emit(self, text, shape):
        name = self.fresh()
        self.lines.append(f"  {name} = {text}")
        self.values.append((name, shape))
        return name

    def pick(self, shape=None):
        candidates = [v for v in self.values if shape is None or v[1] == shape]
        # Recent values more often: chains, not just fans from the inputs.
        return candidates[-1] if self.rng.random() < 0.5 else self.rng.choice(candidates)

    def step(self):
        r = self.rng.random()
        a, sa = self.pick((ROWS, COLS))
        if r < 0.30:
            op = self.rng.choice(["add", "sub", "mul", "max", "min"])
            b, sb = self.pick((COLS,)) if self.rng.random() < 0.3 else self.pick((ROWS, COLS))
            self.emit(f"axon.{op} {a}, {b} : {ty(sa)}, {ty(sb)}", sa)
        elif r < 0.50:
            op = self.rng.choice(["neg", "abs", "tanh", "sigmoid", "relu"])
            self.emit(f"axon.{op} {a} : {ty(sa)}", sa)
        elif r < 0.58:
            t = self.emit(f"axon.tanh {a} : {ty(sa)}", sa)
            self.emit(f"axon.exp {t} : {ty(sa)}", sa)
        elif r < 0.70:
            w, sw = self.pick((COLS, COLS))
            m = self.emit(f"axon.matmul {a}, {w} : {ty(sa)}, {ty(sw)}", (ROWS, COLS))
            if self.rng.random() < 0.7:
                b, sb = self.pick((COLS,))
                m = self.emit(f"axon.add {m}, {b} : {ty((ROWS, COLS))}, {ty(sb)}", (ROWS, COLS))
            if self.rng.random() < 0.5:
                act = self.rng.choice(["relu", "tanh", "sigmoid"])
                self.emit(f"axon.{act} {m} : {ty((ROWS, COLS))}", (ROWS, COLS))
        elif r < 0.78:
            self.emit(f"axon.softmax {a} axis = 1 : {ty(sa)}", sa)
        elif r < 0.86:
            # The decomposed softmax exporters emit (axon-fuse recognizes it).
            s = (ROWS, 1)
            mx = self.emit(f"axon.reduce_max {a} axes = [1] keep_dims : {ty(sa)}", s)
            d = self.emit(f"axon.sub {a}, {mx} : {ty(sa)}, {ty(s)}", sa)
            e = self.emit(f"axon.exp {d} : {ty(sa)}", sa)
            sm = self.emit(f"axon.reduce_sum {e} axes = [1] keep_dims : {ty(sa)}", s)
            self.emit(f"axon.div {e}, {sm} : {ty(sa)}, {ty(s)}", sa)
        elif r < 0.93:
            s = (ROWS, 1)
            red = self.rng.choice(["reduce_sum", "reduce_mean", "reduce_max", "reduce_min"])
            m = self.emit(f"axon.{red} {a} axes = [1] keep_dims : {ty(sa)}", s)
            self.emit(f"axon.sub {a}, {m} : {ty(sa)}, {ty(s)}", sa)
        else:
            t = self.emit(f"axon.transpose {a} perm = [1, 0] : {ty(sa)}", (COLS, ROWS))
            self.emit(f"axon.transpose {t} perm = [1, 0] : {ty((COLS, ROWS))}", sa)

    def text(self, constants=None):
        result, shape = self.values[-1]
        if constants is None:
            args = ", ".join(f"%{n}: {ty(s)}" for n, s in INPUTS)
            head = [f"func.func @main({args}) -> {ty(shape)} {{"]
        else:
            head = ["func.func @main() -> " + ty(shape) + " {"]
            for n, s in INPUTS:
                head.append(f"  %{n} = axon.constant dense<{nested(constants[n], s)}> : {ty(s)}")
        body = list(self.lines)
        return "\n".join(head + body + [f"  return {result} : {ty(shape)}", "}"]) + "\n"


def nested(values, shape):
    """A dense literal: [[...], ...] of `values` (row-major) in `shape`."""
    if len(shape) == 1:
        return "[" + ", ".join(repr(v) for v in values) + "]"
    step = len(values) // shape[0]
    return "[" + ", ".join(nested(values[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def write_npy(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        f"{shape[0]}," if len(shape) == 1 else ", ".join(str(d) for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack(f"<{len(values)}f", *values))


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ops", type=int, default=12, help="random steps per program")
    args = ap.parse_args()
    axon_run = os.path.join(args.build, "bin", "axon-run")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.count):
            rng = random.Random(args.seed * 100003 + i)
            prog = Program(rng)
            for _ in range(rng.randint(3, args.ops)):
                prog.step()
            inputs = {}
            for n, s in INPUTS:
                count = 1
                for d in s:
                    count *= d
                inputs[n] = [f32(rng.uniform(-1, 1)) for _ in range(count)]
            src = os.path.join(tmp, f"p{i}.mlir")
            with open(src, "w") as f:
                f.write(prog.text())
            folded = os.path.join(tmp, f"p{i}_const.mlir")
            with open(folded, "w") as f:
                f.write(prog.text(inputs))
            flags = []
            for k, (n, s) in enumerate(INPUTS):
                path = os.path.join(tmp, f"p{i}_{n}.npy")
                write_npy(path, s, inputs[n])
                flags += [f"--input={k}={path}"]
            out = os.path.join(tmp, f"p{i}_out")
            os.makedirs(out, exist_ok=True)
            ref = os.path.join(out, "result0.npy")
            checks = [
                ("fused", [axon_run, src, "--target=cpu", "--quiet", f"--output-dir={out}"] + flags),
                ("unfused", [axon_run, src, "--target=cpu", "--quiet", "--fuse=false",
                             f"--expect=0={ref}", "--rtol=1e-4", "--atol=1e-5"] + flags),
                ("folded", [axon_run, folded, "--target=cpu", "--quiet",
                            f"--expect=0={ref}", "--rtol=1e-4", "--atol=1e-5"]),
            ]
            for what, cmd in checks:
                r = run(cmd)
                if r.returncode != 0:
                    failures += 1
                    print(f"differential: program {i} (seed {args.seed}), {what}: FAILED\n"
                          f"  {' '.join(cmd)}\n{r.stdout}{r.stderr}")
                    print(prog.text())
                    break
    print(f"differential: {args.count} programs x 3 ways, {failures} disagreements (seed {args.seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
