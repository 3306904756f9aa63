// A user-defined Module whose forward uses children held in ModuleList and ModuleDict, a buffer,
// and one head called twice; the same model as Custom in test/goldens/make_goldens.py.
#pragma once

#include "frontend/nn.h"

namespace nncc::testing {

struct Custom : nn::Module {
  std::shared_ptr<nn::ModuleList> blocks;
  std::shared_ptr<nn::ModuleDict> heads;
  std::shared_ptr<nn::ReLU> act;
  Tensor scale;

  Custom() : Module("Custom") {
    blocks = register_module("blocks", std::make_shared<nn::ModuleList>(std::vector<std::shared_ptr<nn::Module>>{
                                           std::make_shared<nn::Linear>(16, 32),
                                           std::make_shared<nn::Linear>(32, 32)}));
    heads = register_module("heads", std::make_shared<nn::ModuleDict>(nn::NamedModules{
                                         {"a", std::make_shared<nn::Linear>(32, 8)},
                                         {"b", std::make_shared<nn::Linear>(32, 8, false)}}));
    act = register_module("act", std::make_shared<nn::ReLU>());
    std::vector<float> ramp(8);
    for (int i = 0; i < 8; ++i)
      ramp[i] = 0.5f + 1.5f * static_cast<float>(i) / 7.0f;
    scale = register_buffer("scale", Tensor::fromVector({8}, ramp));
  }

  SymTensor forward(const SymTensor &x) override {
    SymTensor h = F::flatten(x, 1);
    for (const auto &block : *blocks)
      h = (*act)((*block)(h));
    SymTensor a = (*(*heads)["a"])(h);
    return (a + (*(*heads)["b"])(h) * a) * scale;
  }
};

} // namespace nncc::testing
