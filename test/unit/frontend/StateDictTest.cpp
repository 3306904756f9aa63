// Module::state_dict keys and aliasing, and load_state_dict's strict/non-strict rules and error text.
#include "FrontendTestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace nncc;
using nncc::test::errorOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

/// `dict` without the entries named in `drop`, order kept.
StateDict without(const StateDict &dict, const std::vector<std::string> &drop) {
  StateDict out;
  for (const auto &[key, tensor] : dict)
    if (std::find(drop.begin(), drop.end(), key) == drop.end())
      out.insert(key, tensor);
  return out;
}

/// A fresh copy of every tensor, so loading it does not alias the source.
StateDict cloned(const StateDict &dict) {
  StateDict out;
  for (const auto &[key, tensor] : dict)
    out.insert(key, tensor.clone());
  return out;
}

TEST(StateDictSave, NestedKeysAsPyTorch) {
  test::Net net;
  EXPECT_THAT(net.state_dict().keys(),
              ElementsAre("running_mean", "features.0.weight", "features.0.bias",
                          "features.2.0.weight", "features.2.0.bias", "heads.cls.weight"));
  EXPECT_THAT(net.heads->state_dict("heads.").keys(), ElementsAre("heads.cls.weight"));
}

TEST(StateDictSave, EntriesAliasModuleStorage) {
  nn::Linear fc(3, 2);
  StateDict dict = fc.state_dict();
  EXPECT_EQ(dict.at("weight").id(), fc.weight().id());
  EXPECT_EQ(dict.at("bias").id(), fc.bias().id());
}

TEST(StateDictSave, SkipsNoneAndNonPersistent) {
  nn::Module m("Block");
  m.register_parameter("w", Tensor::zeros({1}));
  m.register_parameter("none", Tensor());
  m.register_buffer("kept", Tensor::zeros({1}));
  m.register_buffer("scratch", Tensor::zeros({1}), /*persistent=*/false);
  m.register_buffer("none_buf", Tensor());
  EXPECT_THAT(m.state_dict().keys(), ElementsAre("w", "kept"));
}

TEST(StateDictSave, SharedModuleAppearsUnderEveryPath) {
  // state_dict keeps no memo: Sequential(l, l) has keys for "0" and "1".
  auto fc = std::make_shared<nn::Linear>(1, 1);
  nn::Sequential seq(fc, fc);
  EXPECT_THAT(seq.state_dict().keys(), ElementsAre("0.weight", "0.bias", "1.weight", "1.bias"));
}

TEST(StateDictLoad, StrictCopiesIntoExistingTensors) {
  test::Net source;
  test::Net target;
  const void *weightId = target.get_parameter("features.0.weight").id();
  source.buffer("running_mean").data()[1] = 7.0f;

  nn::IncompatibleKeys keys = target.load_state_dict(cloned(source.state_dict()));
  EXPECT_THAT(keys.missing_keys, IsEmpty());
  EXPECT_THAT(keys.unexpected_keys, IsEmpty());
  EXPECT_EQ(target.get_parameter("features.0.weight").id(), weightId);
  for (const auto &[key, tensor] : source.state_dict()) {
    Tensor loaded = target.state_dict().at(key);
    ASSERT_EQ(loaded.numel(), tensor.numel()) << key;
    for (int64_t i = 0; i < tensor.numel(); ++i)
      ASSERT_EQ(loaded.data()[i], tensor.data()[i]) << key << "[" << i << "]";
  }
  EXPECT_EQ(target.buffer("running_mean").data()[1], 7.0f);
}

TEST(StateDictLoad, StrictListsEverythingInOneError) {
  // The PyTorch twin of test::Net gives this exact message for the same dict.
  test::Net net;
  StateDict dict = without(net.state_dict(), {"features.0.bias", "running_mean"});
  dict.insert("features.9.weight", Tensor::zeros({1}));
  dict.insert("bogus", Tensor::zeros({1}));
  dict.insert("heads.cls.bias", Tensor::zeros({2}));
  dict.insert("features.2.0.weight", Tensor::zeros({5, 5}));
  EXPECT_EQ(errorOf([&] { net.load_state_dict(dict); }),
            "Error(s) in loading state_dict for Net:\n"
            "\tMissing key(s) in state_dict: \"running_mean\", \"features.0.bias\". \n"
            "\tUnexpected key(s) in state_dict: \"bogus\", \"features.9.weight\", "
            "\"heads.cls.bias\". \n"
            "\tsize mismatch for features.2.0.weight: copying a param with shape "
            "torch.Size([5, 5]) from checkpoint, the shape in current model is "
            "torch.Size([10, 512]).");
}

