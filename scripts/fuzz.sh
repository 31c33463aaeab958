#!/usr/bin/env bash
# Runs one libFuzzer target for a while:  scripts/fuzz.sh NAME SECONDS
#   NAME: mlir (parser, verifiers, axon-fuse, canonicalize, lowering),
#         onnx (the importer: binary and text models),
#         tensor-files (.npy and onnx.TensorProto readers).
# Builds the sanitized tree first (scripts/sanitize.sh --build-only). The
# corpus starts from the project's tests (and the ONNX node tests when
# libonnx-testdata is installed) plus the committed test/Fuzz/NAME/ inputs;
# crashes are written to $build/fuzz-artifacts/NAME/ and make this fail.
# Prints "fuzz NAME: N executions in S s".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_SANITIZE_BUILD_DIR:-$root/build-sanitize}
name=${1:?usage: fuzz.sh mlir|onnx|tensor-files SECONDS}
seconds=${2:-60}
onnx_data=/usr/share/libonnx-testdata/data/node

mkdir -p "$build"
bash "$root/scripts/sanitize.sh" --build-only > "$build/fuzz-build.log" 2>&1 ||
  { tail -30 "$build/fuzz-build.log"; exit 1; }
fuzzer=$build/bin/axon-fuzz-$name
[ -x "$fuzzer" ] || { echo "fuzz: no fuzzer '$name'"; exit 1; }

corpus=$build/fuzz-corpus/$name
artifacts=$build/fuzz-artifacts/$name
mkdir -p "$corpus" "$artifacts" "$root/test/Fuzz/$name"
if [ -z "$(ls -A "$corpus")" ]; then
  case $name in
    mlir)
      find "$root/test" -name '*.mlir' -size -64k -exec cp -t "$corpus" --backup=numbered {} + ;;
    onnx)
      find "$root/test" \( -name '*.onnx' -o -name '*.onnxtxt' \) -size -256k \
        -exec cp -t "$corpus" --backup=numbered {} +
      [ -d "$onnx_data" ] && for m in "$onnx_data"/*/model.onnx; do
        cp "$m" "$corpus/$(basename "$(dirname "$m")").onnx"; done ;;
    tensor-files)
      # The first byte picks the reader: 0 = .npy, 1 = TensorProto.
      i=0
      while read -r f; do printf '\x00' | cat - "$f" > "$corpus/npy$((i++))"; done \
        < <(find "$root/test" -name '*.npy' -size -64k | head -400)
      [ -d "$onnx_data" ] && while read -r f; do printf '\x01' | cat - "$f" > "$corpus/pb$((i++))"; done \
        < <(find "$onnx_data" -name '*.pb' -size -64k | head -400) ;;
  esac
fi

export ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
log=$build/fuzz-$name.log
dict=()
[ -f "$root/test/Fuzz/$name.dict" ] && dict=(-dict="$root/test/Fuzz/$name.dict")
"$fuzzer" "$corpus" "$root/test/Fuzz/$name" "${dict[@]}" \
  -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 > "$log" 2>&1
status=$?
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
echo "fuzz $name: ${runs:-0} executions in $seconds s$([ $status = 0 ] || echo ", FAILED (see $log and $artifacts)")"
[ $status = 0 ] || tail -40 "$log"
exit $status
