// nn::Flatten: the forward through F::flatten and its printed settings.
#include "frontend/layers/Flatten.h"

namespace nncc::nn {

Flatten::Flatten(int64_t start_dim, int64_t end_dim)
    : Module("Flatten"), start_dim(start_dim), end_dim(end_dim) {}

SymTensor Flatten::forward(const SymTensor &input) {
  return F::flatten(input, start_dim, end_dim);
}

std::string Flatten::extra_repr() const {
  return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
}

} // namespace nncc::nn
