#!/usr/bin/env bash
# Builds and runs the nncc-vs-LibTorch train-step benchmark (bench/nncc_vs_libtorch.cpp) in its
# own build directory, configured as scripts/build.sh configures nncc (Ninja, clang-19/lld via the
# top-level CMakeLists, MLIR 19) plus -DNNCC_BUILD_BENCH=ON. Installs libtorch-dev when missing.
# Not a test, and not for CI. Extra arguments go to the benchmark (Google Benchmark flags, e.g.
# --benchmark_out=bench.json --benchmark_out_format=json). Environment: NNCC_BENCH_BUILD_DIR
# (default build-bench), NNCC_BENCH_JOBS (default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NNCC_BENCH_BUILD_DIR:-$root/build-bench}

"$root/scripts/setup.sh"
if ! dpkg-query -W -f='${Status}' libtorch-dev 2>/dev/null | grep -q "install ok installed"; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bench: installing libtorch-dev"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libtorch-dev
fi

cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
  -DNNCC_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target nncc_vs_libtorch -j "${NNCC_BENCH_JOBS:-2}"

# The machine may be shared: say how loaded it was, since that moves the numbers.
echo "bench: $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
exec "$build/bench/nncc_vs_libtorch" "$@"
