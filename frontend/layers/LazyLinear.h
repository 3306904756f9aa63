// nn::LazyLinear: a Linear whose in_features come from the first input it sees.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// Holds uninitialized weight and bias until the first forward (or a
/// load_state_dict) gives them shapes; then initializes them as Linear does
/// and becomes a Linear, as PyTorch's LazyLinear does. Reading a parameter's
/// shape or data before then is PyTorch's "uninitialized parameter" error.
class LazyLinear : public Module {
public:
  explicit LazyLinear(int64_t out_features, bool bias = true);

  /// Whether the parameters still wait for a shape.
  bool has_uninitialized_params() const;
  /// Linear's initialization; does nothing while uninitialized.
  void reset_parameters();
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  Tensor &weight() { return param("weight"); }
  Tensor &bias() { return param("bias"); }
  int64_t in_features() const;
  const int64_t out_features;
};

} // namespace nncc::nn
