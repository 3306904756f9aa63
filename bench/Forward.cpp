// The eval-mode forward workloads: nncc's compiled forward against LibTorch's eager one.
#include "bench/Benchmarks.h"

#include "bench/Data.h"
#include "bench/Harness.h"
#include "bench/Workloads.h"
#include "compiler/Driver/Jit.h"
#include "runtime/Parallel.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace nncc::bench {

namespace {

/// One workload ready to time: nncc's compiled model with its input and
/// output buffers, and LibTorch's view of the same input.
struct ForwardCase {
  ForwardWorkload w;
  std::unique_ptr<CompiledModel> compiled;
  std::vector<float> x, y;
  torch::Tensor tx;
};

rt::Status forward(ForwardCase &c) {
  const void *inputs[] = {c.x.data()};
  float *outputs[] = {c.y.data()};
  return c.compiled->runtime().forward(inputs, outputs);
}

/// Through the raw rt::Model call, which allocates nothing.
void runNncc(benchmark::State &state, ForwardCase *c) {
  rt::set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    if (rt::Status s = forward(*c); !s.ok()) {
      state.SkipWithError(s.message().c_str());
      break;
    }
    benchmark::ClobberMemory();
  }
}

void runLibTorch(benchmark::State &state, ForwardCase *c) {
  torch::set_num_threads(static_cast<int>(state.range(0)));
  torch::NoGradGuard noGrad;
  c->w.torchForward(c->tx); // warms the thread pool at this size
  for (auto _ : state) {
    torch::Tensor y = c->w.torchForward(c->tx);
    benchmark::DoNotOptimize(y.data_ptr<float>());
  }
}

} // namespace

Fixtures setUpForward(const std::string &dataDir, bool &ok) {
  auto cases = std::make_shared<std::vector<std::unique_ptr<ForwardCase>>>();
  for (ForwardWorkload &w : forwardWorkloads()) {
    auto c = std::make_unique<ForwardCase>();
    int64_t n = 1;
    for (int64_t d : w.input)
      n *= d;
    std::mt19937 rng(1234);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    c->x.resize(n);
    for (float &v : c->x)
      v = normal(rng);

    auto start = std::chrono::steady_clock::now();
    c->compiled = compile(*w.nnccModel, {{"x", w.input}});
    std::printf("%s: nncc compile %.2f s (excluded from timings)\n", w.name.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    const rt::TensorInfo &out = c->compiled->runtime().outputs().at(0);
    c->y.resize(out.numel());
    if (rt::Status s = forward(*c); !s.ok()) {
      std::printf("%s: nncc forward: %s\n", w.name.c_str(), s.message().c_str());
      ok = false;
      continue;
    }
    c->tx = torch::from_blob(c->x.data(), w.input, torch::kFloat32);
    torch::Tensor ref;
    {
      torch::NoGradGuard noGrad;
      ref = w.torchForward(c->tx).contiguous();
    }
    if (ref.sizes() != torch::IntArrayRef(out.shape)) {
      std::printf("check %s: nncc's output is %s, LibTorch's %s\n", w.name.c_str(),
                  shapeToString(out.shape).c_str(), shapeToString(ref.sizes().vec()).c_str());
      ok = false;
    } else {
      ok = checkClose(w.name + " output", c->y.data(), ref.data_ptr<float>(), c->y.size()) && ok;
    }
    writeForwardData(dataDir, w.name, w.nnccModel->state_dict(), w.input, c->x.data(), out.shape,
                     c->y.data());

    c->w = std::move(w);
    configure(benchmark::RegisterBenchmark((c->w.name + "/nncc").c_str(), runNncc, c.get()),
              kNnccThreads);
    configure(benchmark::RegisterBenchmark((c->w.name + "/libtorch").c_str(), runLibTorch, c.get()),
              kPeerThreads);
    cases->push_back(std::move(c));
  }
  return cases;
}

} // namespace nncc::bench
