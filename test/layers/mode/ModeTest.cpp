// BatchNorm1d/2d and Dropout in train and eval mode: PyTorch goldens, updated running statistics,
// seeded dropout masks, printing and errors.
#include "../LayerCheck.h"

#include <gmock/gmock.h>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

TEST(BatchNorm, EvalUsesRunningStatistics) {
  nn::BatchNorm2d bn(4);
  checkLayer(bn, "mode/bn2d_eval", /*training=*/false);
}

TEST(BatchNorm, TrainUsesBatchStatisticsAndUpdatesRunningOnes) {
  nn::BatchNorm2d bn(4);
  checkLayer(bn, "mode/bn2d_train", /*training=*/true);
}

TEST(BatchNorm, MomentumNoneIsACumulativeAverage) {
  nn::BatchNorm2d bn(3, 1e-5, std::nullopt);
  checkLayer(bn, "mode/bn2d_train_cumulative", /*training=*/true);
}

TEST(BatchNorm, WithoutAffine) {
  nn::BatchNorm2d bn(4, 1e-5, 0.3, /*affine=*/false);
  checkLayer(bn, "mode/bn2d_train_no_affine", /*training=*/true);
}

TEST(BatchNorm, WithoutRunningStatisticsEvalUsesTheBatch) {
  nn::BatchNorm2d bn(4, 1e-5, 0.1, true, /*track_running_stats=*/false);
  checkLayer(bn, "mode/bn2d_no_running_stats_eval", /*training=*/false);
}

TEST(BatchNorm, OneDimensionalOn2dAnd3dInputs) {
  nn::BatchNorm1d train2d(5);
  checkLayer(train2d, "mode/bn1d_train_2d", /*training=*/true);
  nn::BatchNorm1d eval3d(3, 1e-3);
  checkLayer(eval3d, "mode/bn1d_eval_3d", /*training=*/false);
  nn::BatchNorm1d train3d(3);
  checkLayer(train3d, "mode/bn1d_train_3d", /*training=*/true);
}

std::shared_ptr<nn::Sequential> mlp(bool dropout) {
  std::vector<std::shared_ptr<nn::Module>> layers{std::make_shared<nn::Linear>(8, 16),
                                                  std::make_shared<nn::BatchNorm1d>(16),
                                                  std::make_shared<nn::ReLU>()};
  if (dropout)
    layers.push_back(std::make_shared<nn::Dropout>(0.3));
  layers.push_back(std::make_shared<nn::Linear>(16, 4));
  return std::make_shared<nn::Sequential>(layers);
}

TEST(BatchNorm, InsideSequentialInBothModes) {
  checkLayer(*mlp(true), "mode/mlp_bn_dropout_eval", /*training=*/false);
  checkLayer(*mlp(false), "mode/mlp_bn_train", /*training=*/true);
}

TEST(BatchNorm, ModeIsCompiledIn) {
  auto model = mlp(false);
  Tensor x = loadTensor(golden("mode/mlp_bn_train/input.npy"));
  model->eval();
  std::string evalIR = printIR(*trace(*model, {{"x", x.shape()}}).module);
  Tensor evalOut = compile(*model, {{"x", x.shape()}})->forward({x})[0];
  model->train();
  std::string trainIR = printIR(*trace(*model, {{"x", x.shape()}}).module);
  Tensor trainOut = compile(*model, {{"x", x.shape()}})->forward({x})[0];
  EXPECT_THAT(trainIR, HasSubstr("training}"));
  EXPECT_THAT(trainIR, HasSubstr("nn.assign @\"1.running_mean\""));
  EXPECT_THAT(evalIR, Not(HasSubstr("nn.assign")));
  EXPECT_FALSE(allClose(evalOut, trainOut));
}

