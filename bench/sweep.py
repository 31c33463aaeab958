#!/usr/bin/env python3
"""Times pinned strategy configurations (`axon.config` on the op) on the
device, to choose the heuristics' defaults: each variant is one axon program
run by `axon-run --time` on random inputs; prints the kernel time of each.
Run on the GPU machine with the bundle's tools on PATH."""
import re
import subprocess
import sys
import tempfile

TMP = tempfile.mkdtemp(prefix="axon-sweep-")


def ttype(shape, element="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + f"{element}>"


def time_variant(name, args, body, result, config, element="f32"):
    attr = "{axon.config = {" + ", ".join(f"{k} = {v}" for k, v in config.items()) + "}}"
    params = ", ".join(f"%a{i}: {ttype(s, element)}" for i, s in enumerate(args))
    text = (f"func.func @main({params}) -> {ttype(result, element)} {{\n"
            f"  %r = {body.format(attr=attr)}\n  return %r : {ttype(result, element)}\n}}\n")
    path = f"{TMP}/{name}.mlir"
    with open(path, "w") as f:
        f.write(text)
    proc = subprocess.run(["axon-run", path, "--target=cuda", "--quiet", "--time", "--repeat=10",
                           "--random-inputs=1"], capture_output=True, text=True)
    kernels = re.findall(r"kernel (\S+): ([0-9.]+) ms", proc.stdout)
    ms = sum(float(t) for _, t in kernels)
    status = "" if proc.returncode == 0 else " FAILED: " + proc.stderr.strip()[:200]
    print(f"{name:14s} {str(config):70s} {ms:8.4f} ms{status}", flush=True)
    return ms


def gemm_tiles(*tiles):
    return [dict(zip(("bm", "bn", "bk", "tm", "tn"), t)) for t in tiles]


SWEEPS = {
    "matmul4096": ([(4096, 4096), (4096, 4096)],
                   "axon.matmul %a0, %a1 {attr} : tensor<4096x4096xf32>, tensor<4096x4096xf32>",
                   (4096, 4096),
                   gemm_tiles((128, 128, 8, 8, 8), (128, 128, 16, 8, 8), (128, 64, 16, 8, 8),
                              (64, 128, 16, 8, 8), (64, 64, 16, 4, 4))),
    "matmul_fc2": ([(4096, 3072), (3072, 768)],
                   "axon.matmul %a0, %a1 {attr} : tensor<4096x3072xf32>, tensor<3072x768xf32>",
                   (4096, 768),
                   gemm_tiles((128, 128, 8, 8, 8), (128, 128, 16, 8, 8), (128, 64, 8, 8, 4),
                              (128, 64, 16, 8, 8), (64, 128, 8, 4, 8), (64, 64, 16, 4, 4),
                              (64, 64, 8, 4, 4))),
    "conv3x3_56": ([(8, 64, 56, 56), (64, 64, 3, 3)],
                   "axon.conv2d %a0, %a1 padding = [1, 1, 1, 1] {attr} : tensor<8x64x56x56xf32>, "
                   "tensor<64x64x3x3xf32>", (8, 64, 56, 56),
                   gemm_tiles((64, 128, 8, 4, 8), (64, 128, 16, 4, 8), (64, 256, 8, 8, 8),
                              (64, 64, 16, 4, 4), (64, 128, 16, 8, 4))),
    "conv3x3_14": ([(8, 256, 14, 14), (256, 256, 3, 3)],
                   "axon.conv2d %a0, %a1 padding = [1, 1, 1, 1] {attr} : tensor<8x256x14x14xf32>, "
                   "tensor<256x256x3x3xf32>", (8, 256, 14, 14),
                   gemm_tiles((64, 64, 8, 4, 4), (64, 64, 16, 4, 4), (32, 64, 16, 2, 4),
                              (128, 64, 16, 8, 4), (64, 32, 16, 4, 2))),
    "transpose": ([(8192, 8192)], "axon.transpose %a0 perm = [1, 0] {attr} : tensor<8192x8192xf32>",
                  (8192, 8192),
                  [{"tile": 32, "rows": 8}, {"tile": 32, "rows": 4}, {"tile": 64, "rows": 8},
                   {"tile": 64, "rows": 16}, {"tile": 32, "rows": 16}]),
    "headsplit": ([(8, 512, 12, 64)],
                  "axon.transpose %a0 perm = [0, 2, 1, 3] {attr} : tensor<8x512x12x64xf32>",
                  (8, 12, 512, 64),
                  [{"threads": 128, "vec": 4}, {"threads": 256, "vec": 4},
                   {"threads": 512, "vec": 4}]),
    "colsum": ([(8192, 8192)], "axon.reduce_sum %a0 axes = [0] {attr} : tensor<8192x8192xf32>",
               (8192,),
               [{"threads": 256, "vec": 4, "splits": s} for s in (8, 16, 32, 64)] +
               [{"threads": 512, "vec": 4, "splits": 32}, {"threads": 1024, "vec": 4, "splits": 16}]),
    # The LLM decode GEMM (memory-bound: 32 MB of f16 weights): tiles x
    # K splits (one kernel; the last block of each tile sums the splits).
    "decode": ([(16, 4096), (4096, 4096)],
               "axon.matmul %a0, %a1 {attr} : tensor<16x4096xf16>, tensor<4096x4096xf16>",
               (16, 4096),
               [{"bm": 64, "bn": 64, "stages": 8}, {"bm": 64, "bn": 64, "stages": 8, "splitk": 2},
                {"bm": 64, "bn": 64, "stages": 4, "splitk": 4},
                {"bm": 64, "bn": 128, "stages": 8, "splitk": 4},
                {"bm": 64, "bn": 128, "stages": 4, "splitk": 4},
                {"bm": 64, "bn": 128, "stages": 4, "splitk": 8},
                {"bm": 64, "bn": 256, "stages": 4, "splitk": 8}], "f16"),
    # f16 flash attention: warpgroups per block x K/V ring depth.
    "attention": ([(128, 1024, 64)] * 3,
                  "axon.attention %a0, %a1, %a2 {attr} : tensor<128x1024x64xf16>, "
                  "tensor<128x1024x64xf16>, tensor<128x1024x64xf16>", (128, 1024, 64),
                  [{"bq": q, "bkv": 64, "stages": st} for q in (64, 128) for st in (2, 3)], "f16"),
    "attention_causal": ([(32, 4096, 128)] * 3,
                         "axon.attention %a0, %a1, %a2 causal {attr} : tensor<32x4096x128xf16>, "
                         "tensor<32x4096x128xf16>, tensor<32x4096x128xf16>", (32, 4096, 128),
                         [{"bq": q, "bkv": 64, "stages": st} for q in (64, 128) for st in (2, 3)],
                         "f16"),
}

if __name__ == "__main__":
    only = sys.argv[1].split(",") if len(sys.argv) > 1 else list(SWEEPS)
    for name in only:
        args, body, result, configs, *element = SWEEPS[name]
        for config in configs:
            time_variant(name, args, body, result, config, *element)
