#!/usr/bin/env bash
# Runs Nsight Compute on the memory-bound benchmark kernels (GPU machine,
# bundle tools on PATH): each kernel's duration as ncu measures it (no host
# launch latency inside) and its DRAM throughput, to compare with the
# CUDA-event times `axon-run --time` reports. Usage: bench/ncu-kernels.sh OUTDIR
set -uo pipefail
out=${1:-/tmp/axon-ncu}
mkdir -p "$out"
write() { printf '%s\n' "$2" > "$out/$1.mlir"; }
write elementwise 'func.func @main(%x: tensor<67108864xf32>) -> tensor<67108864xf32> {
  %a = axon.constant dense<1.5> : tensor<f32>
  %b = axon.constant dense<0.25> : tensor<f32>
  %0 = axon.mul %x, %a : tensor<67108864xf32>, tensor<f32>
  %1 = axon.add %0, %b : tensor<67108864xf32>, tensor<f32>
  %2 = axon.relu %1 : tensor<67108864xf32>
  return %2 : tensor<67108864xf32>
}'
write layer_norm 'func.func @main(%x: tensor<8192x8192xf32>, %g: tensor<8192xf32>, %b: tensor<8192xf32>) -> tensor<8192x8192xf32> {
  %0 = axon.layer_norm %x scale(%g : tensor<8192xf32>) bias(%b : tensor<8192xf32>) axes = [1] : tensor<8192x8192xf32>
  return %0 : tensor<8192x8192xf32>
}'
write head_split 'func.func @main(%x: tensor<8x512x12x64xf32>) -> tensor<8x12x512x64xf32> {
  %0 = axon.transpose %x perm = [0, 2, 1, 3] : tensor<8x512x12x64xf32>
  return %0 : tensor<8x12x512x64xf32>
}'
write column_sum 'func.func @main(%x: tensor<8192x8192xf32>) -> tensor<8192xf32> {
  %0 = axon.reduce_sum %x axes = [0] : tensor<8192x8192xf32>
  return %0 : tensor<8192xf32>
}'
metrics=gpu__time_duration.sum,dram__throughput.avg.pct_of_peak_sustained_elapsed,dram__bytes.sum
for name in elementwise layer_norm head_split column_sum; do
  echo "== $name: axon-run --time (CUDA events)"
  axon-run "$out/$name.mlir" --target=cuda --random-inputs=1 --quiet --time --repeat=5 | grep "^kernel"
  echo "== $name: ncu"
  ncu --clock-control none --metrics "$metrics" axon-run "$out/$name.mlir" --target=cuda \
    --random-inputs=1 --quiet --repeat=3 2>&1 | grep -E "main_k|gpu__time|dram__" | tail -8
done
