// nn::Linear: registration, PyTorch 1.13's reset_parameters, and a forward through F::linear.
#include "frontend/layers/Linear.h"

#include "frontend/Init.h"

#include <cmath>

namespace nncc::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool bias)
    : Module("Linear"), in_features(in_features), out_features(out_features) {
  register_parameter("weight", Tensor::empty({out_features, in_features}));
  register_parameter("bias", bias ? Tensor::empty({out_features}) : Tensor());
  reset_parameters();
}

void Linear::reset_parameters() {
  init::kaiming_uniform_(weight(), std::sqrt(5.0));
  if (bias().defined()) {
    int64_t fan_in = init::calculate_fan_in_and_fan_out(weight()).first;
    double bound = fan_in > 0 ? 1 / std::sqrt(static_cast<double>(fan_in)) : 0;
    init::uniform_(bias(), -bound, bound);
  }
}

SymTensor Linear::forward(const SymTensor &input) {
  return F::linear(input, weight(), bias().defined() ? SymTensor(bias()) : SymTensor());
}

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features) +
         ", out_features=" + std::to_string(out_features) +
         ", bias=" + (param("bias").defined() ? "True" : "False");
}

} // namespace nncc::nn
