// nn::Flatten: merges the dimensions start_dim..end_dim into one, as torch.nn.Flatten.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// Flattens dimensions [start_dim, end_dim] (negative counts from the end);
/// the defaults keep the batch dimension.
class Flatten : public Module {
public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const int64_t start_dim;
  const int64_t end_dim;
};

} // namespace nncc::nn
