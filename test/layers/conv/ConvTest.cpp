// Convolution, padding and pooling layers, and the small CNNs and ResNet blocks, against PyTorch
// goldens: initial weights from the same seed, outputs from the interpreter and the JIT, train-mode
// BatchNorm statistics; printing, and errors that name the module path.
#include "../LayerCheck.h"
#include "../../ReferenceModels.h"

#include <gmock/gmock.h>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;
using Make = std::function<std::shared_ptr<nn::Module>()>;

template <typename M, typename... Args> Make make(Args... args) {
  return [=] { return std::static_pointer_cast<nn::Module>(std::make_shared<M>(args...)); };
}

/// F::pad as a module, for the functional padding cases (make_conv_goldens.py's Pad).
struct Pad : nn::Module {
  Pad(std::array<int64_t, 4> pads, std::string mode, double value = 0.0)
      : Module("Pad"), pads(pads), mode(std::move(mode)), value(value) {}
  SymTensor forward(const SymTensor &x) override { return F::pad(x, pads, mode, value); }
  std::array<int64_t, 4> pads;
  std::string mode;
  double value;
};

/// The case list of make_conv_goldens.py, in its order: seeds 50, 51, ...
const std::vector<std::pair<std::string, Make>> &layerCases() {
  using nn::Size2;
  static const std::vector<std::pair<std::string, Make>> cases{
      {"conv2d_basic", make<nn::Conv2d>(3, 4, 3)},
      {"conv2d_stride_pad", make<nn::Conv2d>(3, 4, 3, 2, 1)},
      {"conv2d_tuples", make<nn::Conv2d>(3, 4, Size2(3, 2), Size2(2, 1), nn::Padding(1, 0), Size2(1, 2))},
      {"conv2d_same_dilation", make<nn::Conv2d>(3, 4, 4, 1, nn::Padding("same"), 2)},
      {"conv2d_valid_no_bias", make<nn::Conv2d>(3, 4, 3, 1, nn::Padding("valid"), 1, 1, false)},
      {"conv2d_groups", make<nn::Conv2d>(4, 6, 3, 1, 1, 1, 2)},
      {"conv2d_depthwise", make<nn::Conv2d>(4, 4, 3, 1, 1, 1, 4)},
      {"conv2d_reflect", make<nn::Conv2d>(2, 3, 3, 1, 2, 1, 1, true, std::string("reflect"))},
      {"conv2d_replicate", make<nn::Conv2d>(2, 3, 3, 1, 2, 1, 1, true, std::string("replicate"))},
      {"conv2d_circular", make<nn::Conv2d>(2, 3, 3, 1, nn::Padding(1, 2), 1, 1, true, std::string("circular"))},
      {"conv1d", make<nn::Conv1d>(3, 5, 3, 2, 1)},
      {"conv1d_reflect_dilation", make<nn::Conv1d>(3, 2, 3, 1, 2, 2, 1, true, std::string("reflect"))},
      {"conv_transpose2d", make<nn::ConvTranspose2d>(4, 3, 3, 2, 1, 1)},
      {"conv_transpose2d_groups", make<nn::ConvTranspose2d>(4, 6, 2, 2, 0, 0, 2, false)},
      {"conv_transpose2d_dilation", make<nn::ConvTranspose2d>(2, 3, 3, 1, 1, 0, 1, true, 2)},
      {"max_pool", make<nn::MaxPool2d>(2)},
      {"max_pool_stride_pad", make<nn::MaxPool2d>(3, Size2(2), 1)},
      {"max_pool_ceil", make<nn::MaxPool2d>(3, Size2(2), 0, 1, true)},
      {"max_pool_dilation", make<nn::MaxPool2d>(2, Size2(1), 0, 2)},
      {"avg_pool", make<nn::AvgPool2d>(2)},
      {"avg_pool_pad", make<nn::AvgPool2d>(3, Size2(2), 1)},
      {"avg_pool_pad_exclude", make<nn::AvgPool2d>(3, Size2(2), 1, false, false)},
      {"avg_pool_ceil", make<nn::AvgPool2d>(3, Size2(2), 0, true)},
      {"avg_pool_divisor", make<nn::AvgPool2d>(2, std::nullopt, 0, false, true, std::optional<int64_t>(3))},
      {"adaptive_avg_pool_1", make<nn::AdaptiveAvgPool2d>(1)},
      {"adaptive_avg_pool_3x2", make<nn::AdaptiveAvgPool2d>(Size2(3, 2))},
      {"conv2d_same_even_kernel", make<nn::Conv2d>(2, 3, Size2(4, 2), 1, nn::Padding("same"))},
      {"conv2d_same_reflect", make<nn::Conv2d>(2, 3, 3, 1, nn::Padding("same"), 2, 1, true, std::string("reflect"))},
      {"conv2d_unbatched", make<nn::Conv2d>(3, 4, 3, 1, 1)},
      {"conv1d_circular_groups", make<nn::Conv1d>(4, 6, 3, 1, 1, 1, 2, true, std::string("circular"))},
      {"conv_transpose2d_crop", make<nn::ConvTranspose2d>(4, 2, 3, 2, 3)},
      {"conv_transpose2d_depthwise", make<nn::ConvTranspose2d>(3, 3, 3, 2, 0, 0, 3)},
      {"max_pool_rect_ceil_pad", make<nn::MaxPool2d>(Size2(2, 3), Size2(1, 2), 1, 1, true)},
      {"avg_pool_ceil_pad", make<nn::AvgPool2d>(3, Size2(2), 1, true)},
      {"avg_pool_ceil_pad_exclude", make<nn::AvgPool2d>(3, Size2(2), 1, true, false)},
      {"adaptive_avg_pool_unbatched", make<nn::AdaptiveAvgPool2d>(Size2(2, 3))},
      {"pad_constant", make<Pad>(std::array<int64_t, 4>{1, 2, 0, 3}, std::string("constant"), 0.5)},
      {"pad_reflect", make<Pad>(std::array<int64_t, 4>{2, 1, 1, 3}, std::string("reflect"))},
      {"pad_replicate", make<Pad>(std::array<int64_t, 4>{0, 3, 2, 1}, std::string("replicate"))},
      {"pad_circular", make<Pad>(std::array<int64_t, 4>{1, 2, 3, 0}, std::string("circular"))},
  };
  return cases;
}

