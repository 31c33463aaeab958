#!/usr/bin/env bash
# Runs ON the GPU machine, from the repository root (the device tool's working
# tree), with .device/axon-bundle.tar.xz from scripts/device/bundle-tools.sh:
#   1. the CUDA runtime unit tests (AxonCudaRuntimeTests),
#   2. the CUDA lit suite (test/Integration/CUDA, REQUIRES: cuda),
#   3. the cross-check: every CPU integration test (numpy references) rerun
#      with --target=cuda (lit --param axon-target=cuda),
#   4. the benchmarks (bench/run.py) unless AXON_SKIP_BENCH=1
#      (AXON_BENCH_ONLY=a,b picks rows; AXON_SKIP_SUITE=1 skips 1-3;
#      AXON_SUITE_FILTER=regex runs only the matching lit tests in 2 and 3;
#      AXON_COMPILE_BENCH=1 adds bench/compile.py, AXON_TUNE_BENCH=1
#      bench/tune.sh: tuned configs against the heuristic's).
# Logs and results go to $OUT (default /tmp/axon-gpu-out); a summary is printed last.
set -uo pipefail
root=$(pwd)
out=${OUT:-/tmp/axon-gpu-out}
mkdir -p "$out"
tools=/tmp/axon-tools
rm -rf "$tools" && mkdir -p "$tools"
xz -dc "$root/.device/axon-bundle.tar.xz" | tar -C "$tools" -xf - || exit 1
export PATH="$tools/bin:$PATH" LD_LIBRARY_PATH="$tools/lib:${LD_LIBRARY_PATH:-}"
export CUDA_HOME="$tools/cuda" PYTHONPATH="$tools:${PYTHONPATH:-}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/device.txt"

# A lit site configuration for this machine: the bundle's tools, this tree.
obj=/tmp/axon-obj
mkdir -p "$obj/test/Integration/CUDA" "$obj/test/Integration/CPU"
cat > "$obj/test/lit.site.cfg.py" <<CFG
config.llvm_tools_dir = "$tools/bin"
config.mlir_obj_dir = ""
config.axon_src_root = "$root"
config.axon_obj_root = "$obj"
config.axon_tools_dir = "$tools/bin"
config.axon_lib_dir = "$tools/lib"
config.axon_plugin_built = False
config.axon_onnx = True
import lit.llvm
lit.llvm.initialize(lit_config, config)
lit_config.load_config(config, "$root/test/lit.cfg.py")
CFG
lit() {
  python3 -c 'import sys; from lit.main import main; sys.argv[0] = "lit"; main()' \
    ${AXON_SUITE_FILTER:+--filter "$AXON_SUITE_FILTER"} "$@"
}

status=0
if [ "${AXON_SKIP_SUITE:-0}" != 1 ]; then
"$tools/bin/AxonCudaRuntimeTests" > "$out/runtime-tests.log" 2>&1 || status=1
tail -3 "$out/runtime-tests.log"
lit -v "$obj/test/Integration/CUDA" > "$out/cuda-suite.log" 2>&1 || status=1
grep -E "^(PASS|FAIL|UNSUPPORTED|XFAIL|UNRESOLVED)|Passed|Failed" "$out/cuda-suite.log" | tail -20
lit -v --param axon-target=cuda "$obj/test/Integration/CPU" \
  "$obj/test/Tools/axon-run/runtime-shape-checks.test" > "$out/crosscheck.log" 2>&1 || status=1
grep -E "^(FAIL|UNRESOLVED)|Passed|Failed|Unsupported" "$out/crosscheck.log" | tail -40
fi
# AXON_COMPILE_BENCH=1: whole-model compile, cached load and first calls
# (bench/compile.py; AXON_COMPILE_ONLY=a,b picks models).
if [ "${AXON_COMPILE_BENCH:-0}" = 1 ]; then
  PYTHONUNBUFFERED=1 python3 "$root/bench/compile.py" --out "$out" \
    --only "${AXON_COMPILE_ONLY:-}" 2>&1 | tee "$out/compile-bench.log" || status=1
fi
# AXON_TUNE_BENCH=1: rows with the heuristic's configs, axon-tune on their
# programs, the rows again with the tuning cache (AXON_TUNE_ROWS=a,b).
if [ "${AXON_TUNE_BENCH:-0}" = 1 ]; then
  bash "$root/bench/tune.sh" "$out/tune" 2>&1 | tee "$out/tune-bench.log" || status=1
fi
# AXON_SANITIZE=1: the CUDA suite under compute-sanitizer (memcheck, racecheck).
if [ "${AXON_SANITIZE:-0}" = 1 ]; then
  for tool in memcheck racecheck; do
    # One test at a time: several sanitized processes sharing the GPU gave
    # wrong results for wgmma kernels under racecheck (no hazard reported;
    # each of them alone, and 60 plain runs, were correct).
    lit -v -j 1 --param "axon-run-under=$root/scripts/device/sanitize-axon-run.sh $tool" \
      "$obj/test/Integration/CUDA" > "$out/sanitize-$tool.log" 2>&1 || status=1
    echo "compute-sanitizer $tool:"
    grep -E "^(FAIL|UNRESOLVED)|Passed|Failed|ERROR SUMMARY|Target application" "$out/sanitize-$tool.log" | sort | uniq -c | tail -12
  done
fi
if [ "${AXON_SKIP_BENCH:-0}" != 1 ]; then
  PYTHONUNBUFFERED=1 python3 "$root/bench/run.py" --out "$out" --only "${AXON_BENCH_ONLY:-}" 2>&1 | tee "$out/bench.log" || status=1
fi
exit $status
