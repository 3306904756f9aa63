// Tests for StateDict: ordered aliasing entries, safetensors round trips, PyTorch's file.
#include "frontend/StateDict.h"
#include "frontend/Error.h"

#include <gtest/gtest.h>

#include <fstream>

using nncc::Error;
using nncc::StateDict;
using nncc::Tensor;

namespace {

std::string golden(const std::string &rel) { return std::string(NNCC_GOLDEN_DIR) + "/" + rel; }

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "state_dict_test_" + name;
}

template <typename Fn> std::string errorOf(Fn fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

std::vector<float> values(const Tensor &t) { return {t.data(), t.data() + t.numel()}; }

} // namespace

TEST(StateDict, KeepsInsertionOrderAndReplacesInPlace) {
  StateDict dict;
  dict.insert("b.weight", Tensor::zeros({2}));
  dict.insert("a.bias", Tensor::ones({1}));
  dict.insert("b.weight", Tensor::full({3}, 4.0f));
  EXPECT_EQ(dict.size(), 2u);
  EXPECT_EQ(dict.keys(), (std::vector<std::string>{"b.weight", "a.bias"}));
  EXPECT_EQ(values(dict.at("b.weight")), std::vector<float>(3, 4.0f));
  EXPECT_TRUE(dict.contains("a.bias"));
  EXPECT_FALSE(dict.contains("a"));
  EXPECT_EQ(dict.find("missing"), nullptr);
  EXPECT_EQ(errorOf([&] { dict.at("missing"); }), "key 'missing' not in state_dict");
}

TEST(StateDict, EntriesAliasTheirTensors) {
  Tensor weight = Tensor::zeros({2});
  StateDict dict;
  dict.insert("w", weight);
  dict.at("w").clone(); // a clone must not disturb the alias
  Tensor view = dict.at("w");
  view.data()[0] = 3.0f;
  EXPECT_EQ(weight.data()[0], 3.0f);
  EXPECT_EQ(dict.at("w").id(), weight.id());
}

TEST(StateDict, SafetensorsRoundTripKeepsKeysShapesAndValues) {
  StateDict dict;
  dict.insert("scale", Tensor::fromVector({3}, {0.5f, 1.0f, 2.0f}));
  dict.insert("layer.weight", Tensor::fromVector({2, 2}, {1, -2, 3.5f, -4}));
  dict.insert("layer.empty", Tensor::zeros({0, 3}));
  std::string path = tempPath("roundtrip.safetensors");
  nncc::save_safetensors(dict, path);
  StateDict loaded = nncc::load_safetensors(path);
  EXPECT_EQ(loaded.keys(), dict.keys());
  for (const auto &[key, tensor] : dict) {
    EXPECT_EQ(loaded.at(key).shape(), tensor.shape()) << key;
    EXPECT_EQ(values(loaded.at(key)), values(tensor)) << key;
    EXPECT_NE(loaded.at(key).id(), tensor.id()) << key;
  }
}

TEST(StateDict, LoadsTheFileWrittenByPyTorch) {
  StateDict dict = nncc::load_safetensors(golden("custom/weights.safetensors"));
  std::ifstream keysFile(golden("custom/state_dict_keys.txt"));
  std::vector<std::string> expectedKeys;
  for (std::string line; std::getline(keysFile, line);)
    expectedKeys.push_back(line);
  ASSERT_EQ(expectedKeys.size(), 8u);
  EXPECT_EQ(dict.keys(), expectedKeys);
  EXPECT_EQ(dict.at("blocks.1.weight").shape(), (nncc::Shape{32, 32}));
  EXPECT_EQ(dict.at("heads.a.bias").shape(), (nncc::Shape{8}));
  EXPECT_EQ(dict.at("scale").data()[1], 0.7142857313156128f);
  EXPECT_EQ(dict.at("scale").data()[7], 2.0f);
}

TEST(StateDict, FileErrorsNameThePath) {
  std::string missing = tempPath("missing.safetensors");
  EXPECT_EQ(errorOf([&] { nncc::load_safetensors(missing); }).rfind(missing + ": cannot open", 0),
            0u);
  std::string garbage = tempPath("garbage.safetensors");
  std::ofstream(garbage) << "not a safetensors file";
  EXPECT_EQ(errorOf([&] { nncc::load_safetensors(garbage); }),
            garbage + ": header length 7021991845529153390 exceeds the limit of 100000000 bytes");
  StateDict withNone;
  withNone.insert("bias", Tensor());
  std::string out = tempPath("none.safetensors");
  EXPECT_EQ(errorOf([&] { nncc::save_safetensors(withNone, out); }),
            out + ": state_dict entry 'bias' is undefined and cannot be saved");
}
