// nn::LayerNorm and nn::GroupNorm: normalization without running statistics.
#pragma once

#include "frontend/Module.h"

#include <vector>

namespace nncc::nn {

/// Over the trailing normalized_shape dims; weight (ones) and bias (zeros)
/// of that shape when elementwise_affine.
class LayerNorm : public Module {
public:
  explicit LayerNorm(std::vector<int64_t> normalized_shape, double eps = 1e-5,
                     bool elementwise_affine = true);
  void reset_parameters();
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const std::vector<int64_t> normalized_shape;
  const double eps;
  const bool elementwise_affine;
};

/// Over num_groups groups of [N, C, ...]'s channels; per-channel weight
/// (ones) and bias (zeros) when affine. "num_channels must be divisible by
/// num_groups" otherwise.
class GroupNorm : public Module {
public:
  GroupNorm(int64_t num_groups, int64_t num_channels, double eps = 1e-5, bool affine = true);
  void reset_parameters();
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const int64_t num_groups, num_channels;
  const double eps;
  const bool affine;
};

} // namespace nncc::nn