TEST(StateDictLoad, NonStrictStillThrowsForSizeMismatch) {
  test::Net net;
  StateDict dict = without(net.state_dict(), {"features.0.bias"});
  dict.insert("features.2.0.weight", Tensor::zeros({5, 5}));
  dict.insert("bogus", Tensor::zeros({1}));
  EXPECT_EQ(errorOf([&] { net.load_state_dict(dict, /*strict=*/false); }),
            "Error(s) in loading state_dict for Net:\n"
            "\tsize mismatch for features.2.0.weight: copying a param with shape "
            "torch.Size([5, 5]) from checkpoint, the shape in current model is "
            "torch.Size([10, 512]).");
}

TEST(StateDictLoad, AllSizeMismatchesAreListed) {
  nn::Linear fc(2, 3);
  StateDict dict;
  dict.insert("weight", Tensor::zeros({3, 4}));
  dict.insert("bias", Tensor::zeros({2}));
  dict.insert("extra", Tensor::zeros({1}));
  EXPECT_EQ(errorOf([&] { fc.load_state_dict(dict); }),
            "Error(s) in loading state_dict for Linear:\n"
            "\tUnexpected key(s) in state_dict: \"extra\". \n"
            "\tsize mismatch for weight: copying a param with shape torch.Size([3, 4]) from "
            "checkpoint, the shape in current model is torch.Size([3, 2]).\n"
            "\tsize mismatch for bias: copying a param with shape torch.Size([2]) from "
            "checkpoint, the shape in current model is torch.Size([3]).");
}

TEST(StateDictLoad, NonStrictLoadsMatchesAndReturnsTheRest) {
  nn::Linear fc(2, 3);
  Tensor oldBias = fc.bias().clone();
  StateDict dict;
  dict.insert("weight", Tensor::full({3, 2}, 0.5f));
  dict.insert("x.y", Tensor::zeros({1}));
  nn::IncompatibleKeys keys = fc.load_state_dict(dict, /*strict=*/false);
  EXPECT_THAT(keys.missing_keys, ElementsAre("bias"));
  EXPECT_THAT(keys.unexpected_keys, ElementsAre("x.y"));
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(fc.weight().data()[i], 0.5f);
  for (int64_t i = 0; i < 3; ++i)
    EXPECT_EQ(fc.bias().data()[i], oldBias.data()[i]);
}

TEST(StateDictLoad, StrictMissingOnly) {
  nn::Sequential seq(std::make_shared<nn::Linear>(2, 2), std::make_shared<nn::Linear>(2, 1));
  StateDict dict = without(seq.state_dict(), {"1.weight", "1.bias"});
  EXPECT_EQ(errorOf([&] { seq.load_state_dict(dict); }),
            "Error(s) in loading state_dict for Sequential:\n"
            "\tMissing key(s) in state_dict: \"1.weight\", \"1.bias\". ");
}

TEST(StateDictLoad, NoneParameterAndNonPersistentBufferKeysAreUnexpected) {
  nn::Module m("Block");
  m.register_parameter("weight", Tensor::zeros({2}));
  m.register_parameter("bias", Tensor());
  m.register_buffer("scratch", Tensor::zeros({2}), /*persistent=*/false);
  StateDict dict;
  dict.insert("weight", Tensor::ones({2}));
  dict.insert("bias", Tensor::ones({2}));
  dict.insert("scratch", Tensor::ones({2}));
  nn::IncompatibleKeys keys = m.load_state_dict(dict, /*strict=*/false);
  EXPECT_THAT(keys.missing_keys, IsEmpty());
  EXPECT_THAT(keys.unexpected_keys, ElementsAre("bias", "scratch"));
  EXPECT_EQ(m.buffer("scratch").data()[0], 0.0f);
  EXPECT_EQ(m.param("weight").data()[0], 1.0f);
}

TEST(StateDictLoad, KeysUnderANoneChildAreNotUnexpected) {
  // PyTorch checks the first path component against _modules, None included.
  nn::Module m("Block");
  m.add_module("gone", nullptr);
  StateDict dict;
  dict.insert("gone.weight", Tensor::ones({1}));
  nn::IncompatibleKeys keys = m.load_state_dict(dict);
  EXPECT_THAT(keys.unexpected_keys, IsEmpty());
}

TEST(StateDictLoad, SharedModuleIsLoadedUnderEveryPath) {
  auto fc = std::make_shared<nn::Linear>(1, 1);
  nn::Sequential seq(fc, fc);
  StateDict dict = cloned(seq.state_dict());
  dict.insert("0.weight", Tensor::full({1, 1}, 2.0f));
  dict.insert("1.weight", Tensor::full({1, 1}, 3.0f));
  seq.load_state_dict(dict);
  // Loaded in traversal order: the last path ("1") wins.
  EXPECT_EQ(fc->weight().data()[0], 3.0f);
}

} // namespace
