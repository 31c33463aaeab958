#!/usr/bin/env bash
# Tuned configs against the heuristic's, in one run on the GPU machine (with
# the bundle's tools on PATH, as scripts/device/run-gpu-suite.sh sets up):
#   1. bench/run.py rows compiled with the heuristic's configs,
#   2. axon-tune on each row's program, all into one tuning cache,
#   3. the same rows compiled with that cache (axon-run --tuning-cache).
# Rows: AXON_TUNE_ROWS (default: the GEMM, conv and attention rows).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/axon-tune-bench}
rows=${AXON_TUNE_ROWS:-matmul_f16,llm_gemms,matmul_f32,attention_f16,conv_3x3_14,conv_1x1_56,conv_f16_3x3_56,conv_f16_3x3_14,conv_f16_1x1_56,conv_bf16_1x1_14}
programs="$out/programs"
rm -rf "$out" && mkdir -p "$programs"
export AXON_BENCH_PROGRAMS="$programs" PYTHONUNBUFFERED=1
python3 "$root/bench/run.py" --out "$out/heuristic" --only "$rows"
for program in "$programs"/*.mlir; do
  axon-tune "$program" --cache="$out/tuning-cache.json" --repeat=10 || echo "axon-tune failed on $program"
done
AXON_TUNING_CACHE="$out/tuning-cache.json" python3 "$root/bench/run.py" --out "$out/tuned" --only "$rows"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
load = lambda which: {r["workload"]: r for r in json.load(open(f"{out}/{which}/results.json"))["rows"]}
heuristic, tuned = load("heuristic"), load("tuned")
print("| workload | heuristic | tuned | speedup | peer ratio: heuristic -> tuned |")
print("|---|---|---|---|---|")
for name, h in heuristic.items():
    t = tuned.get(name)
    if not t or "error" in h or "error" in t:
        print(f"| {name} | failed | | | |")
        continue
    peer = next(iter(h["peers"]), None)
    ratios = (f"{h['peers'][peer]['ratio']:.2f} -> {t['peers'][peer]['ratio']:.2f} ({peer})"
              if peer else "")
    print(f"| {name} | {h['axon_ms']:.4f} ms {'ok' if h['axon_ok'] else 'WRONG'} | "
          f"{t['axon_ms']:.4f} ms {'ok' if t['axon_ok'] else 'WRONG'} | "
          f"{h['axon_ms'] / t['axon_ms']:.2f}x | {ratios} |")
PY
