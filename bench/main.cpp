// nncc_bench: nncc's compiled code side by side with LibTorch and OpenBLAS on CPU, in one process.
//
// Rows are "<workload>/<system>/threads:<n>" (Benchmarks.h lists them). Every row is Google
// Benchmark wall time, 5 repetitions of at least 0.3 s, aggregates only; bench/peers/report.py
// takes the medians. Before anything is timed, every workload's nncc result is checked against
// its reference (LibTorch, or the BLAS for GEMMs), every diff is printed, and a mismatch exits 1.
// Setting up also writes the peers' data directory (Data.h).
//
// Each row sets its system's thread count: nncc's runtime pool (rt::set_num_threads), LibTorch's
// intra-op threads (torch::set_num_threads; its inter-op pool is 1 thread, set once, since one
// call has no inter-op parallelism), or OpenBLAS's. LibTorch's float matmuls go to libblas.so.3:
// bench/run.sh makes that OpenBLAS unless told otherwise, and the program prints which one it
// loaded.
//
// Usage: nncc_bench [--data-dir=DIR] [Google Benchmark flags]. DIR defaults to the build
// directory's bench-data/. Not a test: built only with -DNNCC_BUILD_BENCH=ON, never run by CI.
#include "bench/Benchmarks.h"
#include "bench/Blas.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {

/// Removes --data-dir=DIR from argv (Google Benchmark rejects flags it does
/// not know) and returns DIR, or the default.
std::string takeDataDir(int &argc, char **argv) {
  std::string dir = NNCC_BENCH_DATA_DIR;
  const char flag[] = "--data-dir=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, sizeof flag - 1) == 0)
      dir = argv[i] + sizeof flag - 1;
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  return dir;
}

/// LibTorch's version, parallel backend and build-time BLAS, and the BLAS it actually loaded.
void printEnvironment() {
  std::printf("LibTorch %s; %s", TORCH_VERSION, at::get_parallel_info().c_str());
  std::string config = at::show_config();
  for (const char *key : {"CPU capability", "BLAS_INFO="}) {
    size_t pos = config.find(key);
    if (pos != std::string::npos) {
      size_t end = config.find_first_of(",\n", pos);
      std::printf("LibTorch %s\n", config.substr(pos, end - pos).c_str());
    }
  }
  const nncc::bench::Blas &blas = nncc::bench::loadedBlas();
  std::printf("BLAS LibTorch loaded (libblas.so.3): %s%s%s\n", blas.path.c_str(),
              blas.isOpenBlas() ? "; OpenBLAS " : " (not OpenBLAS)", blas.openblasConfig.c_str());
}

} // namespace

int main(int argc, char **argv) {
  // Setting up takes a while (a compile per workload): show its progress through a pipe too.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string dataDir = takeDataDir(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 2;
  at::set_num_interop_threads(1);
  torch::set_num_threads(1);
  printEnvironment();
  bool ok = true;
  std::vector<nncc::bench::Fixtures> fixtures;
  try {
    fixtures.push_back(nncc::bench::setUpForward(dataDir, ok));
    fixtures.push_back(nncc::bench::setUpTrainStep(dataDir, ok));
    fixtures.push_back(nncc::bench::setUpGemm(ok));
  } catch (const std::exception &e) {
    std::printf("setup failed: %s\n", e.what());
    return 1;
  }
  if (!ok) {
    std::printf("check FAILED: nncc and its reference disagree, nothing timed\n");
    return 1;
  }
  std::printf("all checks passed; peers' data in %s\n", dataDir.c_str());
  nncc::bench::registerFmaPeak();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
