// Activations, softmax/log_softmax, LayerNorm and GroupNorm against PyTorch goldens, on the
// interpreter and the JIT, in both modes; printing and errors.
#include "../LayerCheck.h"

#include <gmock/gmock.h>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

/// Checks `module` on a golden case in eval and in train mode (the same numbers for these).
void checkBothModes(nn::Module &module, const std::string &name) {
  checkLayer(module, "activation/" + name, /*training=*/false);
  checkLayer(module, "activation/" + name, /*training=*/true);
}

TEST(Activation, ElementwiseMatchPyTorch) {
  nn::Sigmoid sigmoid;
  checkBothModes(sigmoid, "sigmoid");
  nn::Tanh tanh;
  checkBothModes(tanh, "tanh");
  nn::SiLU silu;
  checkBothModes(silu, "silu");
  nn::Hardswish hardswish;
  checkBothModes(hardswish, "hardswish");
  nn::LeakyReLU leaky(0.2);
  checkBothModes(leaky, "leaky_relu");
  nn::GELU gelu;
  checkBothModes(gelu, "gelu");
  nn::GELU geluTanh("tanh");
  checkBothModes(geluTanh, "gelu_tanh");
}

TEST(Activation, SoftmaxAndLogSoftmaxAlongEachDim) {
  for (int64_t dim : {0, 1, -1}) {
    nn::Softmax softmax(dim);
    checkBothModes(softmax, "softmax_dim" + std::to_string(dim));
    nn::LogSoftmax logSoftmax(dim);
    checkBothModes(logSoftmax, "log_softmax_dim" + std::to_string(dim));
  }
}

TEST(Activation, SoftmaxIsStableWhereExpOverflows) {
  // Rows of +-100 to +-500: exp overflows float32, so only the max-subtracted form passes.
  nn::Softmax softmax(-1);
  checkLayer(softmax, "activation/softmax_large");
  nn::LogSoftmax logSoftmax(1);
  checkLayer(logSoftmax, "activation/log_softmax_large");
}

TEST(Norm, LayerNormOverOneAndTwoDims) {
  nn::LayerNorm last1(4);
  checkBothModes(last1, "layer_norm_last1");
  nn::LayerNorm last2({3, 4}, 1e-3);
  checkBothModes(last2, "layer_norm_last2");
  nn::LayerNorm plain(4, 1e-5, false);
  checkBothModes(plain, "layer_norm_no_affine");
}

TEST(Norm, GroupNormWithSeveralGroupCounts) {
  for (int64_t groups : {1, 2, 4}) {
    nn::GroupNorm norm(groups, 8);
    checkBothModes(norm, "group_norm_" + std::to_string(groups));
  }
  nn::GroupNorm plain(2, 8, 1e-5, false);
  checkBothModes(plain, "group_norm_no_affine");
  nn::GroupNorm flat(3, 6);
  checkBothModes(flat, "group_norm_2d");
}

struct Block : nn::Module {
  std::shared_ptr<nn::Linear> fc1, fc2;
  std::shared_ptr<nn::GELU> act;
  std::shared_ptr<nn::LayerNorm> norm;
  Block() : Module("Block") {
    fc1 = register_module("fc1", std::make_shared<nn::Linear>(8, 16));
    act = register_module("act", std::make_shared<nn::GELU>("tanh"));
    fc2 = register_module("fc2", std::make_shared<nn::Linear>(16, 8));
    norm = register_module("norm", std::make_shared<nn::LayerNorm>(8));
  }
  SymTensor forward(const SymTensor &x) override { return (*norm)(x + (*fc2)((*act)((*fc1)(x)))); }
};

TEST(Norm, TransformerStyleBlock) {
  Block block;
  checkBothModes(block, "block");
}

