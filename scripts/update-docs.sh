#!/usr/bin/env bash
# Regenerates docs/generated/ from ODS and Passes.td (needs a configured build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
cmake --build "$build" --target axon-doc
cp "$build/docs/Dialects/AxonOps.md" "$root/docs/generated/AxonOps.md"
cp "$build/docs/Passes/AxonConversionPasses.md" "$root/docs/generated/AxonConversionPasses.md"
cp "$build/docs/Passes/AxonTransformsPasses.md" "$root/docs/generated/AxonTransformsPasses.md"
echo "updated docs/generated/"
