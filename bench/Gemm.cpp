// GEMM rows: C = A·B (row-major, no transposes) compiled by nncc against cblas_sgemm of LibTorch's BLAS.
#include "bench/Benchmarks.h"

#include "bench/Blas.h"
#include "bench/Harness.h"
#include "compiler/Driver/Jit.h"
#include "runtime/Parallel.h"
#include "frontend/nn.h"

#include <cstdio>
#include <random>

namespace nncc::bench {

namespace {

/// forward(a) = a · weight, weight [K, N]: a bare GEMM as nncc compiles it.
class Matmul : public nn::Module {
public:
  Matmul(int64_t k, int64_t n) : Module("Matmul") {
    register_parameter("weight", Tensor::empty({k, n}));
  }
  SymTensor forward(const SymTensor &a) override { return F::matmul(a, param("weight")); }
};

/// One shape ready to time: A, B and a C for each system.
struct GemmCase {
  int64_t m, n, k;
  std::vector<float> a, b, c;
  std::unique_ptr<CompiledModel> compiled;
};

/// GFLOP per call (2MNK) as a rate over the wall time: GFLOP/s.
benchmark::Counter gflops(const GemmCase &g) {
  return benchmark::Counter(2e-9 * static_cast<double>(g.m * g.n * g.k),
                            benchmark::Counter::kIsIterationInvariantRate);
}

rt::Status nnccGemm(GemmCase &g) {
  const void *inputs[] = {g.a.data()};
  float *outputs[] = {g.c.data()};
  return g.compiled->runtime().forward(inputs, outputs);
}

void blasGemm(GemmCase &g) {
  loadedBlas().sgemm(kCblasRowMajor, kCblasNoTrans, kCblasNoTrans, g.m, g.n, g.k, 1.0f,
                     g.a.data(), g.k, g.b.data(), g.n, 0.0f, g.c.data(), g.n);
}

/// Through the raw rt::Model call, which allocates nothing.
void runNncc(benchmark::State &state, GemmCase *g) {
  rt::set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    if (rt::Status s = nnccGemm(*g); !s.ok()) {
      state.SkipWithError(s.message().c_str());
      break;
    }
    benchmark::ClobberMemory();
  }
  state.counters["gflops"] = gflops(*g);
}

void runOpenBlas(benchmark::State &state, GemmCase *g) {
  // OpenBLAS's OpenMP build also sets the OpenMP thread count here, which LibTorch's rows set
  // again for themselves.
  loadedBlas().setThreads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    blasGemm(*g);
    benchmark::ClobberMemory();
  }
  state.counters["gflops"] = gflops(*g);
}

} // namespace

Fixtures setUpGemm(bool &ok) {
  // Square, then the MLP's layers as GEMMs (64x512x784 is mlp_b64's first layer).
  const int64_t shapes[][3] = {{64, 64, 64},    {256, 256, 256},  {512, 512, 512},
                               {1024, 1024, 1024}, {64, 512, 784}, {64, 512, 512},
                               {1, 512, 784}};
  auto cases = std::make_shared<std::vector<std::unique_ptr<GemmCase>>>();
  for (const auto &[m, n, k] : shapes) {
    auto g = std::make_unique<GemmCase>(GemmCase{m, n, k, {}, {}, {}, nullptr});
    std::mt19937 rng(1234);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    g->a.resize(m * k);
    g->b.resize(k * n);
    for (std::vector<float> *v : {&g->a, &g->b})
      for (float &x : *v)
        x = normal(rng);
    auto model = std::make_shared<Matmul>(k, n);
    model->param("weight").copy_(Tensor::fromVector({k, n}, g->b));
    g->compiled = compile(*model, {{"a", {m, k}}});

    std::string shape = std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
    g->c.resize(m * n);
    blasGemm(*g);
    std::vector<float> ref = g->c;
    if (rt::Status s = nnccGemm(*g); !s.ok()) {
      std::printf("gemm %s: nncc forward: %s\n", shape.c_str(), s.message().c_str());
      ok = false;
      continue;
    }
    ok = checkClose("gemm " + shape, g->c.data(), ref.data(), ref.size()) && ok;

    configure(benchmark::RegisterBenchmark(("gemm/" + shape + "/nncc").c_str(), runNncc, g.get()),
              kNnccThreads);
    if (loadedBlas().isOpenBlas())
      configure(benchmark::RegisterBenchmark(("gemm/" + shape + "/openblas").c_str(), runOpenBlas,
                                             g.get()),
                kPeerThreads);
    cases->push_back(std::move(g));
  }
  if (!loadedBlas().isOpenBlas())
    std::printf("gemm: LibTorch's BLAS is not OpenBLAS: no openblas rows (checked against it)\n");
  return cases;
}

} // namespace nncc::bench