std::vector<float> values(const Tensor &t) { return std::vector<float>(t.data(), t.data() + t.numel()); }

void checkInitialWeights(nn::Module &module, const std::string &dir) {
  StateDict expected = load_safetensors(golden(dir + "/weights.safetensors"));
  EXPECT_EQ(module.state_dict().keys(), expected.keys());
  for (const auto &[key, tensor] : module.state_dict())
    EXPECT_EQ(values(tensor), values(expected.at(key))) << dir << " " << key;
}

TEST(Conv, EveryLayerCaseMatchesPyTorch) {
  int64_t seed = 50;
  for (const auto &[name, factory] : layerCases()) {
    manual_seed(seed++);
    std::shared_ptr<nn::Module> module = factory();
    if (!module->state_dict().keys().empty())
      checkInitialWeights(*module, "conv/" + name);
    checkLayer(*module, "conv/" + name, /*training=*/false);
    checkLayer(*module, "conv/" + name, /*training=*/true);
  }
}

/// Conv-ReLU-MaxPool-Conv(stride 2)-ReLU-AdaptiveAvgPool-Flatten-Linear, without BatchNorm.
std::shared_ptr<nn::Sequential> smallCnn() {
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Conv2d>(3, 8, 3, 1, 1), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::MaxPool2d>(2),          std::make_shared<nn::Conv2d>(8, 16, 3, 2, 1),
      std::make_shared<nn::ReLU>(),                std::make_shared<nn::AdaptiveAvgPool2d>(1),
      std::make_shared<nn::Flatten>(),             std::make_shared<nn::Linear>(16, 10)};
  return std::make_shared<nn::Sequential>(layers);
}

