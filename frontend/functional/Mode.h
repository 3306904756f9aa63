// nn::functional ops whose behaviour depends on the mode: batch_norm and dropout.
#pragma once

#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"

#include <optional>

namespace nncc::nn::functional {

/// torch.nn.functional.batch_norm over dim 1 of [N, C, ...]. With
/// `training`, normalizes with the batch statistics and, when running
/// statistics are given, records their in-place update (blend factor
/// `momentum`), as PyTorch does. Running statistics are buffers of the
/// recorded model, or undefined.
SymTensor batch_norm(const SymTensor &input, const Tensor &running_mean, const Tensor &running_var,
                     const SymTensor &weight = SymTensor(), const SymTensor &bias = SymTensor(),
                     bool training = false, double momentum = 0.1, double eps = 1e-5);

/// As batch_norm, also counting batches in `num_batches_tracked` (a scalar
/// buffer) when training; a missing `momentum` then means a cumulative
/// average. What nn::BatchNorm1d/2d record.
SymTensor batch_norm_tracked(const SymTensor &input, const Tensor &running_mean,
                             const Tensor &running_var, const Tensor &num_batches_tracked,
                             const SymTensor &weight, const SymTensor &bias, bool training,
                             std::optional<double> momentum, double eps);

/// torch.nn.functional.dropout: in training, zeroes elements with
/// probability p (a mask drawn from nncc's generator when recorded) and
/// scales the rest by 1/(1-p); otherwise the identity. p outside [0, 1] is
/// an error, as in PyTorch.
SymTensor dropout(const SymTensor &input, double p = 0.5, bool training = true);

} // namespace nncc::nn::functional
