// mlp_train_b64: nncc's compiled train step against LibTorch's eager one, from the same state every time.
//
// Workload: the MLP of Workloads.h at batch 64, mean cross-entropy on int64 class targets,
// SGD(lr=0.01, momentum=0.9). One step is forward + loss + backward + SGD update (LibTorch also
// zero_grad(); nncc's generated step writes fresh gradients itself), and returns the loss as a
// float in both. Same weights (nncc's copied into LibTorch by key), same fixed random batch and
// targets. Before timing, both take three steps; the losses, the updated weights and then the
// forward outputs must agree. Both models' full training state (weights, gradients, momentum
// buffers) is then snapshotted and restored before every timed step, outside the timed region,
// so that every timed step computes the same thing in both instead of training the fixed batch
// towards zero loss as the benchmark runs.
#include "bench/Benchmarks.h"

#include "bench/Data.h"
#include "bench/Harness.h"
#include "bench/Workloads.h"
#include "compiler/Driver/Jit.h"
#include "runtime/Parallel.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>

namespace nncc::bench {

namespace {

constexpr int64_t kBatch = 64, kIn = 784, kClasses = 10;
constexpr double kLr = 0.01, kMomentum = 0.9;
const char *const kName = "mlp_train_b64";

/// Both models, their data, and the training state every timed step starts from.
struct TrainCase {
  std::vector<float> x;         // [kBatch, kIn]
  std::vector<int64_t> target;  // [kBatch]
  std::unique_ptr<CompiledModel> nnccModel;
  torch::nn::Sequential torchModel{nullptr};
  std::unique_ptr<torch::optim::SGD> sgd;
  torch::Tensor tx, ttarget;
  /// Weights, gradients and momentum buffers after the check steps.
  std::vector<std::vector<float>> nnccSnapshot;
  std::vector<torch::Tensor> torchState, torchSnapshot;
};

/// Through the raw rt::Model call, which allocates nothing; exits on an error.
float nnccStep(TrainCase *c) {
  const void *inputs[] = {c->x.data(), c->target.data()};
  float loss = 0;
  if (rt::Status s = c->nnccModel->runtime().train_step(inputs, &loss); !s.ok()) {
    std::fprintf(stderr, "%s: nncc train_step: %s\n", kName, s.message().c_str());
    std::exit(1);
  }
  return loss;
}

float torchStep(TrainCase *c) {
  c->sgd->zero_grad();
  torch::Tensor logits = c->torchModel->forward(c->tx);
  torch::Tensor loss = torch::nn::functional::cross_entropy(logits, c->ttarget);
  loss.backward();
  c->sgd->step();
  return loss.item<float>(); // nncc hands the loss back as a float too
}

torch::Tensor view(const float *data, const Shape &shape) {
  return torch::from_blob(const_cast<float *>(data), shape, torch::kFloat32);
}

/// Records both models' training state, to restore before each timed step.
void snapshot(TrainCase *c) {
  for (const rt::StateTensor &t : c->nnccModel->runtime().state()) {
    int64_t n = 1;
    for (int64_t d : t.shape)
      n *= d;
    c->nnccSnapshot.emplace_back(t.data, t.data + n);
  }
  for (auto &p : c->torchModel->parameters())
    c->torchState.push_back(p);
  for (auto &kv : c->sgd->state())
    c->torchState.push_back(
        static_cast<torch::optim::SGDParamState &>(*kv.second).momentum_buffer());
  for (const torch::Tensor &t : c->torchState)
    c->torchSnapshot.push_back(t.detach().clone());
}

/// Puts both models back in the snapshot's state.
void restore(TrainCase *c) {
  const auto &state = c->nnccModel->runtime().state();
  for (size_t i = 0; i < state.size(); ++i)
    std::memcpy(state[i].data, c->nnccSnapshot[i].data(),
                c->nnccSnapshot[i].size() * sizeof(float));
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < c->torchState.size(); ++i)
    c->torchState[i].copy_(c->torchSnapshot[i]);
}

void runNncc(benchmark::State &state, TrainCase *c) {
  rt::set_num_threads(static_cast<int>(state.range(0)));
  float loss = 0;
  for (auto _ : state) {
    state.PauseTiming();
    restore(c);
    state.ResumeTiming();
    benchmark::DoNotOptimize(loss = nnccStep(c));
  }
  state.counters["loss"] = loss;
}

void runLibTorch(benchmark::State &state, TrainCase *c) {
  torch::set_num_threads(static_cast<int>(state.range(0)));
  restore(c);
  torchStep(c); // warms the thread pool at this size
  float loss = 0;
  for (auto _ : state) {
    state.PauseTiming();
    restore(c);
    state.ResumeTiming();
    benchmark::DoNotOptimize(loss = torchStep(c));
  }
  state.counters["loss"] = loss;
}

/// Three steps in both, then the weights and the forward on them: all must
/// agree. Sets `firstLoss` to nncc's loss of the first step.
bool check(TrainCase *c, float *firstLoss) {
  bool ok = true;
  for (int step = 0; step < 3; ++step) {
    float a = nnccStep(c), b = torchStep(c);
    ok = checkClose(std::string(kName) + " loss, step " + std::to_string(step), &a, &b, 1) && ok;
    if (step == 0)
      *firstLoss = a;
  }
  for (auto &item : c->torchModel->named_parameters()) {
    const float *mine = c->nnccModel->runtime().weight(item.key());
    if (!mine) {
      std::printf("check %s: nncc has no parameter '%s'\n", kName, item.key().c_str());
      return false;
    }
    torch::Tensor ref = item.value().detach().contiguous();
    ok = checkClose(std::string(kName) + " " + item.key() + " after 3 steps", mine,
                    ref.data_ptr<float>(), ref.numel()) && ok;
  }
  std::vector<float> logits(kBatch * kClasses);
  const void *inputs[] = {c->x.data()};
  float *outputs[] = {logits.data()};
  if (rt::Status s = c->nnccModel->runtime().forward(inputs, outputs); !s.ok()) {
    std::printf("%s: nncc forward: %s\n", kName, s.message().c_str());
    return false;
  }
  torch::NoGradGuard noGrad;
  torch::Tensor ref = c->torchModel->forward(c->tx).contiguous();
  return checkClose(std::string(kName) + " forward after 3 steps", logits.data(),
                    ref.data_ptr<float>(), logits.size()) && ok;
}

} // namespace

