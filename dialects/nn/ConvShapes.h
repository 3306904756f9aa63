// Shape rules of convolution, padding and pooling, shared by the verifiers and the recorder.
#pragma once

#include "dialects/nn/ShapeRules.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <initializer_list>
#include <utility>

namespace mlir {
class Operation;
} // namespace mlir

namespace nncc::ir {

using Pair = std::array<int64_t, 2>;

/// A (height, width) attribute as a Pair; {0, 0} when it does not hold two values (checkPairs
/// reports that).
Pair pair(llvm::ArrayRef<int64_t> values);
/// Fails with an error on `op` unless each of `lists` (stride, padding, ...) holds two values.
mlir::LogicalResult checkPairs(mlir::Operation *op, std::initializer_list<llvm::ArrayRef<int64_t>> lists);
/// nn.pad's `pads` attribute as [left, right, top, bottom], or an error on `op` unless it holds four values.
mlir::FailureOr<std::array<int64_t, 4>> padsOf(mlir::Operation *op, llvm::ArrayRef<int64_t> pads);

/// The source index of padded position `i` on an axis of `size` with `before` positions padded in
/// front, as nn.pad's `mode`; -1 for a constant-padded position. The interpreter reads (and its
/// gradient scatters) through it, and the pad-gradient lowering builds its tables with it.
int64_t padSourceIndex(int64_t i, int64_t before, int64_t size, llvm::StringRef mode);

/// Window [start, end) of average-pool output `o` on an axis of `size`: it starts at o * stride - pad
/// and is cut at the far padding, so it may reach into the padding on either side.
std::pair<int64_t, int64_t> avgPoolWindow(int64_t o, int64_t kernel, int64_t stride, int64_t pad, int64_t size);
/// What average pooling divides window `rows` x `cols` (from avgPoolWindow) of an H x W plane by:
/// `divisorOverride` when given, else the window's size with the padding when `countIncludePad`,
/// else without.
int64_t avgPoolDivisor(std::pair<int64_t, int64_t> rows, std::pair<int64_t, int64_t> cols, int64_t H, int64_t W,
                       std::optional<uint64_t> divisorOverride, bool countIncludePad);
/// Window [start, end) of adaptive-pool output `o` of `out` over an input axis of `in`, as PyTorch's
/// adaptive pooling: floor(o * in / out) to ceil((o + 1) * in / out).
std::pair<int64_t, int64_t> adaptiveWindow(int64_t o, int64_t in, int64_t out);

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
