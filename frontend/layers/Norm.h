// nn::LayerNorm and nn::GroupNorm: normalization without running statistics.
#pragma once

#include "frontend/Module.h"

#include <type_traits>
#include <vector>

namespace nncc::nn {

/// Over the trailing normalized_shape dims; weight (ones) and bias (zeros)
/// of that shape when elementwise_affine.
class LayerNorm : public Module {
public:
  explicit LayerNorm(std::vector<int64_t> normalized_shape, double eps = 1e-5,
                     bool elementwise_affine = true);
  /// LayerNorm(64): an int normalized_shape is the 1-D shape (64,), as in
  /// PyTorch. A template so that a braced LayerNorm({64}) still takes the list.
  template <typename Int, std::enable_if_t<std::is_integral_v<Int>, int> = 0>
  explicit LayerNorm(Int normalized_shape, double eps = 1e-5, bool elementwise_affine = true)
      : LayerNorm(std::vector<int64_t>{static_cast<int64_t>(normalized_shape)}, eps, elementwise_affine) {}
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
