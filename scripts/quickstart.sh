#!/usr/bin/env bash
# The README's main job: install what Axon needs, build it, and run an axon-opt
# pipeline over the example model.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
export AXON_BUILD_DIR=$build
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
echo "== axon-opt -canonicalize -cse test/Examples/mlp.mlir"
"$build/bin/axon-opt" "$root/test/Examples/mlp.mlir" -canonicalize -cse
