// nn::LazyLinear: materialization on first use, then Linear's init and forward.
#include "frontend/layers/LazyLinear.h"
#include "frontend/Error.h"
#include "frontend/Init.h"

#include <cmath>

namespace nncc::nn {

LazyLinear::LazyLinear(int64_t out_features, bool bias)
    : Module("LazyLinear"), out_features(out_features) {
  register_parameter("weight", Tensor::uninitialized());
  register_parameter("bias", bias ? Tensor::uninitialized() : Tensor());
}

bool LazyLinear::has_uninitialized_params() const { return !param("weight").is_initialized(); }

int64_t LazyLinear::in_features() const {
  return has_uninitialized_params() ? 0 : param("weight").shape()[1];
}

void LazyLinear::reset_parameters() {
  if (has_uninitialized_params())
    return;
  init::kaiming_uniform_(weight(), std::sqrt(5.0));
  if (bias().defined()) {
    double bound = 1 / std::sqrt(static_cast<double>(in_features()));
    init::uniform_(bias(), -bound, bound);
  }
}

SymTensor LazyLinear::forward(const SymTensor &input) {
  if (has_uninitialized_params()) {
    if (input.dim() == 0)
      throw Error("LazyLinear needs an input with at least one dimension");
    weight().materialize_({out_features, input.size(-1)});
    if (bias().defined())
      bias().materialize_({out_features});
    reset_parameters();
  }
  set_class_name("Linear");
  return F::linear(input, weight(), bias().defined() ? SymTensor(bias()) : SymTensor());
}

std::string LazyLinear::extra_repr() const {
  return "in_features=" + std::to_string(in_features()) +
         ", out_features=" + std::to_string(out_features) +
         ", bias=" + (param("bias").defined() ? "True" : "False");
}

} // namespace nncc::nn
