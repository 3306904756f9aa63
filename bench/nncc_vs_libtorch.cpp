// nncc's compiled train step against LibTorch's eager one, side by side in one process.
//
// Workload: MLP 784-512-512-10 with ReLU, batch 64, cross-entropy (mean) on int64 class targets,
// SGD(lr=0.01, momentum=0.9). One step is forward + loss + backward + SGD update (LibTorch also
// zero_grad(); nncc's generated step writes fresh gradients itself). The inference forward at
// batch 64 is measured too, for context (LibTorch under NoGradGuard).
//
// Same weights in both: the nncc model is built after nncc::manual_seed(0), and its parameters
// are copied into the LibTorch module by state_dict key ("0.weight", "0.bias", "2.weight", ...;
// both Sequentials number their children alike). The LibTorch module is built after
// torch::manual_seed(0) first, so the output also says whether the two inits already agreed bit
// for bit. Same fixed random input batch and targets (std::mt19937, seed 1234) in both. Before
// timing, both take three steps from those weights and the losses, updated weights and forward
// outputs must agree (1e-4), else the program exits 1 without timing anything. Both models' full
// training state (weights, gradients, momentum buffers) is then snapshotted, and restored before
// every timed step (outside the timed region), so that every timed step computes the same thing
// in both instead of training the fixed batch towards zero loss as the benchmark runs.
//
// Timing: Google Benchmark, real (wall) time, 5 repetitions, reporting aggregates; the summary
// printed at the end takes the medians. nncc is timed through the raw rt::Model calls, which
// allocate nothing; its compile time (compileTraining, ~seconds) happens before and is excluded.
// LibTorch runs at 1 and 2 intra-op threads (torch::set_num_threads; the inter-op pool is set to
// 1 thread once, a single step having no inter-op parallelism). nncc's generated code is
// single-threaded today, so it is measured once and compared with both LibTorch rows.
// LibTorch's matmuls go to whatever libblas.so.3 resolves to (Debian's default: the reference
// BLAS); the program prints which library it loaded. NNCC_BENCH_OPENBLAS=1 bench/run.sh runs it on
// OpenBLAS instead (see bench/RESULTS.md for both).
//
// Not a test: built only with -DNNCC_BUILD_BENCH=ON and run by bench/run.sh, never by CI.
// Extra arguments are Google Benchmark's (e.g. --benchmark_out=res.json --benchmark_filter=...).
#include "compiler/Driver/Jit.h"
#include "frontend/nn.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

constexpr int64_t kBatch = 64, kIn = 784, kHidden = 512, kClasses = 10;
constexpr double kLr = 0.01, kMomentum = 0.9;

/// Everything the benchmarks share, set up once in main() before timing.
struct Setup {
  std::vector<float> x;         // [kBatch, kIn]
  std::vector<int64_t> target;  // [kBatch]
  std::unique_ptr<nncc::CompiledModel> nncc;
  torch::nn::Sequential torch{nullptr};
  std::unique_ptr<torch::optim::SGD> sgd;
  torch::Tensor tx, ttarget;
  std::vector<float> logits = std::vector<float>(kBatch * kClasses);
  /// Both models' full training state (weights, gradients, momentum buffers)
  /// after the check steps; every timed step starts from it again.
  std::vector<std::vector<float>> nnccSnapshot;
  std::vector<torch::Tensor> torchState, torchSnapshot;
};
Setup *g = nullptr;

std::shared_ptr<nncc::nn::Sequential> nnccMlp() {
  nncc::manual_seed(0);
  // A braced list constructs the layers left to right, drawing weights in PyTorch's order.
  std::vector<std::shared_ptr<nncc::nn::Module>> layers{
      std::make_shared<nncc::nn::Linear>(kIn, kHidden), std::make_shared<nncc::nn::ReLU>(),
      std::make_shared<nncc::nn::Linear>(kHidden, kHidden), std::make_shared<nncc::nn::ReLU>(),
      std::make_shared<nncc::nn::Linear>(kHidden, kClasses)};
  return std::make_shared<nncc::nn::Sequential>(layers);
}

