// nn::Conv1d, nn::Conv2d and nn::ConvTranspose2d, with PyTorch's arguments, init and printing.
#pragma once

#include "frontend/Module.h"
#include "frontend/functional/Conv.h"

namespace nncc::nn {

using functional::Size2;

/// PyTorch's padding argument: an int, a (height, width) pair, or "same" /
/// "valid".
struct Padding {
  Padding(int v) : size(v) {}                        // NOLINT: PyTorch accepts an int
  Padding(int64_t v) : size(v) {}                    // NOLINT
  Padding(int64_t h, int64_t w) : size(h, w) {}
  Padding(const char *mode) : size(0), mode(mode) {} // NOLINT: padding='same'
  Size2 size;
  std::string mode;
};

/// What Conv1d, Conv2d and ConvTranspose2d share: checks, weight and bias,
/// PyTorch's init (kaiming-uniform a=sqrt(5), bias in ±1/sqrt(fan_in)) and
/// printing. Spatial arguments are (height, width); Conv1d uses the width.
class ConvBase : public Module {
public:
  void reset_parameters();
  std::string extra_repr() const override;

  Tensor &weight() { return param("weight"); }
  Tensor &bias() { return param("bias"); }

  /// 0 for a lazy convolution until its first forward or load.
  int64_t in_channels;
  const int64_t out_channels;
  const Size2 kernel_size, stride;
  const Padding padding;
  const Size2 dilation, output_padding;
  const int64_t groups;
  const std::string padding_mode;

protected:
  ConvBase(const std::string &className, int spatialDims, bool transposed, int64_t in_channels,
           int64_t out_channels, Size2 kernel_size, Size2 stride, Padding padding, Size2 dilation,
           Size2 output_padding, int64_t groups, bool bias, const std::string &padding_mode);
  /// The explicit [left, right, top, bottom] padding that `padding` means.
  std::array<int64_t, 4> explicitPads() const;
  /// The input padded as padding and padding_mode say, for a conv with no padding of its own;
  /// `convPadding` receives what the conv op can do itself (symmetric zeros).
  SymTensor padded(const SymTensor &input, Size2 &convPadding) const;
  /// For a lazy convolution: takes in_channels from the input, materializes
  /// and initializes the parameters, and becomes `concreteName`.
  void materialize(const SymTensor &input, const std::string &concreteName);
  const int spatialDims;
  const bool transposed;
};

/// weight [out_channels, in_channels / groups, kH, kW], bias [out_channels].
class Conv2d : public ConvBase {
public:
  Conv2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size, Size2 stride = 1, Padding padding = 0,
         Size2 dilation = 1, int64_t groups = 1, bool bias = true, const std::string &padding_mode = "zeros");
  SymTensor forward(const SymTensor &input) override;
};

/// weight [out_channels, in_channels / groups, k]; sizes are single ints, as Conv1d's.
class Conv1d : public ConvBase {
public:
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1,
         Padding padding = 0, int64_t dilation = 1, int64_t groups = 1, bool bias = true,
         const std::string &padding_mode = "zeros");
  SymTensor forward(const SymTensor &input) override;
};

/// A Conv2d whose in_channels come from its first input (or from a loaded
/// state_dict), as PyTorch's LazyConv2d; it prints as LazyConv2d(0, ...)
/// until then and as Conv2d after.
class LazyConv2d : public Conv2d {
public:
  LazyConv2d(int64_t out_channels, Size2 kernel_size, Size2 stride = 1, Padding padding = 0, Size2 dilation = 1,
             int64_t groups = 1, bool bias = true, const std::string &padding_mode = "zeros");
  SymTensor forward(const SymTensor &input) override;
};

/// weight [in_channels, out_channels / groups, kH, kW]; zeros padding only.
class ConvTranspose2d : public ConvBase {
public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size, Size2 stride = 1,
                  Size2 padding = 0, Size2 output_padding = 0, int64_t groups = 1, bool bias = true,
                  Size2 dilation = 1, const std::string &padding_mode = "zeros");
  SymTensor forward(const SymTensor &input) override;
};

} // namespace nncc::nn
