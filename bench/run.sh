#!/usr/bin/env bash
# The side-by-side CPU benchmark, end to end: builds and runs nncc_bench (nncc vs LibTorch and
# OpenBLAS, bench/main.cpp), then the Python peers on the data it wrote (bench/peers/), then merges
# both into one table. Not a test, and not for CI.
#
# The build directory (NNCC_BENCH_BUILD_DIR, default build-bench) is configured as
# scripts/build.sh configures nncc (Ninja, clang-19/lld via the top-level CMakeLists, MLIR 19)
# plus -DNNCC_BUILD_BENCH=ON; libtorch-dev is installed when missing. It ends up holding
# nncc.json (Google Benchmark's JSON), bench-data/ (the peers' inputs), peers.json, and the merged
# results.md and results.json.
#
# Extra arguments go to each nncc_bench run (Google Benchmark flags, e.g. --benchmark_min_time=1s);
# a --benchmark_filter there replaces the per-system filter of every run.
# Environment:
#   NNCC_BENCH_OPENBLAS=0  run LibTorch on the system's libblas.so.3 (Debian's default: the
#                          reference BLAS) instead of OpenBLAS. By default the libopenblas0-openmp
#                          .deb is fetched with `apt-get download`, unpacked under the build
#                          directory and put first on LD_LIBRARY_PATH for nncc_bench only;
#                          nothing is installed.
#   NNCC_BENCH_PEERS=0     skip the Python peers (no venv, no download); the table then has the
#                          C++ rows only.
#   NNCC_BENCH_JOBS        build jobs (default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NNCC_BENCH_BUILD_DIR:-$root/build-bench}
data=$build/bench-data

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
cmake --build "$build" --target nncc_bench -j "${NNCC_BENCH_JOBS:-2}"

blas_path=${LD_LIBRARY_PATH:-}
if [ "${NNCC_BENCH_OPENBLAS:-1}" != 0 ]; then
  blas="$build/openblas"
  lib="$blas/usr/lib/x86_64-linux-gnu/openblas-openmp"
  if [ ! -e "$lib/libblas.so.3" ]; then
    rm -rf "$blas" && mkdir -p "$blas"
    (cd "$blas" && apt-get download -q libopenblas0-openmp && dpkg-deb -x libopenblas0-openmp_*.deb .)
  fi
  blas_path="$lib${blas_path:+:$blas_path}"
fi

# The machine may be shared: say how loaded it was, since that moves the numbers (2-thread rows
# most of all).
echo "bench: $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
rm -rf "$data" "$build/nncc.json" "$build/peers.json"
# One process per system: an OpenMP runtime's idle threads keep spinning after LibTorch's or
# OpenBLAS's last parallel region, and would take a core from the next rows (nncc's 2-thread
# train step measured 4.2 ms after LibTorch rows in the same process, 1.9 ms on its own).
parts=()
for system in nncc libtorch openblas; do
  filter="/$system/"
  [ "$system" = nncc ] && filter="/nncc/|^fma_peak"
  LD_LIBRARY_PATH="$blas_path" "$build/bench/nncc_bench" --data-dir="$data" \
    --benchmark_filter="$filter" --benchmark_out="$build/nncc.$system.json" \
    --benchmark_out_format=json "$@"
  parts+=("$build/nncc.$system.json")
done
python3 - "$build/nncc.json" "${parts[@]}" <<'MERGE'
import json, sys
merged = json.load(open(sys.argv[2]))
for part in sys.argv[3:]:
    merged["benchmarks"] += json.load(open(part))["benchmarks"]
json.dump(merged, open(sys.argv[1], "w"), indent=1)
MERGE
echo "bench: done at $(date -u +%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"

peers=()
if [ "${NNCC_BENCH_PEERS:-1}" != 0 ]; then
  NNCC_BENCH_VENV="$build/venv" "$root/bench/peers/setup.sh"
  # The same time per repetition as the C++ rows (5 repetitions of at least 0.3 s).
  "$build/venv/bin/python" "$root/bench/peers/run_peers.py" --data "$data" \
    --out "$build/peers.json" --threads 1,2 --min-time 0.3
  peers=(--peers "$build/peers.json")
fi
echo
python3 "$root/bench/peers/report.py" --gbench "$build/nncc.json" "${peers[@]}" \
  --markdown "$build/results.md" --json "$build/results.json"
