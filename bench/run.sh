#!/usr/bin/env bash
# Builds and runs the nncc-vs-LibTorch train-step benchmark (bench/nncc_vs_libtorch.cpp) in its
# own build directory, configured as scripts/build.sh configures nncc (Ninja, clang-19/lld via the
# top-level CMakeLists, MLIR 19) plus -DNNCC_BUILD_BENCH=ON. Installs libtorch-dev when missing.
# Not a test, and not for CI. Extra arguments go to the benchmark (Google Benchmark flags, e.g.
# --benchmark_out=bench.json --benchmark_out_format=json). Environment: NNCC_BENCH_BUILD_DIR
# (default build-bench), NNCC_BENCH_JOBS (default 2), NNCC_BENCH_OPENBLAS=1 (run LibTorch on
# OpenBLAS instead of the reference BLAS that Debian's libblas.so.3 is by default: the
# libopenblas0-openmp .deb is fetched with `apt-get download` and unpacked under the build
# directory, and put first on LD_LIBRARY_PATH for this run only; nothing is installed).
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

if [ "${NNCC_BENCH_OPENBLAS:-0}" = 1 ]; then
  blas="$build/openblas"
  if [ ! -e "$blas/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3" ]; then
    rm -rf "$blas" && mkdir -p "$blas"
    (cd "$blas" && apt-get download -q libopenblas0-openmp && dpkg-deb -x libopenblas0-openmp_*.deb .)
  fi
  export LD_LIBRARY_PATH="$blas/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "bench: LibTorch's BLAS: OpenBLAS (OpenMP) from $blas"
else
  echo "bench: LibTorch's BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3) (the system's libblas.so.3)"
fi

# The machine may be shared: say how loaded it was, since that moves the numbers.
echo "bench: $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
exec "$build/bench/nncc_vs_libtorch" "$@"
