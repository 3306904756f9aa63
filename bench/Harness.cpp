// What every benchmark in bench/ shares: the thread counts, the timing settings and the output check.
#include "bench/Harness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nncc::bench {

benchmark::internal::Benchmark *configure(benchmark::internal::Benchmark *b,
                                          const std::vector<int> &threads) {
  b->ArgName("threads")->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(0.3)
      ->Repetitions(5)->ReportAggregatesOnly(true);
  for (int t : threads)
    b->Arg(t);
  return b;
}

bool checkClose(const std::string &what, const float *got, const float *ref, size_t n) {
  double diff = 0, scale = 1;
  bool nan = false; // std::max would drop a NaN, which must fail the check
  for (size_t i = 0; i < n; ++i) {
    double d = std::fabs(static_cast<double>(got[i]) - ref[i]);
    nan = nan || std::isnan(d);
    diff = std::max(diff, d);
    scale = std::max(scale, std::fabs(static_cast<double>(ref[i])));
  }
  if (nan)
    diff = NAN;
  bool ok = diff <= 1e-4 * scale;
  std::printf("check %-44s max abs diff %.3g (tolerance %.3g) %s\n", what.c_str(), diff,
              1e-4 * scale, ok ? "ok" : "MISMATCH");
  return ok;
}

} // namespace nncc::bench
