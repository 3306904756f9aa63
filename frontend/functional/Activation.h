// nn::functional activations, softmax and the normalizations without running statistics.
#pragma once

#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"

#include <string>
#include <vector>

namespace nncc::nn::functional {

SymTensor sigmoid(const SymTensor &input);
SymTensor tanh(const SymTensor &input);
SymTensor silu(const SymTensor &input);
SymTensor hardswish(const SymTensor &input);
SymTensor leaky_relu(const SymTensor &input, double negative_slope = 0.01);
/// approximate is "none" (erf) or "tanh"; anything else is PyTorch's error.
SymTensor gelu(const SymTensor &input, const std::string &approximate = "none");
/// Along `dim` (negative counts from the end).
SymTensor softmax(const SymTensor &input, int64_t dim);
SymTensor log_softmax(const SymTensor &input, int64_t dim);
/// Over the trailing dims given by normalized_shape; weight/bias may be none.
SymTensor layer_norm(const SymTensor &input, const std::vector<int64_t> &normalized_shape,
                     const SymTensor &weight = SymTensor(), const SymTensor &bias = SymTensor(),
                     double eps = 1e-5);
/// [N, C, ...] normalized over each of num_groups groups of channels.
SymTensor group_norm(const SymTensor &input, int64_t num_groups, const SymTensor &weight = SymTensor(),
                     const SymTensor &bias = SymTensor(), double eps = 1e-5);

} // namespace nncc::nn::functional
