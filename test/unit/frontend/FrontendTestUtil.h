// Shared helpers for the frontend unit tests: error capture and a nested model used across suites.
#pragma once

#include "frontend/nn.h"

#include <memory>
#include <string>
#include <vector>

namespace nncc::test {

/// The message of the nncc::Error that `fn` throws, or "<no error>".
template <class Fn> std::string errorOf(Fn &&fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "<no error>";
}

/// The first elements of each pair, in order.
template <class Pairs> std::vector<std::string> keysOf(const Pairs &pairs) {
  std::vector<std::string> keys;
  for (const auto &pair : pairs)
    keys.push_back(pair.first);
  return keys;
}

/// A user-defined model whose forward uses children held in Sequential,
/// ModuleDict and ModuleList, plus a persistent and a non-persistent buffer.
/// Its PyTorch twin gives the expected keys, paths and printed form.
class Net : public nn::Module {
public:
  Net() : Module("Net") {
    flatten = register_module("flatten", std::make_shared<nn::Flatten>());
    features = register_module(
        "features",
        std::make_shared<nn::Sequential>(
            std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::ReLU>(),
            std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(512, 10),
                                             std::make_shared<nn::ReLU>(true))));
    heads = register_module(
        "heads", std::make_shared<nn::ModuleDict>(
                     nn::NamedModules{{"cls", std::make_shared<nn::Linear>(10, 2, false)},
                                      {"id", std::make_shared<nn::Identity>()}}));
    blocks = register_module(
        "blocks", std::make_shared<nn::ModuleList>(
                      std::vector<std::shared_ptr<nn::Module>>{std::make_shared<nn::Identity>()}));
    register_buffer("running_mean", Tensor::zeros({2}));
    register_buffer("scratch", Tensor::zeros({2}), /*persistent=*/false);
  }

  SymTensor forward(const SymTensor &input) override {
    SymTensor x = (*features)((*flatten)(input));
    for (const auto &block : *blocks)
      x = (*block)(x);
    return (*(*heads)["cls"])(x);
  }

  std::shared_ptr<nn::Flatten> flatten;
  std::shared_ptr<nn::Sequential> features;
  std::shared_ptr<nn::ModuleDict> heads;
  std::shared_ptr<nn::ModuleList> blocks;
};

} // namespace nncc::test
