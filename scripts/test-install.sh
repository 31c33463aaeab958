#!/usr/bin/env bash
# Installs Axon into a scratch prefix, then builds and runs a tiny compiler
# that finds it with find_package(Axon).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -G Ninja -S "$root/test/Install/consumer" -B "$work/consumer" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
out=$("$work/consumer/axon-consumer")
echo "$out"
if [ "$out" != "axon.add infers tensor<8x4xf32>" ]; then
  echo "test-install: FAIL: unexpected output" >&2
  exit 1
fi
echo "test-install: PASS"