TEST(BatchNorm, StateDictKeysReprAndDefaults) {
  nn::BatchNorm2d bn(16);
  EXPECT_EQ(bn.state_dict().keys(),
            (std::vector<std::string>{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}));
  EXPECT_EQ(bn.to_string(), "BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
  EXPECT_EQ(nn::BatchNorm1d(8, 1e-3, std::nullopt, false, false).to_string(),
            "BatchNorm1d(8, eps=0.001, momentum=None, affine=False, track_running_stats=False)");
  EXPECT_TRUE(nn::BatchNorm1d(8, 1e-5, 0.1, false, false).state_dict().keys().empty());
  EXPECT_EQ(bn.buffer("num_batches_tracked").shape(), Shape{});
  EXPECT_EQ(bn.buffer("running_var").data()[3], 1.0f);
  EXPECT_EQ(bn.param("weight").data()[0], 1.0f);
}

TEST(BatchNorm, Errors) {
  nn::BatchNorm2d bn(4);
  EXPECT_EQ(errorOf([&] { trace(bn, {{"x", {2, 4, 3}}}); }), "expected 4D input (got 3D input)");
  nn::BatchNorm1d bn1(4);
  EXPECT_EQ(errorOf([&] { trace(bn1, {{"x", {2, 4, 3, 3}}}); }), "expected 2D or 3D input (got 4D input)");
  EXPECT_EQ(errorOf([&] { trace(bn1, {{"x", {1, 4}}}); }),
            "<root> (BatchNorm1d): batch_norm: Expected more than 1 value per channel when "
            "training, got input size [1, 4]");
  EXPECT_EQ(errorOf([&] { trace(bn1, {{"x", {2, 5}}}); }),
            "<root> (BatchNorm1d): batch_norm: running_mean [4] does not match the channels of input [2, 5]");
}

Tensor ramp(const Shape &shape) {
  Tensor t = Tensor::empty(shape);
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data()[i] = 1.0f + static_cast<float>(i % 7);
  return t;
}

TEST(Dropout, SeededMaskScalingAndRate) {
  nn::Dropout drop(0.3);
  Shape shape{100, 100};
  Tensor x = ramp(shape);
  manual_seed(5);
  auto first = compile(drop, {{"x", shape}});
  manual_seed(5);
  TracedModel traced = trace(drop, {{"x", shape}});
  Tensor reference = interpret(*traced.module, "forward", {x}, StateDict())[0];
  Tensor y = first->forward({x})[0];
  int64_t dropped = 0;
  for (int64_t i = 0; i < y.numel(); ++i) {
    EXPECT_EQ(y.data()[i], reference.data()[i]) << i;
    if (y.data()[i] == 0)
      ++dropped;
    else
      EXPECT_FLOAT_EQ(y.data()[i], x.data()[i] / 0.7f) << i;
  }
  EXPECT_NEAR(static_cast<double>(dropped) / y.numel(), 0.3, 0.02);
  // The same seed gives the same mask; another seed another one.
  manual_seed(5);
  Tensor again = compile(drop, {{"x", shape}})->forward({x})[0];
  manual_seed(6);
  Tensor other = compile(drop, {{"x", shape}})->forward({x})[0];
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + y.numel()),
            std::vector<float>(again.data(), again.data() + again.numel()));
  EXPECT_NE(std::vector<float>(y.data(), y.data() + y.numel()),
            std::vector<float>(other.data(), other.data() + other.numel()));
}

TEST(Dropout, EvalIsTheIdentityAndPOneDropsEverything) {
  nn::Dropout drop(0.5);
  drop.eval();
  EXPECT_THAT(printIR(*trace(drop, {{"x", {2, 3}}}).module), Not(HasSubstr("nn.dropout")));
  Tensor x = ramp({2, 3});
  Tensor y = compile(drop, {{"x", {2, 3}}})->forward({x})[0];
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + 6), std::vector<float>(x.data(), x.data() + 6));
  nn::Dropout all(1.0);
  Tensor zeros = compile(all, {{"x", {2, 3}}})->forward({x})[0];
  EXPECT_EQ(std::vector<float>(zeros.data(), zeros.data() + 6), std::vector<float>(6, 0.0f));
}

TEST(Dropout, ProbabilityIsCheckedAndPrinted) {
  EXPECT_EQ(errorOf([] { nn::Dropout(1.5); }), "dropout probability has to be between 0 and 1, but got 1.5");
  EXPECT_EQ(errorOf([] { nn::Dropout(-0.1); }), "dropout probability has to be between 0 and 1, but got -0.1");
  EXPECT_EQ(nn::Dropout().to_string(), "Dropout(p=0.5, inplace=False)");
}

} // namespace
} // namespace nncc::testing
