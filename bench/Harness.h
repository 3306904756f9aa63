// What every benchmark in bench/ shares: the thread counts, the timing settings and the output check.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <vector>

namespace nncc::bench {

/// Thread counts each system is registered at. nncc's rows set its runtime
/// thread pool (rt::set_num_threads) to theirs.
inline const std::vector<int> kNnccThreads{1, 2};
/// LibTorch's intra-op threads (torch::set_num_threads) and OpenBLAS's.
inline const std::vector<int> kPeerThreads{1, 2};

/// Gives `b` the settings of every row (one Arg per thread count, named
/// "threads", so rows read "<name>/threads:<n>"; wall time, 5 repetitions of
/// at least 0.3 s, aggregates only) and returns it.
benchmark::internal::Benchmark *configure(benchmark::internal::Benchmark *b,
                                          const std::vector<int> &threads);

/// Prints the max abs difference of `n` values of `got` against `ref` and
/// whether it is within 1e-4 * max(1, max|ref|); returns that.
bool checkClose(const std::string &what, const float *got, const float *ref, size_t n);

} // namespace nncc::bench
