// nn::init: PyTorch's initialisation functions, with its formulas and its errors.
#pragma once

#include "frontend/Tensor.h"

#include <string>
#include <utility>

namespace nncc {
class Generator;
}

namespace nncc::nn::init {

/// calculate_gain(nonlinearity, param): linear/conv*/sigmoid 1, tanh 5/3,
/// relu sqrt(2), leaky_relu sqrt(2/(1+slope^2)) (default slope 0.01), selu 3/4.
/// Unknown names throw "Unsupported nonlinearity <name>".
double calculate_gain(const std::string &nonlinearity, double param = -1);
/// (fan_in, fan_out); throws "Fan in and fan out can not be computed for
/// tensor with fewer than 2 dimensions" as PyTorch does.
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor &tensor);

// Each fills `tensor` in place (from the global generator unless one is
// given) and returns it, as the torch.nn.init function of the same name.
Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator *gen = nullptr);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator *gen = nullptr);
Tensor constant_(Tensor tensor, double value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
Tensor xavier_uniform_(Tensor tensor, double gain = 1, Generator *gen = nullptr);
Tensor xavier_normal_(Tensor tensor, double gain = 1, Generator *gen = nullptr);
/// mode is "fan_in" or "fan_out" (else "Mode <m> not supported, please use
/// one of fan_in, fan_out"); nonlinearity as calculate_gain.
Tensor kaiming_uniform_(Tensor tensor, double a = 0, const std::string &mode = "fan_in",
                        const std::string &nonlinearity = "leaky_relu",
                        Generator *gen = nullptr);
Tensor kaiming_normal_(Tensor tensor, double a = 0, const std::string &mode = "fan_in",
                       const std::string &nonlinearity = "leaky_relu",
                       Generator *gen = nullptr);

} // namespace nncc::nn::init
