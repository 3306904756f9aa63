// fma_peak: this core's measured fp32 FMA throughput, the yardstick for the GEMM rows' GFLOP/s.
//
// Twelve independent chains of 256-bit FMAs: enough in flight to cover the FMA latency on two
// pipes (4 cycles x 2 on Zen 4 needs 8), with registers to spare. On Zen 4, 512-bit FMAs run
// double-pumped at the same FLOP rate, so this AVX2 peak is the core's peak there; a core with two
// full 512-bit FMA units would peak at twice this.
#include "bench/Benchmarks.h"

#include "bench/Harness.h"

#include <immintrin.h>

namespace nncc::bench {

namespace {

constexpr int kChains = 12;
/// Loop trips per call: 12 chains x 8 lanes x 2 FLOP each, about 0.2 GFLOP.
constexpr int64_t kTrips = 1 << 20;

/// Runs the chains acc = acc * a + b for kTrips and returns a value that
/// depends on every FMA. Not inlined, and `a` and `b` come from the caller
/// unseen, so that the compiler cannot fold the chains into constants.
__attribute__((target("avx2,fma"), noinline)) float fmaChains(float a, float b) {
  __m256 acc[kChains];
  for (int j = 0; j < kChains; ++j)
    acc[j] = _mm256_set1_ps(0.001f * j);
  const __m256 va = _mm256_set1_ps(a), vb = _mm256_set1_ps(b);
  for (int64_t i = 0; i < kTrips; ++i)
    for (int j = 0; j < kChains; ++j)
      acc[j] = _mm256_fmadd_ps(acc[j], va, vb);
  __m256 sum = acc[0];
  for (int j = 1; j < kChains; ++j)
    sum = _mm256_add_ps(sum, acc[j]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  return lanes[0] + lanes[7];
}

void runFmaPeak(benchmark::State &state) {
  float a = 0.999999f, b = 1e-7f;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    benchmark::DoNotOptimize(fmaChains(a, b));
  }
  state.counters["gflops"] = benchmark::Counter(2e-9 * 8 * kChains * kTrips,
                                                benchmark::Counter::kIsIterationInvariantRate);
}

} // namespace

void registerFmaPeak() { configure(benchmark::RegisterBenchmark("fma_peak", runFmaPeak), {1}); }

} // namespace nncc::bench