TEST(Norm, ParametersAndInitAsPyTorch) {
  nn::LayerNorm layer({3, 4});
  EXPECT_EQ(layer.state_dict().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_TRUE(allClose(layer.state_dict().at("weight"), Tensor::ones({3, 4})));
  EXPECT_TRUE(allClose(layer.state_dict().at("bias"), Tensor::zeros({3, 4})));
  EXPECT_TRUE(nn::LayerNorm(4, 1e-5, false).state_dict().keys().empty());
  nn::GroupNorm group(2, 6);
  EXPECT_TRUE(allClose(group.state_dict().at("weight"), Tensor::ones({6})));
  EXPECT_TRUE(allClose(group.state_dict().at("bias"), Tensor::zeros({6})));
  EXPECT_TRUE(nn::GroupNorm(2, 6, 1e-5, false).state_dict().keys().empty());
}

TEST(Activation, PrintedAsPyTorch) {
  EXPECT_EQ(nn::LeakyReLU().to_string(), "LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(nn::LeakyReLU(0.2, true).to_string(), "LeakyReLU(negative_slope=0.2, inplace=True)");
  EXPECT_EQ(nn::GELU().to_string(), "GELU(approximate='none')");
  EXPECT_EQ(nn::GELU("tanh").to_string(), "GELU(approximate='tanh')");
  EXPECT_EQ(nn::Sigmoid().to_string(), "Sigmoid()");
  EXPECT_EQ(nn::Tanh().to_string(), "Tanh()");
  EXPECT_EQ(nn::Hardswish().to_string(), "Hardswish()");
  EXPECT_EQ(nn::SiLU().to_string(), "SiLU()");
  EXPECT_EQ(nn::Softmax(1).to_string(), "Softmax(dim=1)");
  EXPECT_EQ(nn::LogSoftmax(-1).to_string(), "LogSoftmax(dim=-1)");
  EXPECT_EQ(nn::LayerNorm(64).to_string(), "LayerNorm((64,), eps=1e-05, elementwise_affine=True)");
  EXPECT_EQ(nn::LayerNorm({3, 4}, 1e-3, false).to_string(), "LayerNorm((3, 4), eps=0.001, elementwise_affine=False)");
  EXPECT_EQ(nn::GroupNorm(4, 32).to_string(), "GroupNorm(4, 32, eps=1e-05, affine=True)");
  EXPECT_EQ(nn::GroupNorm(2, 6, 1e-3, false).to_string(), "GroupNorm(2, 6, eps=0.001, affine=False)");
  EXPECT_EQ(nn::GroupNorm(4, 32).state_dict().keys(), (std::vector<std::string>{"weight", "bias"}));
}

/// F::gelu with an approximation PyTorch does not have.
struct Exact : nn::Module {
  Exact() : Module("Exact") {}
  SymTensor forward(const SymTensor &x) override { return F::gelu(x, "exact"); }
};

/// F::group_norm with 4 groups, whatever the channels.
struct GroupNormFn : nn::Module {
  GroupNormFn() : Module("GroupNormFn") {}
  SymTensor forward(const SymTensor &x) override { return F::group_norm(x, 4); }
};

TEST(Activation, ErrorsSayWhatPyTorchSays) {
  EXPECT_EQ(errorOf([] { nn::GELU("exact"); }), "approximate argument must be either none or tanh.");
  EXPECT_EQ(errorOf([] { nn::GroupNorm(3, 8); }), "num_channels must be divisible by num_groups");
  nn::Softmax softmax(5);
  EXPECT_EQ(errorOf([&] { trace(softmax, {{"x", {2, 3}}}); }),
            "<root> (Softmax): softmax: Dimension out of range (expected to be in range of [-2, 1], but got 5)");
  nn::LogSoftmax logSoftmax(-4);
  EXPECT_EQ(errorOf([&] { trace(logSoftmax, {{"x", {2, 3, 4}}}); }),
            "<root> (LogSoftmax): log_softmax: Dimension out of range (expected to be in range of [-3, 2], but "
            "got -4)");
  Exact exact;
  EXPECT_EQ(errorOf([&] { trace(exact, {{"x", {2, 3}}}); }),
            "<root> (Exact): gelu: approximate argument must be either none or tanh.");
  GroupNormFn groupFn;
  EXPECT_EQ(errorOf([&] { trace(groupFn, {{"x", {2, 6, 3}}}); }),
            "<root> (GroupNormFn): group_norm: Expected number of channels in input to be divisible by "
            "num_groups, but got input of shape [2, 6, 3] and num_groups=4");
  nn::LayerNorm norm({8});
  EXPECT_EQ(errorOf([&] { trace(norm, {{"x", {2, 7}}}); }),
            "<root> (LayerNorm): layer_norm: Given normalized_shape=[8], expected input with shape [*, 8], "
            "but got input of size[2, 7]");
  nn::GroupNorm group(2, 4);
  EXPECT_THAT(errorOf([&] { trace(group, {{"x", {2, 6, 3}}}); }),
              HasSubstr("weight and bias must be [6], got [4]"));
}

} // namespace
} // namespace nncc::testing
