#!/usr/bin/env bash
# Configures (once) and builds Axon in $AXON_BUILD_DIR (default: build/).
# Extra arguments go to the first CMake configure, e.g. -DAXON_LINK_MLIR_DYLIB=OFF.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit "${launcher[@]}" "$@"
fi
cmake --build "$build"
