// LazyLinear: parameters materialized by the first forward (with PyTorch's draws from the same
// seed) or by load_state_dict, the error for using them before, and becoming a Linear.
#include "../LayerCheck.h"

#include <gmock/gmock.h>

#include <fstream>

namespace nncc::testing {
namespace {

std::shared_ptr<nn::Sequential> lazyModel() {
  std::vector<std::shared_ptr<nn::Module>> layers{std::make_shared<nn::LazyLinear>(16),
                                                  std::make_shared<nn::ReLU>(),
                                                  std::make_shared<nn::Linear>(16, 4)};
  return std::make_shared<nn::Sequential>(layers);
}

std::string readText(const std::string &path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(LazyLinear, FirstForwardDrawsPyTorchsWeights) {
  manual_seed(12);
  auto model = lazyModel();
  EXPECT_EQ(model->to_string(), "Sequential(\n  (0): LazyLinear(in_features=0, out_features=16, bias=True)\n"
                                "  (1): ReLU()\n  (2): Linear(in_features=16, out_features=4, bias=True)\n)");
  Tensor x = loadTensor(golden("tensor/lazy/input.npy"));
  Tensor y = compile(*model, {{"x", x.shape()}})->forward({x})[0];
  EXPECT_TRUE(allClose(y, loadTensor(golden("tensor/lazy/output.npy"))));
  StateDict expected = load_safetensors(golden("tensor/lazy/weights.safetensors"));
  for (const auto &[key, tensor] : model->state_dict())
    EXPECT_EQ(std::vector<float>(tensor.data(), tensor.data() + tensor.numel()),
              std::vector<float>(expected.at(key).data(), expected.at(key).data() + expected.at(key).numel()))
        << key;
  EXPECT_EQ(model->to_string(), readText(golden("tensor/lazy/repr.txt")));
}

TEST(LazyLinear, LoadStateDictTakesShapesFromTheFile) {
  auto model = lazyModel();
  load_state_dict(*model, golden("tensor/lazy/weights.safetensors"));
  auto *lazy = static_cast<nn::LazyLinear *>((*model)[0].get());
  EXPECT_FALSE(lazy->has_uninitialized_params());
  EXPECT_EQ(lazy->in_features(), 10);
  checkLayer(*model, "tensor/lazy");
}

TEST(LazyLinear, UsingParametersBeforeTheyExistIsAnError) {
  nn::LazyLinear lazy(8);
  try {
    lazy.weight().shape();
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Can't access the shape of an uninitialized parameter"));
  }
  EXPECT_EQ(lazy.num_parameters(), 0u);
  EXPECT_EQ(lazy.state_dict().keys(), (std::vector<std::string>{"weight", "bias"}));
}

} // namespace
} // namespace nncc::testing
