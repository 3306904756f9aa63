// Shape rules of convolution, padding and pooling, shared by the verifiers and the recorder.
#pragma once

#include "dialects/nn/ShapeRules.h"

#include <array>

namespace nncc::ir {

using Pair = std::array<int64_t, 2>;

/// Output extent of a window sweep: floor or ceil((in + 2p - d(k-1) - 1) / s) + 1,
/// and in ceil mode the last window must start inside the input or left padding.
int64_t pooledSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation, bool ceil);

/// [N, O, outH, outW] of nn.conv2d: input [N, C, H, W], weight [O, C/groups, kH, kW], bias [O], with
/// PyTorch's channel and kernel-size messages.
std::optional<Dims> conv2dShape(const Dims &input, const Dims &weight, const std::optional<Dims> &bias,
                                Pair stride, Pair padding, Pair dilation, int64_t groups, std::string &error);
/// [N, O, outH, outW] of nn.conv_transpose2d: input [N, C, H, W], weight [C, O/groups, kH, kW], bias [O];
/// out = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1.
std::optional<Dims> convTranspose2dShape(const Dims &input, const Dims &weight, const std::optional<Dims> &bias,
                                         Pair stride, Pair padding, Pair outputPadding, Pair dilation,
                                         int64_t groups, std::string &error);
/// The shape of nn.pad: pads = [left, right, top, bottom] of the last two dims; reflect needs each pad
/// below the dim, circular at most the dim.
std::optional<Dims> padShape(const Dims &input, const std::array<int64_t, 4> &pads, const std::string &mode,
                             std::string &error);
/// [N, C, outH, outW] of a 2-D max or average pool, with PyTorch's padding and output-size checks.
std::optional<Dims> pool2dShape(const Dims &input, Pair kernel, Pair stride, Pair padding, Pair dilation,
                                bool ceilMode, std::string &error);

} // namespace nncc::ir
