#!/usr/bin/env bash
# Builds Axon with AddressSanitizer + UndefinedBehaviorSanitizer and the
# libFuzzer targets (clang-22, in $AXON_SANITIZE_BUILD_DIR, default
# build-sanitize/), then runs the lit and unit suites with the instrumented
# tools. JIT-compiled programs and LLVM/MLIR themselves are not instrumented.
# --build-only stops after the build (scripts/fuzz.sh uses it).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_SANITIZE_BUILD_DIR:-$root/build-sanitize}

# -O1 with line tables: what ASan needs for useful reports, at half the
# compile time of -O2 -g.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
mkdir -p "$build"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root" -B "$build" \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit "${launcher[@]}" \
    -DAXON_SANITIZE=address,undefined -DAXON_BUILD_FUZZERS=ON \
    -DAXON_BUILD_PLUGIN=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" > "$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; exit 1; }
fi
cmake --build "$build" || exit 1
[ "${1:-}" = "--build-only" ] && exit 0

# Leaks: MLIR's and LLVM's global state is never freed, and a failed
# run-time check abandons the program's buffers by design.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:detect_odr_violation=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
/usr/lib/llvm-22/bin/lit -sv "$build/test" || status=1
"$build/bin/AxonUnitTests" --gtest_brief=1 || status=1
echo "sanitize: $([ $status = 0 ] && echo clean || echo FAILED) (address,undefined)"
exit $status
