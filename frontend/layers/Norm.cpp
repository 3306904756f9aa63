// nn::LayerNorm and nn::GroupNorm: registration, ones/zeros init, forwards through F::.
#include "frontend/layers/Norm.h"
#include "frontend/Error.h"
#include "frontend/PyRepr.h"
#include "frontend/functional/Activation.h"

namespace nncc::nn {

LayerNorm::LayerNorm(std::vector<int64_t> normalized_shape, double eps, bool elementwise_affine)
    : Module("LayerNorm"), normalized_shape(std::move(normalized_shape)), eps(eps),
      elementwise_affine(elementwise_affine) {
  register_parameter("weight", elementwise_affine ? Tensor::empty(this->normalized_shape) : Tensor());
  register_parameter("bias", elementwise_affine ? Tensor::empty(this->normalized_shape) : Tensor());
  reset_parameters();
}

void LayerNorm::reset_parameters() {
  if (!elementwise_affine)
    return;
  param("weight").copy_(Tensor::ones(normalized_shape));
  param("bias").copy_(Tensor::zeros(normalized_shape));
}

SymTensor LayerNorm::forward(const SymTensor &input) {
  SymTensor weight, bias;
  if (elementwise_affine) {
    weight = param("weight");
    bias = param("bias");
  }
  return F::layer_norm(input, normalized_shape, weight, bias, eps);
}

std::string LayerNorm::extra_repr() const {
  return pyTuple(normalized_shape) + ", eps=" + pyFloat(eps) +
         ", elementwise_affine=" + (elementwise_affine ? "True" : "False");
}

GroupNorm::GroupNorm(int64_t num_groups, int64_t num_channels, double eps, bool affine)
    : Module("GroupNorm"), num_groups(num_groups), num_channels(num_channels), eps(eps), affine(affine) {
  if (num_groups <= 0 || num_channels % num_groups != 0)
    throw Error("num_channels must be divisible by num_groups");
  register_parameter("weight", affine ? Tensor::empty({num_channels}) : Tensor());
  register_parameter("bias", affine ? Tensor::empty({num_channels}) : Tensor());
  reset_parameters();
}

void GroupNorm::reset_parameters() {
  if (!affine)
    return;
  param("weight").copy_(Tensor::ones({num_channels}));
  param("bias").copy_(Tensor::zeros({num_channels}));
}

SymTensor GroupNorm::forward(const SymTensor &input) {
  SymTensor weight, bias;
  if (affine) {
    weight = param("weight");
    bias = param("bias");
  }
  return F::group_norm(input, num_groups, weight, bias, eps);
}

std::string GroupNorm::extra_repr() const {
  return std::to_string(num_groups) + ", " + std::to_string(num_channels) + ", eps=" + pyFloat(eps) +
         ", affine=" + (affine ? "True" : "False");
}

} // namespace nncc::nn
