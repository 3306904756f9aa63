// nn::functional reductions, elementwise math and the loss functions, as torch.nn.functional.
#pragma once

#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"

#include <optional>
#include <string>
#include <vector>

namespace nncc::nn::functional {

/// torch.sum over `dims` (negative counts from the end; empty means all).
SymTensor sum(const SymTensor &input, const std::vector<int64_t> &dims = {}, bool keepdim = false);
/// torch.mean over `dims` (empty means all).
SymTensor mean(const SymTensor &input, const std::vector<int64_t> &dims = {}, bool keepdim = false);
SymTensor exp(const SymTensor &input);
SymTensor log(const SymTensor &input);
SymTensor sqrt(const SymTensor &input);
SymTensor abs(const SymTensor &input);
/// A constant holding `value`'s elements, in the recording `like` belongs to.
SymTensor constant(const Tensor &value, const SymTensor &like);

/// reduction is "mean", "sum" or "none", as PyTorch's losses take it; any
/// other value is PyTorch's error.
SymTensor mse_loss(const SymTensor &input, const SymTensor &target,
                   const std::string &reduction = "mean");
SymTensor l1_loss(const SymTensor &input, const SymTensor &target,
                  const std::string &reduction = "mean");
/// `input` holds log-probabilities [N, C] or [N, C, d...]; `target` int64
/// class indices [N] or [N, d...]. `weight` ([C]) may be undefined. The mean
/// divides by the summed weight of the targets that are not ignored.
SymTensor nll_loss(const SymTensor &input, const SymTensor &target, const Tensor &weight = Tensor(),
                   int64_t ignore_index = -100, const std::string &reduction = "mean");
/// log_softmax over dim 1, then nll_loss, blended with the uniform
/// distribution by label_smoothing as PyTorch 1.13 does.
SymTensor cross_entropy(const SymTensor &input, const SymTensor &target,
                        const Tensor &weight = Tensor(), int64_t ignore_index = -100,
                        const std::string &reduction = "mean", double label_smoothing = 0.0);
/// Numerically stable sigmoid + binary cross entropy; `weight` scales each
/// element, `pos_weight` ([C], broadcast over the last dim) the positives.
SymTensor binary_cross_entropy_with_logits(const SymTensor &input, const SymTensor &target,
                                           const Tensor &weight = Tensor(),
                                           const std::string &reduction = "mean",
                                           const Tensor &pos_weight = Tensor());

} // namespace nncc::nn::functional
