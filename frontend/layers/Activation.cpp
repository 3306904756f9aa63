// Activation layers: forwards through nn::functional and PyTorch's printed settings.
#include "frontend/layers/Activation.h"

namespace nncc::nn {

ReLU::ReLU(bool inplace) : Module("ReLU"), inplace(inplace) {}

SymTensor ReLU::forward(const SymTensor &input) { return F::relu(input); }

std::string ReLU::extra_repr() const { return inplace ? "inplace=True" : ""; }

} // namespace nncc::nn
