#!/usr/bin/env bash
# The README's main job: install what Axon needs, build it, then compile and
# run the example model on the CPU with axon-run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
export AXON_BUILD_DIR=$build
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
echo "== axon-run test/Examples/mlp.mlir --random-inputs=1 --time --repeat=20"
"$build/bin/axon-run" "$root/test/Examples/mlp.mlir" --random-inputs=1 --time --repeat=20
