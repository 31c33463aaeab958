#!/usr/bin/env bash
# Usage: sanitize-axon-run.sh TOOL AXON-RUN ARGS...
# Runs a GPU axon-run under `compute-sanitizer --tool TOOL` (error exit 99);
# a --target=cpu run makes no CUDA call, which the sanitizer reports as a
# failure, so it runs plain. lit uses it through --param axon-run-under.
tool=$1
exe=$2
shift 2
for arg in "$@"; do
  [ "$arg" = --target=cpu ] && exec "$exe" "$@"
done
exec compute-sanitizer --tool "$tool" --error-exitcode 99 "$exe" "$@"
