#!/usr/bin/env bash
# Regenerates docs/generated/ from ODS (needs a configured build directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
cmake --build "$build" --target axon-doc
cp "$build/docs/Dialects/AxonOps.md" "$root/docs/generated/AxonOps.md"
echo "updated docs/generated/AxonOps.md"
