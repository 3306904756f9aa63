// Convolution layers: PyTorch's _ConvNd checks and init, padding modes, and forwards through F::.
#include "frontend/layers/Conv.h"
#include "frontend/Error.h"
#include "frontend/Init.h"

#include <cmath>

namespace nncc::nn {

ConvBase::ConvBase(const std::string &className, int spatialDims, bool transposed, int64_t in_channels,
                   int64_t out_channels, Size2 kernel_size, Size2 stride, Padding padding, Size2 dilation,
                   Size2 output_padding, int64_t groups, bool bias, const std::string &padding_mode)
    : Module(className), in_channels(in_channels), out_channels(out_channels), kernel_size(kernel_size),
      stride(stride), padding(padding), dilation(dilation), output_padding(output_padding), groups(groups),
      padding_mode(padding_mode), spatialDims(spatialDims), transposed(transposed) {
  if (groups <= 0)
    throw Error("groups must be a positive integer");
  if (in_channels % groups != 0)
    throw Error("in_channels must be divisible by groups");
  bool lazy = in_channels == 0;
  if (out_channels % groups != 0)
    throw Error("out_channels must be divisible by groups");
  if (!padding.mode.empty() && padding.mode != "same" && padding.mode != "valid")
    throw Error("Invalid padding string '" + padding.mode + "', should be one of ['valid', 'same']");
  if (padding.mode == "same" && !(stride.h == 1 && stride.w == 1))
    throw Error("padding='same' is not supported for strided convolutions");
  if (padding_mode != "zeros" && padding_mode != "reflect" && padding_mode != "replicate" &&
      padding_mode != "circular")
    throw Error("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got "
                "padding_mode='" + padding_mode + "'");
  if (transposed && padding_mode != "zeros")
    throw Error("Only \"zeros\" padding mode is supported for " + className);
  Shape kernel = spatialDims == 1 ? Shape{kernel_size.w} : Shape{kernel_size.h, kernel_size.w};
  Shape w = transposed ? Shape{in_channels, out_channels / groups} : Shape{out_channels, in_channels / groups};
  w.insert(w.end(), kernel.begin(), kernel.end());
  register_parameter("weight", lazy ? Tensor::uninitialized() : Tensor::empty(w));
  Tensor biasTensor = lazy ? Tensor::uninitialized() : Tensor::empty({out_channels});
  register_parameter("bias", bias ? biasTensor : Tensor());
  if (!lazy)
    reset_parameters();
}

void ConvBase::materialize(const SymTensor &input, const std::string &concreteName) {
  if (weight().is_initialized()) {
    // Loaded from a state_dict: the weight's shape says what in_channels is.
    const Shape &w = weight().shape();
    in_channels = transposed ? w[0] : w[1] * groups;
    set_class_name(concreteName);
    return;
  }
  F::checkConvInput(input, spatialDims + 2, name().c_str());
  in_channels = input.size(input.dim() == spatialDims + 2 ? 1 : 0);
  if (in_channels % groups != 0)
    throw Error("in_channels must be divisible by groups");
  Shape w = transposed ? Shape{in_channels, out_channels / groups} : Shape{out_channels, in_channels / groups};
  if (spatialDims == 2)
    w.push_back(kernel_size.h);
  w.push_back(kernel_size.w);
  weight().materialize_(w);
  if (bias().defined())
    bias().materialize_({out_channels});
  reset_parameters();
  set_class_name(concreteName);
}

void ConvBase::reset_parameters() {
  init::kaiming_uniform_(weight(), std::sqrt(5.0));
  if (bias().defined()) {
    int64_t fan_in = init::calculate_fan_in_and_fan_out(weight()).first;
    if (fan_in != 0) {
      double bound = 1 / std::sqrt(static_cast<double>(fan_in));
      init::uniform_(bias(), -bound, bound);
    }
  }
}

std::array<int64_t, 4> ConvBase::explicitPads() const {
  if (padding.mode == "valid")
    return {0, 0, 0, 0};
  if (padding.mode == "same") {
    // PyTorch puts the odd element of the total padding on the right/bottom.
    int64_t totalW = dilation.w * (kernel_size.w - 1), totalH = dilation.h * (kernel_size.h - 1);
    return {totalW / 2, totalW - totalW / 2, totalH / 2, totalH - totalH / 2};
  }
  return {padding.size.w, padding.size.w, padding.size.h, padding.size.h};
}

SymTensor ConvBase::padded(const SymTensor &input, Size2 &convPadding) const {
  F::checkConvInput(input, spatialDims + 2, spatialDims == 1 ? "conv1d" : "conv2d");
  std::array<int64_t, 4> pads = explicitPads();
  if (spatialDims == 1)
    pads[2] = pads[3] = 0;
  bool symmetric = pads[0] == pads[1] && pads[2] == pads[3];
  if (padding_mode == "zeros" && symmetric) {
    convPadding = Size2(pads[2], pads[0]);
    return input;
  }
  convPadding = Size2(0, 0);
  return F::pad(input, pads, padding_mode == "zeros" ? "constant" : padding_mode);
}

std::string ConvBase::extra_repr() const {
  auto tuple = [&](Size2 s) {
    return spatialDims == 1 ? "(" + std::to_string(s.w) + ",)" : s.str(/*tuple=*/true);
  };
  std::string text = std::to_string(in_channels) + ", " + std::to_string(out_channels) +
                     ", kernel_size=" + tuple(kernel_size) + ", stride=" + tuple(stride);
  if (!padding.mode.empty())
    text += ", padding=" + padding.mode;
  else if (!(padding.size == Size2(0)))
    text += ", padding=" + tuple(padding.size);
  if (!(dilation == Size2(1)))
    text += ", dilation=" + tuple(dilation);
  if (!(output_padding == Size2(0)))
    text += ", output_padding=" + tuple(output_padding);
  if (groups != 1)
    text += ", groups=" + std::to_string(groups);
  if (!param("bias").defined())
    text += ", bias=False";
  if (padding_mode != "zeros")
    text += ", padding_mode=" + padding_mode;
  return text;
}

Conv2d::Conv2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size, Size2 stride, Padding padding,
               Size2 dilation, int64_t groups, bool bias, const std::string &padding_mode)
    : ConvBase("Conv2d", 2, false, in_channels, out_channels, kernel_size, stride, padding, dilation, 0, groups,
               bias, padding_mode) {}

