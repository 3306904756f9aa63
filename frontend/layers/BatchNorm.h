// nn::BatchNorm1d and nn::BatchNorm2d: batch statistics in train mode, running statistics in eval.
#pragma once

#include "frontend/Module.h"

#include <optional>

namespace nncc::nn {

/// PyTorch's _BatchNorm: weight (ones) and bias (zeros) when affine;
/// running_mean (zeros), running_var (ones) and num_batches_tracked (0) when
/// track_running_stats. momentum = nullopt is PyTorch's momentum=None, a
/// cumulative moving average.
class BatchNorm : public Module {
public:
  BatchNorm(const std::string &className, int64_t num_features, double eps,
            std::optional<double> momentum, bool affine, bool track_running_stats);

  void reset_running_stats();
  /// reset_running_stats, then weight ones and bias zeros.
  void reset_parameters();
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const int64_t num_features;
  const double eps;
  const std::optional<double> momentum;
  const bool affine;
  const bool track_running_stats;

protected:
  /// Throws PyTorch's "expected 4D input (got 3D input)" for a wrong rank.
  virtual void check_input_dim(const SymTensor &input) const = 0;
};

/// Over [N, C] or [N, C, L].
class BatchNorm1d : public BatchNorm {
public:
  explicit BatchNorm1d(int64_t num_features, double eps = 1e-5,
                       std::optional<double> momentum = 0.1, bool affine = true,
                       bool track_running_stats = true);

protected:
  void check_input_dim(const SymTensor &input) const override;
};

/// Over [N, C, H, W].
class BatchNorm2d : public BatchNorm {
public:
  explicit BatchNorm2d(int64_t num_features, double eps = 1e-5,
                       std::optional<double> momentum = 0.1, bool affine = true,
                       bool track_running_stats = true);

protected:
  void check_input_dim(const SymTensor &input) const override;
};

} // namespace nncc::nn
