#!/usr/bin/env bash
# Sets up, builds everything and runs every test (GoogleTest suites, lit, end to end) via ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NNCC_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j2