SymTensor Conv2d::forward(const SymTensor &input) {
  Size2 convPadding = 0;
  SymTensor x = padded(input, convPadding);
  return F::conv2d(x, weight(), bias().defined() ? SymTensor(bias()) : SymTensor(), stride, convPadding, dilation,
                   groups);
}

Conv1d::Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride, Padding padding,
               int64_t dilation, int64_t groups, bool bias, const std::string &padding_mode)
    : ConvBase("Conv1d", 1, false, in_channels, out_channels, Size2(1, kernel_size), Size2(1, stride),
               padding.mode.empty() ? Padding(0, padding.size.w) : padding, Size2(1, dilation), 0, groups, bias,
               padding_mode) {}

SymTensor Conv1d::forward(const SymTensor &input) {
  Size2 convPadding = 0;
  SymTensor x = padded(input, convPadding);
  return F::conv1d(x, weight(), bias().defined() ? SymTensor(bias()) : SymTensor(), stride.w, convPadding.w,
                   dilation.w, groups);
}

LazyConv2d::LazyConv2d(int64_t out_channels, Size2 kernel_size, Size2 stride, Padding padding, Size2 dilation,
                       int64_t groups, bool bias, const std::string &padding_mode)
    : Conv2d(0, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode) {
  set_class_name("LazyConv2d");
}

SymTensor LazyConv2d::forward(const SymTensor &input) {
  materialize(input, "Conv2d");
  return Conv2d::forward(input);
}

ConvTranspose2d::ConvTranspose2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size, Size2 stride,
                                 Size2 padding, Size2 output_padding, int64_t groups, bool bias, Size2 dilation,
                                 const std::string &padding_mode)
    : ConvBase("ConvTranspose2d", 2, true, in_channels, out_channels, kernel_size, stride,
               Padding(padding.h, padding.w), dilation, output_padding, groups, bias, padding_mode) {}

SymTensor ConvTranspose2d::forward(const SymTensor &input) {
  return F::conv_transpose2d(input, weight(), bias().defined() ? SymTensor(bias()) : SymTensor(), stride,
                             padding.size, output_padding, groups, dilation);
}

} // namespace nncc::nn