torch::nn::Sequential torchMlp() {
  torch::manual_seed(0);
  torch::nn::Sequential seq;
  seq->push_back(torch::nn::Linear(kIn, kHidden));
  seq->push_back(torch::nn::ReLU());
  seq->push_back(torch::nn::Linear(kHidden, kHidden));
  seq->push_back(torch::nn::ReLU());
  seq->push_back(torch::nn::Linear(kHidden, kClasses));
  return seq;
}

torch::Tensor view(const float *data, const nncc::Shape &shape) {
  return torch::from_blob(const_cast<float *>(data), shape, torch::kFloat32);
}

float nnccStep() {
  const void *inputs[] = {g->x.data(), g->target.data()};
  float loss = 0;
  nncc::rt::Status s = g->nncc->runtime().train_step(inputs, &loss);
  if (!s.ok()) {
    std::fprintf(stderr, "nncc train_step: %s\n", s.message().c_str());
    std::exit(1);
  }
  return loss;
}

void nnccForward() {
  const void *inputs[] = {g->x.data()};
  float *outputs[] = {g->logits.data()};
  nncc::rt::Status s = g->nncc->runtime().forward(inputs, outputs);
  if (!s.ok()) {
    std::fprintf(stderr, "nncc forward: %s\n", s.message().c_str());
    std::exit(1);
  }
}

float torchStep() {
  g->sgd->zero_grad();
  torch::Tensor loss = torch::nn::functional::cross_entropy(g->torch->forward(g->tx), g->ttarget);
  loss.backward();
  g->sgd->step();
  return loss.item<float>(); // nncc hands the loss back as a float too
}

void torchForward() {
  torch::NoGradGuard noGrad;
  torch::Tensor out = g->torch->forward(g->tx);
  benchmark::DoNotOptimize(out.data_ptr<float>());
}

void snapshot();

/// Builds both models on the same weights and data, and checks that three
/// steps agree. Returns false (after saying why) when they do not.
bool setUp() {
  std::mt19937 rng(1234);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  g->x.resize(kBatch * kIn);
  for (float &v : g->x)
    v = normal(rng);
  g->target.resize(kBatch);
  for (int64_t &t : g->target)
    t = static_cast<int64_t>(rng() % kClasses);

  auto model = nnccMlp();
  model->train();
  nncc::TrainingSpec spec;
  spec.inputs = {{"x", {kBatch, kIn}}};
  spec.target = {"target", {kBatch}, nncc::DType::i64};
  spec.loss = [](const nncc::SymTensor &y, const nncc::SymTensor &t) {
    return nncc::F::cross_entropy(y, t);
  };
  spec.optimizer = nncc::optim::SGDOptions(kLr).momentum(kMomentum);
  auto compileStart = std::chrono::steady_clock::now();
  g->nncc = nncc::compileTraining(*model, spec);
  double compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - compileStart).count();
  std::printf("nncc compileTraining (excluded from timings): %.2f s\n", compileSeconds);

  // nncc -> LibTorch, by state_dict key.
  g->torch = torchMlp();
  nncc::StateDict nnccState = model->state_dict();
  bool sameInit = true;
  {
    torch::NoGradGuard noGrad;
    for (auto &item : g->torch->named_parameters()) {
      const nncc::Tensor &src = nnccState.at(item.key());
      torch::Tensor srcView = view(src.data(), src.shape());
      sameInit = sameInit && torch::equal(item.value(), srcView);
      item.value().copy_(srcView);
    }
  }
  std::printf("initial weights: nncc::manual_seed(0) and torch::manual_seed(0) inits %s; "
              "nncc's are copied into LibTorch by state_dict key\n",
              sameInit ? "are bit-identical" : "differ");
  g->torch->train();
  g->sgd = std::make_unique<torch::optim::SGD>(
      g->torch->parameters(), torch::optim::SGDOptions(kLr).momentum(kMomentum));
  g->tx = view(g->x.data(), {kBatch, kIn});
  g->ttarget = torch::from_blob(g->target.data(), {kBatch}, torch::kInt64);

  bool ok = true;
  for (int step = 0; step < 3; ++step) {
    float a = nnccStep(), b = torchStep();
    std::printf("check step %d: loss nncc %.6f  LibTorch %.6f\n", step, a, b);
    ok = ok && std::fabs(a - b) <= 1e-4f * std::max(1.0f, std::fabs(b));
  }
  for (auto &item : g->torch->named_parameters()) {
    const nncc::rt::StateTensor *mine = nullptr;
    for (const nncc::rt::StateTensor &t : g->nncc->runtime().state())
      if (t.name == item.key())
        mine = &t;
    if (!mine) {
      std::printf("check: nncc has no parameter '%s'\n", item.key().c_str());
      return false;
    }
    double diff = (view(mine->data, mine->shape) - item.value()).abs().max().item<double>();
    if (diff > 1e-4) {
      std::printf("check: '%s' differs by %g after 3 steps\n", item.key().c_str(), diff);
      ok = false;
    }
  }
  // The forward too, on the updated (equal) weights.
  nnccForward();
  {
    torch::NoGradGuard noGrad;
    double diff = (view(g->logits.data(), {kBatch, kClasses}) - g->torch->forward(g->tx))
                      .abs().max().item<double>();
    if (diff > 1e-4) {
      std::printf("check: forward outputs differ by %g\n", diff);
      ok = false;
    }
  }
  snapshot();
  std::printf("check: %s\n", ok ? "losses, weights after 3 SGD-momentum steps and forward outputs "
                                   "agree (1e-4)"
                                 : "FAILED, not timing");
  return ok;
}

