// The example MLP, 784-512-512-10 with ReLU, written as it is in PyTorch.
#pragma once

#include "frontend/nn.h"

namespace nncc::examples {

/// nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
/// nn.Linear(512, 10)). The braced list builds the layers left to right, so
/// after manual_seed(s) they draw PyTorch's initial weights.
inline std::shared_ptr<nn::Sequential> makeMlp() {
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(512, 512), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(512, 10)};
  return std::make_shared<nn::Sequential>(layers);
}

} // namespace nncc::examples
