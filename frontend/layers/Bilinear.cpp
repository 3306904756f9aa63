// nn::Bilinear: registration, PyTorch's init, and the product as two matmuls.
#include "frontend/layers/Bilinear.h"
#include "frontend/Init.h"

#include <cmath>

namespace nncc::nn {

Bilinear::Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias)
    : Module("Bilinear"), in1_features(in1_features), in2_features(in2_features),
      out_features(out_features) {
  register_parameter("weight", Tensor::empty({out_features, in1_features, in2_features}));
  register_parameter("bias", bias ? Tensor::empty({out_features}) : Tensor());
  reset_parameters();
}

void Bilinear::reset_parameters() {
  double bound = 1 / std::sqrt(static_cast<double>(in1_features));
  init::uniform_(weight(), -bound, bound);
  if (bias().defined())
    init::uniform_(bias(), -bound, bound);
}

SymTensor Bilinear::operator()(const SymTensor &input1, const SymTensor &input2) {
  CallScope scope(*this);
  SymTensor y = F::bilinear(input1, input2, weight(), bias().defined() ? SymTensor(bias()) : SymTensor());
  scope.done(y);
  return y;
}

std::string Bilinear::extra_repr() const {
  return "in1_features=" + std::to_string(in1_features) +
         ", in2_features=" + std::to_string(in2_features) +
         ", out_features=" + std::to_string(out_features) +
         ", bias=" + (param("bias").defined() ? "True" : "False");
}

} // namespace nncc::nn
