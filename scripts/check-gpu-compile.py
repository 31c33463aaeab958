#!/usr/bin/env python3
"""Compiles every integration program for the GPU (axon-opt -axon-to-nvvm,
PTX output) and reports the ones that fail. CI runs this through lit
(test/Target/PTX/compile-integration.test): without a GPU it still proves
that each model has a complete GPU lowering; the GPU machine runs them.

usage: check-gpu-compile.py AXON_OPT DIR... [--unfused DIR...]
"""
import concurrent.futures
import glob
import os
import subprocess
import sys


def compile_one(axon_opt, path, fuse):
    cmd = [axon_opt, path, f"-axon-to-nvvm=fuse={'true' if fuse else 'false'}", "-o", os.devnull]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return path, fuse, proc.returncode, proc.stderr.strip().splitlines()[:1]


def main():
    axon_opt, args = sys.argv[1], sys.argv[2:]
    jobs, fuse = [], True
    for arg in args:
        if arg == "--unfused":
            fuse = False
            continue
        for path in sorted(glob.glob(os.path.join(arg, "*.mlir"))):
            jobs.append((path, fuse))
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda j: compile_one(axon_opt, *j), jobs))
    failed = [r for r in results if r[2] != 0]
    for path, fused, _, err in failed:
        print(f"FAILED {os.path.basename(path)} (fuse={fused}): {' '.join(err)}")
    print(f"compiled for the GPU: {len(results) - len(failed)} of {len(results)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
