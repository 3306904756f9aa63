// nn::functional convolution, padding and pooling over [N, C, H, W] (and [N, C, L] for conv1d).
#pragma once

#include "frontend/SymTensor.h"

#include <array>
#include <optional>
#include <string>

namespace nncc::nn::functional {

/// Two sizes (height, width), as PyTorch's int-or-tuple arguments; `scalar`
/// remembers that it was given as one int, for printing.
struct Size2 {
  Size2(int64_t v) : h(v), w(v), scalar(true) {} // NOLINT: PyTorch accepts an int
  Size2(int64_t h, int64_t w) : h(h), w(w) {}
  int64_t h, w;
  bool scalar = false;
  /// "3" or "(3, 3)" as PyTorch prints the argument it was given; `tuple`
  /// prints a tuple always, as convolutions store them.
  std::string str(bool tuple = false) const;
  bool operator==(const Size2 &o) const { return h == o.h && w == o.w; }
};

/// Fails recording with PyTorch's "Expected 3D (unbatched) or 4D (batched) input to conv2d" unless
/// `input` has `batchedDim` dims or one fewer (one sample without its batch dim).
void checkConvInput(const SymTensor &input, int64_t batchedDim, const char *op);

/// [N, C, H, W] (or unbatched [C, H, W]) input, [O, C/groups, kH, kW] weight, optional [O] bias;
/// padding is symmetric zeros (F::pad first for anything else).
SymTensor conv2d(const SymTensor &input, const SymTensor &weight, const SymTensor &bias = SymTensor(),
                 Size2 stride = 1, Size2 padding = 0, Size2 dilation = 1, int64_t groups = 1);
/// [N, C, L] (or [C, L]) input and [O, C/groups, k] weight, through conv2d on [N, C, 1, L].
SymTensor conv1d(const SymTensor &input, const SymTensor &weight, const SymTensor &bias = SymTensor(),
                 int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1, int64_t groups = 1);
/// [N, C, H, W] (or [C, H, W]) input, [C, O/groups, kH, kW] weight, optional [O] bias.
SymTensor conv_transpose2d(const SymTensor &input, const SymTensor &weight, const SymTensor &bias = SymTensor(),
                           Size2 stride = 1, Size2 padding = 0, Size2 output_padding = 0, int64_t groups = 1,
                           Size2 dilation = 1);
/// Pads the last two dims by [left, right, top, bottom]; mode is constant,
/// reflect, replicate or circular.
SymTensor pad(const SymTensor &input, const std::array<int64_t, 4> &pads, const std::string &mode = "constant",
              double value = 0.0);
/// Over [N, C, H, W] or [C, H, W]; stride defaults to kernel_size, as PyTorch's.
SymTensor max_pool2d(const SymTensor &input, Size2 kernel_size, std::optional<Size2> stride = std::nullopt,
                     Size2 padding = 0, Size2 dilation = 1, bool ceil_mode = false);
/// Over [N, C, H, W] or [C, H, W]; the divisor is the window's size (without the padding when
/// count_include_pad is false), or divisor_override.
SymTensor avg_pool2d(const SymTensor &input, Size2 kernel_size, std::optional<Size2> stride = std::nullopt,
                     Size2 padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                     std::optional<int64_t> divisor_override = std::nullopt);
/// Means over windows floor(i * in / out) to ceil((i + 1) * in / out), over [N, C, H, W] or [C, H, W].
SymTensor adaptive_avg_pool2d(const SymTensor &input, Size2 output_size);

} // namespace nncc::nn::functional
