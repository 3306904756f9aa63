// nn::Dropout: random zeroing with scaling in train mode, the identity in eval mode.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// p must be in [0, 1] ("dropout probability has to be between 0 and 1,
/// but got 1.5"). The mask comes from nncc's generator when the model is
/// recorded, so manual_seed(s) fixes it.
class Dropout : public Module {
public:
  explicit Dropout(double p = 0.5, bool inplace = false);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const double p;
  const bool inplace;
};

} // namespace nncc::nn