TEST(WholeModels, SmallCnnWithPooling) {
  manual_seed(95);
  auto model = smallCnn();
  checkInitialWeights(*model, "conv/small_cnn");
  EXPECT_EQ(model->to_string(), "Sequential(\n"
                                "  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
                                "  (1): ReLU()\n"
                                "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                                "  (3): Conv2d(8, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))\n"
                                "  (4): ReLU()\n"
                                "  (5): AdaptiveAvgPool2d(output_size=1)\n"
                                "  (6): Flatten(start_dim=1, end_dim=-1)\n"
                                "  (7): Linear(in_features=16, out_features=10, bias=True)\n"
                                ")");
  checkLayer(*model, "conv/small_cnn");
}

TEST(WholeModels, SmallCnnInEvalAndTrainMode) {
  manual_seed(90);
  auto eval = cnn();
  checkInitialWeights(*eval, "conv/cnn_eval");
  checkLayer(*eval, "conv/cnn_eval", /*training=*/false, 1e-4);
  manual_seed(91);
  auto train = cnn();
  checkLayer(*train, "conv/cnn_train", /*training=*/true, 1e-4);
}

TEST(WholeModels, TwoResNetBasicBlocksInEvalAndTrainMode) {
  manual_seed(92);
  auto eval = resnetBlocks();
  checkInitialWeights(*eval, "conv/resnet_blocks_eval");
  checkLayer(*eval, "conv/resnet_blocks_eval", /*training=*/false, 1e-4);
  manual_seed(93);
  auto train = resnetBlocks();
  checkLayer(*train, "conv/resnet_blocks_train", /*training=*/true, 1e-4);
}

