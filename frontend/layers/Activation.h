// Activation layers: modules wrapping the elementwise nonlinearities of nn::functional.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// max(0, x). `inplace` is recorded for printing and for the recorder; the
/// compiled graph decides where values live.
class ReLU : public Module {
public:
  explicit ReLU(bool inplace = false);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const bool inplace;
};

} // namespace nncc::nn
