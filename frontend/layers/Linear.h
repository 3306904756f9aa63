// nn::Linear: y = x W^T + b, with PyTorch's parameter names and default initialisation.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// A fully connected layer: weight [out_features, in_features] and, unless
/// bias=false, bias [out_features].
class Linear : public Module {
public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);

  /// Kaiming-uniform weight (a = sqrt(5)) and bias uniform in
  /// ±1/sqrt(fan_in), drawn in PyTorch's order so seeds give its weights.
  void reset_parameters();
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  Tensor &weight() { return param("weight"); }
  /// Undefined when built with bias=false.
  Tensor &bias() { return param("bias"); }

  const int64_t in_features;
  const int64_t out_features;
};

} // namespace nncc::nn
