#!/usr/bin/env bash
# Installs every Debian package Axon needs to build and test. Idempotent:
# when everything is present it changes nothing. Needs root (uses sudo if not).
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache git python3 file xz-utils
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libgtest-dev libonnx-dev libonnx-testdata libprotobuf-dev
  clang-22 libclang-rt-22-dev libomp-22-dev
)
# --static-bundle: what scripts/device/bundle-tools.sh needs on top (LLVM's
# static libraries reference zstd).
if [ "${1:-}" = "--static-bundle" ]; then
  packages=(libzstd-dev xz-utils binutils)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
