// Recording the activations, softmax, layer_norm and group_norm, with PyTorch's argument checks.
#include "frontend/functional/Activation.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/PyRepr.h"
#include "frontend/functional/Record.h"

namespace nncc::nn::functional {

using namespace functional_detail;

namespace {

/// The same shape as `input`, for elementwise ops.
auto sameShape(const SymTensor &input) {
  return [&input](std::string &) { return std::optional<ir::Dims>(input.shape()); };
}

template <typename OpTy, typename... Attrs>
SymTensor unary(const char *name, const SymTensor &input, Attrs... attrs) {
  Recorder &rec = recorderOf(name, {&input});
  return build<OpTy>(rec, name, sameShape(input), valueOf(input), attrs...);
}

/// Checks `dim` against the input's rank with PyTorch's message.
int64_t checkedDim(Recorder &rec, const char *name, const SymTensor &input, int64_t dim) {
  std::string error;
  int64_t d = ir::normalizeDim(dim, input.dim(), error);
  if (d < 0)
    rec.fail(name, error);
  return d;
}

} // namespace

SymTensor sigmoid(const SymTensor &input) { return unary<ir::SigmoidOp>("sigmoid", input); }
SymTensor tanh(const SymTensor &input) { return unary<ir::TanhOp>("tanh", input); }
SymTensor silu(const SymTensor &input) { return unary<ir::SiluOp>("silu", input); }
SymTensor hardswish(const SymTensor &input) { return unary<ir::HardswishOp>("hardswish", input); }

SymTensor leaky_relu(const SymTensor &input, double negative_slope) {
  Recorder &rec = recorderOf("leaky_relu", {&input});
  return unary<ir::LeakyReluOp>("leaky_relu", input, rec.builder().getF64FloatAttr(negative_slope));
}

SymTensor gelu(const SymTensor &input, const std::string &approximate) {
  Recorder &rec = recorderOf("gelu", {&input});
  if (approximate != "none" && approximate != "tanh")
    rec.fail("gelu", "approximate argument must be either none or tanh.");
  return unary<ir::GeluOp>("gelu", input, rec.builder().getStringAttr(approximate));
}

SymTensor softmax(const SymTensor &input, int64_t dim) {
  Recorder &rec = recorderOf("softmax", {&input});
  return unary<ir::SoftmaxOp>("softmax", input, checkedDim(rec, "softmax", input, dim));
}

SymTensor log_softmax(const SymTensor &input, int64_t dim) {
  Recorder &rec = recorderOf("log_softmax", {&input});
  return unary<ir::LogSoftmaxOp>("log_softmax", input, checkedDim(rec, "log_softmax", input, dim));
}

SymTensor layer_norm(const SymTensor &input, const std::vector<int64_t> &normalized_shape,
                     const SymTensor &weight, const SymTensor &bias, double eps) {
  Recorder &rec = recorderOf("layer_norm", {&input});
  auto k = static_cast<int64_t>(normalized_shape.size());
  bool fits = k >= 1 && k <= input.dim() &&
              std::equal(normalized_shape.begin(), normalized_shape.end(), input.shape().end() - k);
  if (!fits)
    rec.fail("layer_norm", "Given normalized_shape=" + ir::formatDims(normalized_shape) +
                               ", expected input with shape [*, " +
                               ir::formatDims(normalized_shape).substr(1) + ", but got input of size" +
                               ir::formatDims(input.shape()));
  for (const SymTensor *t : {&weight, &bias})
    if (t->defined() && t->shape() != normalized_shape)
      rec.fail("layer_norm", "weight and bias must be " + ir::formatDims(normalized_shape) + ", got " +
                                 ir::formatDims(t->shape()));
  mlir::OpBuilder &b = rec.builder();
  return build<ir::LayerNormOp>(rec, "layer_norm", sameShape(input), valueOf(input),
                                weight.defined() ? valueOf(weight) : mlir::Value(),
                                bias.defined() ? valueOf(bias) : mlir::Value(),
                                b.getI64IntegerAttr(k), b.getF64FloatAttr(eps));
}

SymTensor group_norm(const SymTensor &input, int64_t num_groups, const SymTensor &weight,
                     const SymTensor &bias, double eps) {
  Recorder &rec = recorderOf("group_norm", {&input});
  if (input.dim() < 2)
    rec.fail("group_norm", "Expected at least 2 dimensions for input tensor but received " +
                               std::to_string(input.dim()));
  int64_t channels = input.size(1);
  if (num_groups < 1 || channels % num_groups != 0)
    rec.fail("group_norm", "Expected number of channels in input to be divisible by num_groups, but got "
                           "input of shape " + ir::formatDims(input.shape()) + " and num_groups=" +
                               std::to_string(num_groups));
  for (const SymTensor *t : {&weight, &bias})
    if (t->defined() && t->shape() != Shape{channels})
      rec.fail("group_norm", "weight and bias must be [" + std::to_string(channels) + "], got " +
                                 ir::formatDims(t->shape()));
  mlir::OpBuilder &b = rec.builder();
  return build<ir::GroupNormOp>(rec, "group_norm", sameShape(input), valueOf(input),
                                weight.defined() ? valueOf(weight) : mlir::Value(),
                                bias.defined() ? valueOf(bias) : mlir::Value(),
                                b.getI64IntegerAttr(num_groups), b.getF64FloatAttr(eps));
}

} // namespace nncc::nn::functional