TEST(Conv, LazyConv2dTakesItsChannelsFromTheInputOrAFile) {
  auto lazyModel = [] {
    return std::make_shared<nn::Sequential>(std::vector<std::shared_ptr<nn::Module>>{
        std::make_shared<nn::LazyConv2d>(4, 3, 1, 1), std::make_shared<nn::ReLU>()});
  };
  manual_seed(94);
  auto drawn = lazyModel();
  EXPECT_EQ((*drawn)[0]->to_string(), "LazyConv2d(0, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
  Tensor x = loadTensor(golden("conv/lazy_conv2d/input.npy"));
  Tensor y = compile(*drawn, {{"x", x.shape()}})->forward({x})[0];
  EXPECT_TRUE(allClose(y, loadTensor(golden("conv/lazy_conv2d/output.npy"))));
  checkInitialWeights(*drawn, "conv/lazy_conv2d");
  EXPECT_EQ((*drawn)[0]->to_string(), "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
  auto loaded = lazyModel();
  checkLayer(*loaded, "conv/lazy_conv2d");
  EXPECT_EQ((*loaded)[0]->to_string(), "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
}

TEST(Conv, PrintedAsPyTorch) {
  EXPECT_EQ(nn::Conv2d(3, 32, 3, 1, 1).to_string(), "Conv2d(3, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
  EXPECT_EQ(nn::Conv2d(4, 4, 3, 2, nn::Padding("valid"), 1, 4, false, "zeros").to_string(),
            "Conv2d(4, 4, kernel_size=(3, 3), stride=(2, 2), padding=valid, groups=4, bias=False)");
  EXPECT_EQ(nn::Conv2d(2, 3, 3, 1, 2, 1, 1, true, "reflect").to_string(),
            "Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), padding=(2, 2), padding_mode=reflect)");
  EXPECT_EQ(nn::Conv1d(3, 5, 3, 2, 1).to_string(), "Conv1d(3, 5, kernel_size=(3,), stride=(2,), padding=(1,))");
  EXPECT_EQ(nn::ConvTranspose2d(4, 3, 3, 2, 1, 1).to_string(),
            "ConvTranspose2d(4, 3, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))");
  EXPECT_EQ(nn::MaxPool2d(2).to_string(), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
  EXPECT_EQ(nn::AvgPool2d(3, nn::Size2(2), 1).to_string(), "AvgPool2d(kernel_size=3, stride=2, padding=1)");
  EXPECT_EQ(nn::AdaptiveAvgPool2d(nn::Size2(3, 2)).to_string(), "AdaptiveAvgPool2d(output_size=(3, 2))");
  EXPECT_EQ(nn::Conv2d(3, 4, 3, 1, nn::Padding("same"), 1, 1, true, "circular").to_string(),
            "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, padding_mode=circular)");
  EXPECT_EQ(nn::Conv2d(3, 4, nn::Size2(3, 3), 1, nn::Padding(1, 2), nn::Size2(2, 1)).to_string(),
            "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 2), dilation=(2, 1))");
  EXPECT_EQ(nn::Conv1d(3, 4, 3, 1, nn::Padding("same")).to_string(),
            "Conv1d(3, 4, kernel_size=(3,), stride=(1,), padding=same)");
  EXPECT_EQ(nn::ConvTranspose2d(4, 4, 3, 1, 0, 0, 2, false, 2).to_string(),
            "ConvTranspose2d(4, 4, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2), groups=2, bias=False)");
  EXPECT_EQ(nn::MaxPool2d(nn::Size2(2, 3), nn::Size2(1, 2), nn::Size2(1, 1), 1, true).to_string(),
            "MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), dilation=1, ceil_mode=True)");
  EXPECT_EQ(nn::AvgPool2d(2, std::nullopt, 0, true, false, 3).to_string(),
            "AvgPool2d(kernel_size=2, stride=2, padding=0)");
}

TEST(Conv, ErrorsSayWhatPyTorchSays) {
  EXPECT_EQ(errorOf([] { nn::Conv2d(3, 4, 3, 1, 0, 1, 2); }), "in_channels must be divisible by groups");
  EXPECT_EQ(errorOf([] { nn::Conv2d(4, 3, 3, 1, 0, 1, 2); }), "out_channels must be divisible by groups");
  EXPECT_EQ(errorOf([] { nn::Conv2d(3, 4, 3, 2, nn::Padding("same")); }),
            "padding='same' is not supported for strided convolutions");
  EXPECT_EQ(errorOf([] { nn::Conv2d(3, 4, 3, 1, nn::Padding("full")); }),
            "Invalid padding string 'full', should be one of ['valid', 'same']");
  EXPECT_EQ(errorOf([] { nn::Conv2d(3, 4, 3, 1, 0, 1, 1, true, "mirror"); }),
            "padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='mirror'");
  nn::Conv2d conv(3, 4, 3);
  EXPECT_EQ(errorOf([&] { trace(conv, {{"x", {1, 5, 8, 8}}}); }),
            "<root> (Conv2d): conv2d: Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 5, 8, 8] to "
            "have 3 channels, but got 5 channels instead");
  nn::MaxPool2d pool(3, nn::Size2(1), 2);
  EXPECT_THAT(errorOf([&] { trace(pool, {{"x", {1, 1, 5, 5}}}); }),
              HasSubstr("pad should be at most half of kernel size, but got pad=2 and kernel_size=3"));
  EXPECT_EQ(errorOf([] { nn::Conv2d(3, 4, 3, 1, 0, 1, 0); }), "groups must be a positive integer");
  EXPECT_EQ(errorOf([] { nn::ConvTranspose2d(3, 4, 3, 1, 0, 0, 1, true, 1, "reflect"); }),
            "Only \"zeros\" padding mode is supported for ConvTranspose2d");
}

/// A model whose second block gets the wrong number of channels: errors name the path of the
/// module that recorded the op.
struct TwoBlocks : nn::Module {
  std::shared_ptr<nn::Sequential> features;
  TwoBlocks() : Module("TwoBlocks") {
    std::vector<std::shared_ptr<nn::Module>> layers{
        std::make_shared<nn::Conv2d>(3, 8, 3, 1, 1), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::Conv2d>(4, 8, 3, 1, 1, 1, 1, true, "reflect")};
    features = register_module("features", std::make_shared<nn::Sequential>(layers));
  }
  SymTensor forward(const SymTensor &x) override { return (*features)(x); }
};

TEST(Conv, RecordingErrorsNameTheModulePath) {
  TwoBlocks model;
  EXPECT_EQ(errorOf([&] { trace(model, {{"x", {1, 3, 8, 8}}}); }),
            "features.2 (Conv2d): conv2d: Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 8, 10, 10] "
            "to have 4 channels, but got 8 channels instead");
  EXPECT_EQ(errorOf([&] { trace(model, {{"x", {3, 8}}}); }),
            "features.0 (Conv2d): conv2d: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of "
            "size: [3, 8]");
  nn::Conv1d conv1d(3, 4, 3, 1, 1, 1, 1, true, "reflect");
  EXPECT_EQ(errorOf([&] { trace(conv1d, {{"x", {1, 3, 4, 5}}}); }),
            "<root> (Conv1d): conv1d: Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: "
            "[1, 3, 4, 5]");
  nn::ConvTranspose2d up(4, 2, 3, 1, 4);
  EXPECT_EQ(errorOf([&] { trace(up, {{"x", {1, 4, 3, 3}}}); }),
            "<root> (ConvTranspose2d): conv_transpose2d: Given input size per channel: (3 x 3). Calculated output size "
            "per channel: (-3 x -3). Output size is too small");
  nn::Conv2d big(3, 4, 5, 1, 0, 2);
  EXPECT_EQ(errorOf([&] { trace(big, {{"x", {1, 3, 8, 8}}}); }),
            "<root> (Conv2d): conv2d: Calculated padded input size per channel: (8 x 8). Kernel size: (9 x 9). Kernel "
            "size can't be greater than actual input size");
  nn::AdaptiveAvgPool2d adaptive(2);
  EXPECT_EQ(errorOf([&] { trace(adaptive, {{"x", {4, 5}}}); }),
            "<root> (AdaptiveAvgPool2d): adaptive_avg_pool2d: adaptive_avg_pool2d(): Expected 3D or 4D tensor, but "
            "got [4, 5]");
  nn::AvgPool2d avg(2, std::nullopt, 0, false, true, 0);
  EXPECT_EQ(errorOf([&] { trace(avg, {{"x", {1, 1, 4, 4}}}); }),
            "<root> (AvgPool2d): avg_pool2d: divisor must be not zero");
  nn::MaxPool2d tooLarge(7);
  EXPECT_EQ(errorOf([&] { trace(tooLarge, {{"x", {1, 1, 5, 5}}}); }),
            "<root> (MaxPool2d): max_pool2d: Given input size: (1x5x5). Calculated output size: (1x0x0). Output size "
            "is too small");
}

/// A padding_mode other than zeros records an nn.pad and then a conv with no padding of its own.
TEST(Conv, PaddingModesRecordPadThenConv) {
  nn::Conv2d conv(2, 3, 3, 1, 1, 1, 1, true, "circular");
  TracedModel traced = trace(conv, {{"x", {1, 2, 5, 5}}});
  std::string ir = printIR(traced.module->getOperation(), /*withLocations=*/false);
  EXPECT_THAT(ir, HasSubstr("nn.pad %"));
  EXPECT_THAT(ir, HasSubstr("mode = \"circular\", pads = array<i64: 1, 1, 1, 1>"));
  EXPECT_THAT(ir, HasSubstr("padding = array<i64: 0, 0>"));
}

} // namespace
} // namespace nncc::testing
