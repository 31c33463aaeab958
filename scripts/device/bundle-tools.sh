#!/usr/bin/env bash
# Builds the tools linked statically against MLIR/LLVM (AXON_LINK_MLIR_DYLIB=OFF,
# in build-static/) as one binary, axon-tools, and packs what the GPU machine
# needs into .device/axon-bundle.tar.xz (git-ignored; carry `.device`):
#   bin/   axon-tools with links axon-opt, axon-translate, axon-run, axon-tune;
#          FileCheck, not, count, split-file; AxonCudaRuntimeTests
#   lib/   the shared libraries those need that the device lacks (ONNX,
#          protobuf, z3)
#   lit/   LLVM's lit (pure Python)
#   cuda/nvvm/libdevice/  libdevice, so kernels calling math functions link
# The GPU machine has no LLVM; scripts/device/run-gpu-suite.sh unpacks this.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
static=${AXON_STATIC_BUILD_DIR:-$root/build-static}
# The static link needs libzstd.a (LLVM's static libraries reference zstd) and
# xz to pack; a fresh machine has neither.
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/install-deps.sh" --static-bundle
AXON_BUILD_DIR=$static bash "$root/scripts/build.sh" -DAXON_LINK_MLIR_DYLIB=OFF \
  -DAXON_BUILD_PLUGIN=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$static" --target axon-tools
# The runtime tests have no LLVM inside; the default build's binary travels.
cmake --build "${AXON_BUILD_DIR:-$root/build}" --target AxonCudaRuntimeTests

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib" "$stage/cuda/nvvm/libdevice"
strip -o "$stage/bin/axon-tools" "$static/bin/axon-tools"
for tool in axon-opt axon-translate axon-run axon-tune; do ln -s axon-tools "$stage/bin/$tool"; done
cp "${AXON_BUILD_DIR:-$root/build}/bin/AxonCudaRuntimeTests" "$stage/bin/"
for tool in FileCheck not count split-file; do cp "/usr/lib/llvm-22/bin/$tool" "$stage/bin/"; done
cp -r /usr/lib/llvm-22/utils/lit/lit "$stage/lit"
find "$stage/lit" -name __pycache__ -prune -exec rm -rf {} +
for lib in libonnx.so.1 libonnx_proto.so.1 libprotobuf.so.32 libz3.so.4; do
  cp -L "/lib/x86_64-linux-gnu/$lib" "$stage/lib/"
done
# CPU thread blocks run on libomp (AxonRunner links it when it is installed).
if [ -e /usr/lib/llvm-22/lib/libomp.so.5 ]; then
  cp -L /usr/lib/llvm-22/lib/libomp.so.5 "$stage/lib/"
fi
cp /usr/local/cuda/nvvm/libdevice/libdevice.10.bc "$stage/cuda/nvvm/libdevice/"
mkdir -p "$root/.device"
tar -C "$stage" -cf - . | xz -T0 -6 > "$root/.device/axon-bundle.tar.xz"
ls -la "$root/.device/axon-bundle.tar.xz"