Fixtures setUpTrainStep(const std::string &dataDir, bool &ok) {
  auto fixture = std::make_shared<TrainCase>();
  TrainCase *c = fixture.get();
  std::mt19937 rng(1234);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  c->x.resize(kBatch * kIn);
  for (float &v : c->x)
    v = normal(rng);
  c->target.resize(kBatch);
  for (int64_t &t : c->target)
    t = static_cast<int64_t>(rng() % kClasses);

  manual_seed(0);
  std::shared_ptr<nn::Sequential> model = nnccMlp();
  model->train();
  TrainingSpec spec;
  spec.inputs = {{"x", {kBatch, kIn}}};
  spec.target = {"target", {kBatch}, DType::i64};
  spec.loss = [](const SymTensor &y, const SymTensor &t) { return F::cross_entropy(y, t); };
  spec.optimizer = optim::SGDOptions(kLr).momentum(kMomentum);
  auto start = std::chrono::steady_clock::now();
  c->nnccModel = compileTraining(*model, spec);
  std::printf("%s: nncc compileTraining %.2f s (excluded from timings)\n", kName,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());

  c->torchModel = torchMlp();
  copyWeights(model->state_dict(), *c->torchModel);
  c->torchModel->train();
  c->sgd = std::make_unique<torch::optim::SGD>(
      c->torchModel->parameters(), torch::optim::SGDOptions(kLr).momentum(kMomentum));
  c->tx = view(c->x.data(), {kBatch, kIn});
  c->ttarget = torch::from_blob(c->target.data(), {kBatch}, torch::kInt64);

  float firstLoss = 0;
  ok = check(c, &firstLoss) && ok;
  // The module itself still holds the initial weights: the compiled model has its own copy.
  writeTrainData(dataDir, kName, model->state_dict(), {kBatch, kIn}, c->x.data(), c->target,
                 firstLoss);
  snapshot(c);
  configure(benchmark::RegisterBenchmark((std::string(kName) + "/nncc").c_str(), runNncc, c),
            kNnccThreads);
  configure(benchmark::RegisterBenchmark((std::string(kName) + "/libtorch").c_str(), runLibTorch,
                                         c),
            kPeerThreads);
  return fixture;
}

} // namespace nncc::bench