/// Records both models' training state, to restore before each timed step.
void snapshot() {
  for (const nncc::rt::StateTensor &t : g->nncc->runtime().state()) {
    int64_t n = 1;
    for (int64_t d : t.shape)
      n *= d;
    g->nnccSnapshot.emplace_back(t.data, t.data + n);
  }
  for (auto &p : g->torch->parameters())
    g->torchState.push_back(p);
  for (auto &kv : g->sgd->state())
    g->torchState.push_back(
        static_cast<torch::optim::SGDParamState &>(*kv.second).momentum_buffer());
  for (const torch::Tensor &t : g->torchState)
    g->torchSnapshot.push_back(t.detach().clone());
}

/// Puts both models back in the snapshot's state, so that every timed step
/// computes the same thing whatever ran before (training on one fixed batch
/// would otherwise drive the loss towards zero as the benchmark runs).
void restore() {
  const auto &state = g->nncc->runtime().state();
  for (size_t i = 0; i < state.size(); ++i)
    std::memcpy(state[i].data, g->nnccSnapshot[i].data(), g->nnccSnapshot[i].size() * sizeof(float));
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < g->torchState.size(); ++i)
    g->torchState[i].copy_(g->torchSnapshot[i]);
}

void BM_TrainStepNncc(benchmark::State &state) {
  float loss = 0;
  for (auto _ : state) {
    state.PauseTiming();
    restore();
    state.ResumeTiming();
    benchmark::DoNotOptimize(loss = nnccStep());
  }
  state.counters["loss"] = loss;
}

void BM_TrainStepLibTorch(benchmark::State &state) {
  torch::set_num_threads(static_cast<int>(state.range(0)));
  torchStep(); // warm the thread pool at this size
  float loss = 0;
  for (auto _ : state) {
    state.PauseTiming();
    restore();
    state.ResumeTiming();
    benchmark::DoNotOptimize(loss = torchStep());
  }
  state.counters["loss"] = loss;
}

void BM_ForwardNncc(benchmark::State &state) {
  restore();
  for (auto _ : state) {
    nnccForward();
    benchmark::ClobberMemory();
  }
}

