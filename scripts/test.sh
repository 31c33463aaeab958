#!/usr/bin/env bash
# Sets up, builds and runs every test: lit (check-axon), GoogleTest, and the
# installed-package consumer. Prints one closing line "tests: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AXON_BUILD_DIR:-$root/build}
export AXON_BUILD_DIR=$build

bash "$root/scripts/install-deps.sh" || exit 1
bash "$root/scripts/build.sh" || exit 1
cmake --build "$build" --target axon-doc || exit 1

results=$build/test-results
rm -rf "$results" && mkdir -p "$results"
status=0
/usr/lib/llvm-22/bin/lit -sv "$build/test" --xunit-xml-output "$results/lit.xml" || status=1
"$build/bin/AxonUnitTests" --gtest_brief=1 --gtest_output="xml:$results/unit.xml" || status=1
# On machines without a GPU its device tests report themselves skipped.
"$build/bin/AxonCudaRuntimeTests" --gtest_brief=1 --gtest_output="xml:$results/cuda-runtime.xml" || status=1
if bash "$root/scripts/test-install.sh"; then
  echo '<testsuite name="install" tests="1" failures="0"><testcase name="consumer"/></testsuite>' > "$results/install.xml"
else
  echo '<testsuite name="install" tests="1" failures="1"><testcase name="consumer"><failure/></testcase></testsuite>' > "$results/install.xml"
  status=1
fi
# The ONNX backend node tests that passed before must still pass.
python3 "$root/scripts/onnx-conformance.py" --build "$build" --jobs 2 \
  --expected "$root/test/Frontend/ONNX/conformance-passing.txt" \
  --junit "$results/onnx.xml" --write-doc "$build/ONNXConformance.md" || status=1
python3 "$root/scripts/summarize-tests.py" "$results"/*.xml || status=1
exit $status
