// Tests for nn::init: gains, fans, bounds and spreads by PyTorch's formulas, and its errors.
#include "frontend/Init.h"
#include "frontend/Error.h"
#include "frontend/Random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using nncc::Error;
using nncc::Tensor;
namespace init = nncc::nn::init;

namespace {

template <typename Fn> std::string errorOf(Fn fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

double maxAbs(const Tensor &t) {
  double m = 0;
  for (int64_t i = 0; i < t.numel(); ++i)
    m = std::max(m, std::fabs(static_cast<double>(t.data()[i])));
  return m;
}

/// Sample mean and standard deviation of the tensor's values.
std::pair<double, double> meanStd(const Tensor &t) {
  double sum = 0, sq = 0;
  for (int64_t i = 0; i < t.numel(); ++i) {
    sum += t.data()[i];
    sq += static_cast<double>(t.data()[i]) * t.data()[i];
  }
  double mean = sum / static_cast<double>(t.numel());
  return {mean, std::sqrt(sq / static_cast<double>(t.numel()) - mean * mean)};
}

} // namespace

TEST(Init, CalculateGainFollowsTorch) {
  for (const char *unit : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                           "conv_transpose2d", "conv_transpose3d", "sigmoid"})
    EXPECT_EQ(init::calculate_gain(unit), 1.0) << unit;
  EXPECT_DOUBLE_EQ(init::calculate_gain("tanh"), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain("relu"), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(init::calculate_gain("selu"), 0.75);
  // torch.nn.init.calculate_gain('leaky_relu') and ('leaky_relu', 0.2).
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu"), 1.4141428569978354);
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu", 0.2), 1.3867504905630728);
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu", 0), std::sqrt(2.0));
  EXPECT_EQ(errorOf([] { init::calculate_gain("swish"); }), "Unsupported nonlinearity swish");
}

TEST(Init, FansCountTheReceptiveField) {
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(Tensor::empty({3, 4})),
            (std::pair<int64_t, int64_t>{4, 3}));
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(Tensor::empty({8, 4, 3, 3})),
            (std::pair<int64_t, int64_t>{36, 72}));
  EXPECT_EQ(errorOf([] { init::calculate_fan_in_and_fan_out(Tensor::empty({5})); }),
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
}

TEST(Init, UniformBoundsFollowTheFormulas) {
  nncc::manual_seed(0);
  // kaiming_uniform_ default: gain sqrt(2/(1+0.01^2)), bound sqrt(3) * gain / sqrt(fan_in).
  Tensor k = init::kaiming_uniform_(Tensor::empty({400, 50}));
  double kBound = std::sqrt(3.0) * init::calculate_gain("leaky_relu") / std::sqrt(50.0);
  EXPECT_LE(maxAbs(k), kBound);
  EXPECT_GT(maxAbs(k), 0.999 * kBound);
  // fan_out mode with relu on a conv weight: fan_out = 8 * 3 * 3.
  Tensor kc = init::kaiming_uniform_(Tensor::empty({8, 64, 3, 3}), 0, "fan_out", "relu");
  double kcBound = std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(72.0);
  EXPECT_LE(maxAbs(kc), kcBound);
  EXPECT_GT(maxAbs(kc), 0.999 * kcBound);
  // xavier_uniform_: bound gain * sqrt(6 / (fan_in + fan_out)).
  Tensor x = init::xavier_uniform_(Tensor::empty({300, 100}), 2.0);
  double xBound = 2.0 * std::sqrt(6.0 / 400.0);
  EXPECT_LE(maxAbs(x), xBound);
  EXPECT_GT(maxAbs(x), 0.999 * xBound);
  Tensor u = init::uniform_(Tensor::empty({10000}), 2.0, 3.0);
  EXPECT_GE(*std::min_element(u.data(), u.data() + u.numel()), 2.0f);
  EXPECT_LT(*std::max_element(u.data(), u.data() + u.numel()), 3.0f);
}

