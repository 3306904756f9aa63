// nn::Identity: a placeholder layer that returns its input unchanged.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// Returns its input; used to switch a layer off without changing the tree.
class Identity : public Module {
public:
  Identity();
  SymTensor forward(const SymTensor &input) override;
};

} // namespace nncc::nn
