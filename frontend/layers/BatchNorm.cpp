// nn::BatchNorm1d/2d: PyTorch's _BatchNorm registration, reset and forward.
#include "frontend/layers/BatchNorm.h"
#include "frontend/Error.h"
#include "frontend/PyRepr.h"
#include "frontend/functional/Mode.h"

namespace nncc::nn {

BatchNorm::BatchNorm(const std::string &className, int64_t num_features, double eps,
                     std::optional<double> momentum, bool affine, bool track_running_stats)
    : Module(className), num_features(num_features), eps(eps), momentum(momentum), affine(affine),
      track_running_stats(track_running_stats) {
  register_parameter("weight", affine ? Tensor::empty({num_features}) : Tensor());
  register_parameter("bias", affine ? Tensor::empty({num_features}) : Tensor());
  register_buffer("running_mean", track_running_stats ? Tensor::zeros({num_features}) : Tensor());
  register_buffer("running_var", track_running_stats ? Tensor::ones({num_features}) : Tensor());
  register_buffer("num_batches_tracked", track_running_stats ? Tensor::zeros({}) : Tensor());
  reset_parameters();
}

void BatchNorm::reset_running_stats() {
  if (!track_running_stats)
    return;
  buffer("running_mean").copy_(Tensor::zeros({num_features}));
  buffer("running_var").copy_(Tensor::ones({num_features}));
  buffer("num_batches_tracked").copy_(Tensor::zeros({}));
}

void BatchNorm::reset_parameters() {
  reset_running_stats();
  if (affine) {
    param("weight").copy_(Tensor::ones({num_features}));
    param("bias").copy_(Tensor::zeros({num_features}));
  }
}

SymTensor BatchNorm::forward(const SymTensor &input) {
  check_input_dim(input);
  SymTensor weight, bias;
  if (affine) {
    weight = param("weight");
    bias = param("bias");
  }
  return F::batch_norm_tracked(input, buffer("running_mean"), buffer("running_var"),
                               buffer("num_batches_tracked"), weight, bias, is_training(),
                               momentum, eps);
}

std::string BatchNorm::extra_repr() const {
  return std::to_string(num_features) + ", eps=" + pyFloat(eps) +
         ", momentum=" + (momentum ? pyFloat(*momentum) : "None") +
         ", affine=" + (affine ? "True" : "False") +
         ", track_running_stats=" + (track_running_stats ? "True" : "False");
}

BatchNorm1d::BatchNorm1d(int64_t num_features, double eps, std::optional<double> momentum,
                         bool affine, bool track_running_stats)
    : BatchNorm("BatchNorm1d", num_features, eps, momentum, affine, track_running_stats) {}

void BatchNorm1d::check_input_dim(const SymTensor &input) const {
  if (input.dim() != 2 && input.dim() != 3)
    throw Error("expected 2D or 3D input (got " + std::to_string(input.dim()) + "D input)");
}

BatchNorm2d::BatchNorm2d(int64_t num_features, double eps, std::optional<double> momentum,
                         bool affine, bool track_running_stats)
    : BatchNorm("BatchNorm2d", num_features, eps, momentum, affine, track_running_stats) {}

void BatchNorm2d::check_input_dim(const SymTensor &input) const {
  if (input.dim() != 4)
    throw Error("expected 4D input (got " + std::to_string(input.dim()) + "D input)");
}

} // namespace nncc::nn