TEST(Init, NormalSpreadsFollowTheFormulas) {
  nncc::manual_seed(1);
  auto [mean, std] = meanStd(init::normal_(Tensor::empty({200000}), 1.5, 0.5));
  EXPECT_NEAR(mean, 1.5, 0.005);
  EXPECT_NEAR(std, 0.5, 0.005);
  // kaiming_normal_(fan_in, relu): std sqrt(2 / fan_in).
  auto [kMean, kStd] =
      meanStd(init::kaiming_normal_(Tensor::empty({2000, 50}), 0, "fan_in", "relu"));
  EXPECT_NEAR(kMean, 0.0, 0.002);
  EXPECT_NEAR(kStd, std::sqrt(2.0 / 50), 0.002);
  // xavier_normal_: std gain * sqrt(2 / (fan_in + fan_out)).
  auto [xMean, xStd] = meanStd(init::xavier_normal_(Tensor::empty({400, 300}), 1.5));
  EXPECT_NEAR(xMean, 0.0, 0.002);
  EXPECT_NEAR(xStd, 1.5 * std::sqrt(2.0 / 700), 0.001);
}

TEST(Init, ConstantsFillEveryElement) {
  EXPECT_EQ(init::constant_(Tensor::empty({3}), 0.25).data()[2], 0.25f);
  Tensor z = init::zeros_(Tensor::ones({2, 2}));
  EXPECT_EQ(std::count(z.data(), z.data() + 4, 0.0f), 4);
  Tensor o = init::ones_(Tensor::zeros({5}));
  EXPECT_EQ(std::count(o.data(), o.data() + 5, 1.0f), 5);
}

TEST(Init, FillsInPlaceAndReturnsTheSameTensor) {
  Tensor t = Tensor::zeros({4, 4});
  Tensor r = init::xavier_uniform_(t);
  EXPECT_EQ(r.id(), t.id());
  EXPECT_NE(maxAbs(t), 0.0);
}

TEST(Init, ZeroElementKaimingIsANoOpThatDrawsNothing) {
  nncc::manual_seed(0);
  init::kaiming_uniform_(Tensor::empty({0, 3}));
  init::kaiming_normal_(Tensor::empty({3, 0}));
  float after = init::uniform_(Tensor::empty({1}), 0, 1).data()[0];
  nncc::manual_seed(0);
  EXPECT_EQ(after, init::uniform_(Tensor::empty({1}), 0, 1).data()[0]);
}

TEST(Init, ErrorsSayWhatPyTorchSays) {
  EXPECT_EQ(errorOf([] {
              init::kaiming_uniform_(Tensor::empty({3, 3}), 0, "fan_avg");
            }),
            "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']");
  EXPECT_EQ(errorOf([] {
              init::kaiming_normal_(Tensor::empty({3, 3}), 0, "fan_in", "gelu");
            }),
            "Unsupported nonlinearity gelu");
  EXPECT_EQ(errorOf([] { init::xavier_uniform_(Tensor::empty({3})); }),
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  EXPECT_EQ(errorOf([] { init::uniform_(Tensor::empty({3}), 2, 1); }),
            "uniform_ expects to return a [from, to) range, but found from=2 > to=1");
  EXPECT_EQ(errorOf([] { init::uniform_(Tensor::empty({3}), 0.5, 0.25); }),
            "uniform_ expects to return a [from, to) range, but found from=0.5 > to=0.25");
  EXPECT_EQ(errorOf([] { init::normal_(Tensor::empty({3}), 0, -1); }),
            "normal expects std >= 0.0, but found std -1");
}

TEST(Init, ModeNamesAreCaseInsensitiveAsInTorch) {
  nncc::manual_seed(5);
  Tensor upper = init::kaiming_uniform_(Tensor::empty({4, 6}), 0, "FAN_OUT");
  nncc::manual_seed(5);
  Tensor lower = init::kaiming_uniform_(Tensor::empty({4, 6}), 0, "fan_out");
  EXPECT_TRUE(std::equal(upper.data(), upper.data() + 24, lower.data()));
}
