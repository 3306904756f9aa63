// An AOT artifact compiled with --mode=train, driven through its generated header as a user's
// program would: three SGD-momentum steps and the first step's gradients against PyTorch, the
// header's backward against the same gradients, and train steps that allocate nothing.
#include "AllocationCounter.h"
#include "GoldenUtil.h"
#include "runtime/Safetensors.h"
#include "train_mlp.h"

#include <cmath>

namespace nncc::testing {
namespace {

struct Batch {
  rt::NpyArray x, target;
  std::vector<int64_t> labels;
};

Batch loadBatch() {
  Batch b{loadNpy(golden("train/mlp/input.npy")), loadNpy(golden("train/mlp/target.npy")), {}};
  for (float v : b.target.data)
    b.labels.push_back(static_cast<int64_t>(v));
  return b;
}

/// Checks every tensor of a golden safetensors file against `actual(name)`.
template <typename Fn> void checkAll(const std::string &file, Fn actual) {
  rt::SafetensorsReader golden;
  ASSERT_TRUE(rt::SafetensorsReader::open(file, &golden).ok()) << file;
  ASSERT_FALSE(golden.tensors().empty()) << file;
  for (const rt::SafetensorsTensor &t : golden.tensors()) {
    rt::NpyArray want{t.shape, std::vector<float>(static_cast<size_t>(t.numel()))};
    t.toFloat(want.data.data());
    const float *got = actual(t.name);
    ASSERT_NE(got, nullptr) << t.name;
    EXPECT_TRUE(allClose(t.shape, got, want, 1e-4)) << t.name;
  }
}

TEST(AotTrain, StepsMatchPyTorch) {
  std::unique_ptr<nncc_models::TrainMlp> model;
  ASSERT_TRUE(nncc_models::TrainMlp::create(&model).ok());
  Batch b = loadBatch();
  rt::NpyArray losses = loadNpy(golden("train/mlp/sgd_losses.npy"));
  for (int step = 0; step < 3; ++step) {
    float loss = 0;
    ASSERT_TRUE(model->train_step(b.x.data.data(), b.labels.data(), &loss).ok());
    EXPECT_NEAR(loss, losses.data[step], 1e-4 * std::abs(losses.data[step])) << "step " << step;
    if (step == 0)
      checkAll(golden("train/mlp/grads.safetensors"), [&](const std::string &n) { return model->grad(n); });
  }
  checkAll(golden("train/mlp/sgd_after.safetensors"),
           [&](const std::string &n) { return model->model().weight(n); });
}

TEST(AotTrain, HeaderBackwardGivesTheLossGradients) {
  std::unique_ptr<nncc_models::TrainMlp> model;
  ASSERT_TRUE(nncc_models::TrainMlp::create(&model).ok());
  Batch b = loadBatch();
  // d mean cross_entropy / d logits = (softmax(y) - onehot(t)) / N.
  std::vector<float> y(8 * 5), dy(8 * 5);
  ASSERT_TRUE(model->forward(b.x.data.data(), y.data()).ok());
  for (int n = 0; n < 8; ++n) {
    double max = y[n * 5], sum = 0;
    for (int c = 0; c < 5; ++c)
      max = std::max(max, static_cast<double>(y[n * 5 + c]));
    for (int c = 0; c < 5; ++c)
      sum += std::exp(y[n * 5 + c] - max);
    for (int c = 0; c < 5; ++c)
      dy[n * 5 + c] = static_cast<float>((std::exp(y[n * 5 + c] - max) / sum - (c == b.labels[n])) / 8);
  }
  ASSERT_TRUE(model->backward(b.x.data.data(), dy.data(), rt::GradMode::Overwrite).ok());
  checkAll(golden("train/mlp/grads.safetensors"), [&](const std::string &n) { return model->grad(n); });
}

TEST(AotTrain, SteadyStateTrainStepAllocatesNothing) {
  std::unique_ptr<nncc_models::TrainMlp> model;
  ASSERT_TRUE(nncc_models::TrainMlp::create(&model).ok());
  Batch b = loadBatch();
  float loss = 0;
  ASSERT_TRUE(model->train_step(b.x.data.data(), b.labels.data(), &loss).ok());
  long before = allocations.load();
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(model->train_step(b.x.data.data(), b.labels.data(), &loss).ok());
  EXPECT_EQ(allocations.load() - before, 0);
}

} // namespace
} // namespace nncc::testing
