#!/usr/bin/env bash
# Prepares .device/ (git-ignored) for a run on the GPU machine, which has no
# LLVM: the CUDA runtime tests (no LLVM inside) and the PTX that axon-translate
# emits for test/Target/PTX/elementwise.mlir. On the device, in the repo root:
#   cd .device && AXON_TEST_PTX=$PWD/elementwise.ptx ./AxonCudaRuntimeTests
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
cmake --build "$build" --target AxonCudaRuntimeTests axon-translate
mkdir -p "$root/.device"
cp "$build/bin/AxonCudaRuntimeTests" "$root/.device/"
"$build/bin/axon-translate" --axon-to-ptx "$root/test/Target/PTX/elementwise.mlir" |
  sed '1d' > "$root/.device/elementwise.ptx"
echo "prepared $root/.device"