void BM_ForwardLibTorch(benchmark::State &state) {
  torch::set_num_threads(static_cast<int>(state.range(0)));
  restore();
  torchForward();
  for (auto _ : state)
    torchForward();
}

/// The console table, plus the median of each benchmark kept for the summary.
class Reporter : public benchmark::ConsoleReporter {
public:
  // Colours only on a terminal (a reporter of our own does not see --benchmark_color).
  Reporter() : ConsoleReporter(isatty(fileno(stdout)) ? OO_ColorTabular : OO_Tabular) {}
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &r : runs)
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median")
        medians[r.run_name.function_name + "/" + r.run_name.args] = r.GetAdjustedRealTime();
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> medians; // µs, keyed "train_step/nncc/threads:1"
};

void registerAll() {
  auto common = [](benchmark::internal::Benchmark *b) {
    b->ArgName("threads")->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(0.3)
        ->Repetitions(5)->ReportAggregatesOnly(true);
  };
  // nncc's code is single-threaded: one row, threads:1.
  common(benchmark::RegisterBenchmark("train_step/nncc", BM_TrainStepNncc)->Arg(1));
  common(benchmark::RegisterBenchmark("train_step/libtorch", BM_TrainStepLibTorch)->Arg(1)->Arg(2));
  common(benchmark::RegisterBenchmark("forward/nncc", BM_ForwardNncc)->Arg(1));
  common(benchmark::RegisterBenchmark("forward/libtorch", BM_ForwardLibTorch)->Arg(1)->Arg(2));
}

void printSummary(const std::map<std::string, double> &medians) {
  std::printf("\nSummary: median wall time per call, MLP 784-512-512-10, batch %lld, SGD(lr=%g, "
              "momentum=%g)\n", static_cast<long long>(kBatch), kLr, kMomentum);
  std::printf("nncc's generated code is single-threaded today: its one measurement is compared "
              "with LibTorch at each thread count.\n");
  std::printf("ratio = LibTorch / nncc (> 1: nncc is faster)\n\n");
  std::printf("%-11s %8s %12s %14s %8s\n", "workload", "threads", "nncc [us]", "LibTorch [us]",
              "ratio");
  for (const char *workload : {"train_step", "forward"}) {
    auto n = medians.find(std::string(workload) + "/nncc/threads:1");
    for (int threads : {1, 2}) {
      auto t = medians.find(std::string(workload) + "/libtorch/threads:" + std::to_string(threads));
      if (n == medians.end() || t == medians.end())
        continue; // filtered out
      std::printf("%-11s %8d %12.1f %14.1f %8.3g\n", workload, threads, n->second, t->second,
                  t->second / n->second);
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 2;
  at::set_num_interop_threads(1);
  torch::set_num_threads(1);
  std::printf("LibTorch %s; %s", TORCH_VERSION, at::get_parallel_info().c_str());
  // How LibTorch was built to do its matmuls (Debian's: "generic" BLAS, i.e. libblas.so.3).
  std::string config = at::show_config();
  size_t cap = config.find("CPU capability"), info = config.find("BLAS_INFO=");
  if (cap != std::string::npos)
    std::printf("LibTorch %s\n", config.substr(cap, config.find('\n', cap) - cap).c_str());
  if (info != std::string::npos)
    std::printf("LibTorch %s\n", config.substr(info, config.find(',', info) - info).c_str());
  // The BLAS library actually loaded (Debian's libblas.so.3 alternative, or LD_LIBRARY_PATH's).
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> blas;
  for (std::string line; std::getline(maps, line);)
    if (line.find("blas") != std::string::npos && line.find('/') != std::string::npos)
      blas.insert(line.substr(line.find('/')));
  for (const std::string &path : blas)
    std::printf("BLAS library loaded: %s\n", path.c_str());
  Setup setup;
  g = &setup;
  if (!setUp())
    return 1;
  registerAll();
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  printSummary(reporter.medians);
  benchmark::Shutdown();
  g = nullptr;
  return 0;
}
