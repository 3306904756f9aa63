// state_dict files: round trips, PyTorch's weights, strict loading that loads nothing on error,
// and partial loading with filtered and renamed keys.
#include "CustomModel.h"
#include "TensorGolden.h"

#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

std::string tempPath(const std::string &name) {
  return (std::filesystem::temp_directory_path() / ("nncc-" + std::to_string(::getpid()) + "-" + name)).string();
}

std::vector<float> values(const Tensor &t) { return std::vector<float>(t.data(), t.data() + t.numel()); }

TEST(Checkpoint, SaveThenLoadGivesTheSameState) {
  manual_seed(1);
  Custom a;
  manual_seed(2);
  Custom b;
  ASSERT_NE(values(a.state_dict().at("blocks.0.weight")), values(b.state_dict().at("blocks.0.weight")));
  std::string path = tempPath("roundtrip.safetensors");
  save_state_dict(a, path);
  nn::IncompatibleKeys keys = load_state_dict(b, path);
  EXPECT_TRUE(keys.missing_keys.empty());
  EXPECT_TRUE(keys.unexpected_keys.empty());
  for (const auto &[key, tensor] : a.state_dict())
    EXPECT_EQ(values(tensor), values(b.state_dict().at(key))) << key;
  std::filesystem::remove(path);
}

TEST(Checkpoint, LoadsWeightsWrittenFromPyTorch) {
  Custom model;
  load_state_dict(model, golden("custom/weights.safetensors"));
  StateDict file = load_safetensors(golden("custom/weights.safetensors"));
  EXPECT_EQ(values(model.state_dict().at("heads.a.weight")), values(file.at("heads.a.weight")));
}

TEST(Checkpoint, StrictFailureLoadsNothing) {
  Custom model;
  std::vector<float> before = values(model.state_dict().at("blocks.0.weight"));
  StateDict file = load_safetensors(golden("custom/weights.safetensors"));
  // A good checkpoint with one wrong shape and one extra key.
  StateDict broken = select(file, [](const std::string &k) { return k != "heads.b.weight"; });
  broken.insert("heads.b.weight", Tensor::zeros({8, 31}));
  broken.insert("extra", Tensor::zeros({1}));
  std::string path = tempPath("broken.safetensors");
  save_safetensors(broken, path);
  try {
    load_state_dict(model, path);
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_THAT(e.what(), HasSubstr("Unexpected key(s) in state_dict: \"extra\". "));
    EXPECT_THAT(e.what(), HasSubstr("size mismatch for heads.b.weight: copying a param with shape "
                                    "torch.Size([8, 31]) from checkpoint, the shape in current model "
                                    "is torch.Size([8, 32])."));
  }
  EXPECT_EQ(values(model.state_dict().at("blocks.0.weight")), before);
  std::filesystem::remove(path);
}

TEST(Checkpoint, PartialLoadingWithFilteredAndRenamedKeys) {
  // A checkpoint of a bigger model whose blocks lived under "backbone.".
  StateDict file = load_safetensors(golden("custom/weights.safetensors"));
  StateDict old = renamed(select(file, [](const std::string &k) { return k.rfind("blocks.", 0) == 0; }),
                          [](const std::string &k) { return "backbone." + k; });
  Custom model;
  StateDict mine = renamed(select(old, [](const std::string &k) { return k.rfind("backbone.", 0) == 0; }),
                           [](const std::string &k) { return k.substr(std::string("backbone.").size()); });
  nn::IncompatibleKeys keys = model.load_state_dict(mine, /*strict=*/false);
  EXPECT_EQ(keys.missing_keys,
            (std::vector<std::string>{"scale", "heads.a.weight", "heads.a.bias", "heads.b.weight"}));
  EXPECT_TRUE(keys.unexpected_keys.empty());
  EXPECT_EQ(values(model.state_dict().at("blocks.1.bias")), values(file.at("blocks.1.bias")));
  EXPECT_THROW(renamed(file, [](const std::string &) { return std::string("same"); }), Error);
}

TEST(Checkpoint, MalformedFilesAreErrorsNamingThePath) {
  std::string path = tempPath("truncated.safetensors");
  {
    std::ifstream in(golden("custom/weights.safetensors"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  Custom model;
  try {
    load_state_dict(model, path);
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
  }
  EXPECT_THROW(load_state_dict(model, "/nonexistent/w.safetensors"), Error);
  std::filesystem::remove(path);
}

} // namespace
} // namespace nncc::testing
