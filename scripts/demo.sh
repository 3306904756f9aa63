#!/usr/bin/env bash
# Sets up, builds the example MLP (recorded in C++, compiled by nncc at build time, embedded in
# mlp_demo) and runs it: its output, then the fusion summary nncc wrote into its header.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NNCC_BUILD_DIR:-$root/build}
"$root/scripts/build.sh" --target mlp_demo
"$build/examples/mlp/mlp_demo"
