// Layers: Linear's parameters and PyTorch-identical initial weights, ReLU, Identity and Flatten settings.
#include "FrontendTestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace nncc;
using nncc::test::keysOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::FloatEq;
using ::testing::Pointwise;

namespace {

/// The values of `t`, in order.
std::vector<float> valuesOf(const Tensor &t) { return {t.data(), t.data() + t.numel()}; }

TEST(Linear, ParametersAndShapes) {
  nn::Linear fc(784, 512);
  EXPECT_EQ(fc.in_features, 784);
  EXPECT_EQ(fc.out_features, 512);
  EXPECT_THAT(keysOf(fc.named_parameters()), ElementsAre("weight", "bias"));
  EXPECT_EQ(fc.weight().shape(), (Shape{512, 784}));
  EXPECT_EQ(fc.bias().shape(), (Shape{512}));
  EXPECT_TRUE(fc.weight().requires_grad());
  EXPECT_TRUE(fc.bias().requires_grad());
}

TEST(Linear, WithoutBiasRegistersNone) {
  nn::Linear fc(3, 4, /*bias=*/false);
  EXPECT_FALSE(fc.bias().defined());
  EXPECT_THAT(keysOf(fc.named_parameters()), ElementsAre("weight"));
  EXPECT_THAT(fc.state_dict().keys(), ElementsAre("weight"));
  // "bias" is taken, as in PyTorch where it is registered as None.
  EXPECT_EQ(test::errorOf([&] { fc.register_buffer("bias", Tensor::zeros({4})); }),
            "attribute 'bias' already exists");
}

TEST(Linear, InitialWeightsMatchPyTorch) {
  // torch.manual_seed(0); nn.Linear(3, 2)
  manual_seed(0);
  nn::Linear fc(3, 2);
  EXPECT_THAT(valuesOf(fc.weight()),
              Pointwise(FloatEq(), std::vector<float>{-0.004322517663240433f, 0.3097158372402191f,
                                                      -0.4751853346824646f, -0.4248946011066437f,
                                                      -0.2223689705133438f, 0.15482072532176971f}));
  EXPECT_THAT(valuesOf(fc.bias()),
              Pointwise(FloatEq(), std::vector<float>{-0.011439144611358643f, 0.45777493715286255f}));
}

TEST(Linear, DrawOrderAcrossLayersMatchesPyTorch) {
  // torch.manual_seed(42); nn.Sequential(nn.Linear(4, 3, bias=False), nn.Linear(3, 2))
  // Braces: a braced list is evaluated left to right, as Python's arguments
  // are; the order of ordinary call arguments is unspecified in C++.
  manual_seed(42);
  nn::Sequential seq{std::make_shared<nn::Linear>(4, 3, false), std::make_shared<nn::Linear>(3, 2)};
  StateDict dict = seq.state_dict();
  EXPECT_THAT(dict.keys(), ElementsAre("0.weight", "1.weight", "1.bias"));
  EXPECT_THAT(valuesOf(dict.at("0.weight")),
              Pointwise(FloatEq(), std::vector<float>{
                                       0.3822692632675171f, 0.4150039553642273f,
                                       -0.11713624000549316f, 0.45930564403533936f,
                                       -0.10955178737640381f, 0.10089534521102905f,
                                       -0.24342751502990723f, 0.2936413288116455f,
                                       0.4407714605331421f, -0.3668140769004822f,
                                       0.43459808826446533f, 0.09357964992523193f}));
  EXPECT_THAT(valuesOf(dict.at("1.weight")),
              Pointwise(FloatEq(), std::vector<float>{0.42655149102211f, 0.078190878033638f,
                                                      0.27839142084121704f, -0.08151666074991226f,
                                                      0.44507113099098206f, 0.08533751219511032f}));
  EXPECT_THAT(valuesOf(dict.at("1.bias")),
              Pointwise(FloatEq(), std::vector<float>{-0.26953014731407166f, 0.14716561138629913f}));
}

TEST(Linear, ValuesStayWithinPyTorchBounds) {
  // kaiming_uniform_(a=sqrt(5)) and the bias both give bound 1/sqrt(fan_in).
  nn::Linear fc(100, 50);
  const float bound = 1.0f / std::sqrt(100.0f);
  for (const Tensor &t : {fc.weight(), fc.bias()}) {
    float lo = bound, hi = -bound;
    for (float v : valuesOf(t)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    EXPECT_GE(lo, -bound);
    EXPECT_LE(hi, bound);
    EXPECT_LT(lo, -bound / 2) << "values should spread over the range";
    EXPECT_GT(hi, bound / 2);
  }
}

TEST(Linear, ResetParametersRedrawsInPlace) {
  manual_seed(0);
  nn::Linear fc(3, 2);
  std::vector<float> first = valuesOf(fc.weight());
  const void *id = fc.weight().id();
  nn::init::zeros_(fc.weight());
  manual_seed(0);
  fc.reset_parameters();
  EXPECT_EQ(fc.weight().id(), id);
  EXPECT_THAT(valuesOf(fc.weight()), ElementsAreArray(first));
}

TEST(Activation, ReLUSettings) {
  EXPECT_FALSE(nn::ReLU().inplace);
  EXPECT_TRUE(nn::ReLU(true).inplace);
  EXPECT_EQ(nn::ReLU().name(), "ReLU");
  EXPECT_TRUE(nn::ReLU().parameters().empty());
}

TEST(Flatten, Defaults) {
  nn::Flatten flat;
  EXPECT_EQ(flat.start_dim, 1);
  EXPECT_EQ(flat.end_dim, -1);
  EXPECT_EQ(nn::Flatten(2, 3).start_dim, 2);
}

TEST(Identity, HasNoState) {
  nn::Identity id;
  EXPECT_EQ(id.name(), "Identity");
  EXPECT_TRUE(id.state_dict().keys().empty());
}

} // namespace
