// nn::functional activations, softmax and the normalizations without running statistics.
#pragma once

#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"

#include <string>
#include <vector>

namespace nncc::nn::functional {

/// 1 / (1 + exp(-x)), elementwise.
SymTensor sigmoid(const SymTensor &input);
/// tanh(x), elementwise.
SymTensor tanh(const SymTensor &input);
/// x * sigmoid(x), elementwise (swish).
SymTensor silu(const SymTensor &input);
/// x * relu6(x + 3) / 6, elementwise.
SymTensor hardswish(const SymTensor &input);
/// x for x > 0, else negative_slope * x.
SymTensor leaky_relu(const SymTensor &input, double negative_slope = 0.01);
/// approximate is "none" (erf) or "tanh"; anything else is PyTorch's error.
SymTensor gelu(const SymTensor &input, const std::string &approximate = "none");
/// exp(x) / sum(exp(x)) along `dim` (negative counts from the end); an
/// out-of-range dim is PyTorch's "Dimension out of range" error.
SymTensor softmax(const SymTensor &input, int64_t dim);
/// log(softmax(x)) along `dim`, computed without forming softmax.
SymTensor log_softmax(const SymTensor &input, int64_t dim);
/// Over the trailing dims given by normalized_shape; weight/bias may be none.
SymTensor layer_norm(const SymTensor &input, const std::vector<int64_t> &normalized_shape,
                     const SymTensor &weight = SymTensor(), const SymTensor &bias = SymTensor(),
                     double eps = 1e-5);
/// [N, C, ...] normalized over each of num_groups groups of channels.
SymTensor group_norm(const SymTensor &input, int64_t num_groups, const SymTensor &weight = SymTensor(),
                     const SymTensor &bias = SymTensor(), double eps = 1e-5);

} // namespace nncc::nn::functional
