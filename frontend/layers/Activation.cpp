// Activation layers: forwards through nn::functional and PyTorch's printed settings.
#include "frontend/layers/Activation.h"
#include "frontend/Error.h"
#include "frontend/PyRepr.h"

namespace nncc::nn {

ReLU::ReLU(bool inplace) : Module("ReLU"), inplace(inplace) {}

SymTensor ReLU::forward(const SymTensor &input) { return F::relu(input); }

std::string ReLU::extra_repr() const { return inplace ? "inplace=True" : ""; }

LeakyReLU::LeakyReLU(double negative_slope, bool inplace)
    : Module("LeakyReLU"), negative_slope(negative_slope), inplace(inplace) {}
SymTensor LeakyReLU::forward(const SymTensor &input) { return F::leaky_relu(input, negative_slope); }
std::string LeakyReLU::extra_repr() const {
  return "negative_slope=" + pyFloat(negative_slope) + (inplace ? ", inplace=True" : "");
}

GELU::GELU(const std::string &approximate) : Module("GELU"), approximate(approximate) {
  if (approximate != "none" && approximate != "tanh")
    throw Error("approximate argument must be either none or tanh.");
}
SymTensor GELU::forward(const SymTensor &input) { return F::gelu(input, approximate); }
std::string GELU::extra_repr() const { return "approximate='" + approximate + "'"; }

} // namespace nncc::nn
