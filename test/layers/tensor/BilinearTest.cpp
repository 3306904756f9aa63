// Bilinear: a two-input module recorded through a trace body, PyTorch's init from the same seed.
#include "../LayerCheck.h"

namespace nncc::testing {
namespace {

TEST(Bilinear, TwoInputsMatchPyTorchFromTheSameSeed) {
  manual_seed(15);
  nn::Bilinear model(5, 3, 4);
  EXPECT_EQ(model.to_string(), "Bilinear(in1_features=5, in2_features=3, out_features=4, bias=True)");
  StateDict expected = load_safetensors(golden("tensor/bilinear/weights.safetensors"));
  for (const auto &[key, tensor] : model.state_dict())
    EXPECT_EQ(std::vector<float>(tensor.data(), tensor.data() + tensor.numel()),
              std::vector<float>(expected.at(key).data(), expected.at(key).data() + expected.at(key).numel()))
        << key;
  Tensor x1 = loadTensor(golden("tensor/bilinear/input1.npy"));
  Tensor x2 = loadTensor(golden("tensor/bilinear/input2.npy"));
  Tensor y = loadTensor(golden("tensor/bilinear/output.npy"));
  std::vector<InputSpec> specs{{"x1", x1.shape()}, {"x2", x2.shape()}};
  ForwardBody body = [&](const std::vector<SymTensor> &in) {
    return std::vector<SymTensor>{model(in[0], in[1])};
  };
  TracedModel traced = trace(model, specs, body);
  EXPECT_EQ(traced.calls.back().path, "");
  EXPECT_EQ(traced.calls.back().outputShape, (Shape{6, 4}));
  EXPECT_TRUE(allClose(interpret(*traced.module, "forward", {x1, x2}, model.state_dict())[0], y));
  EXPECT_TRUE(allClose(compile(model, specs, body)->forward({x1, x2})[0], y));
  std::vector<Tensor> onCuda = emulatedForward(*trace(model, specs, body).module, {x1, x2}, model.state_dict(), "bilinear");
  ASSERT_EQ(onCuda.size(), 1u);
  EXPECT_TRUE(allClose(onCuda[0], y)) << "CUDA (emulated)";
}

TEST(Bilinear, SingleInputForwardIsAnError) {
  nn::Bilinear model(2, 2, 2);
  EXPECT_THROW(trace(model, {{"x", {1, 2}}}), Error);
}

} // namespace
} // namespace nncc::testing
