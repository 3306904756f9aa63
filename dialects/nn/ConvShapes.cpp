// Shape rules of convolution, padding and pooling, with PyTorch's messages.
#include "dialects/nn/ConvShapes.h"

#include "mlir/IR/Operation.h"

#include <algorithm>

namespace nncc::ir {

Pair pair(llvm::ArrayRef<int64_t> values) { return values.size() == 2 ? Pair{values[0], values[1]} : Pair{0, 0}; }

mlir::LogicalResult checkPairs(mlir::Operation *op, std::initializer_list<llvm::ArrayRef<int64_t>> lists) {
  for (llvm::ArrayRef<int64_t> l : lists)
    if (l.size() != 2)
      return op->emitOpError("stride, padding, dilation and kernel take two values (height, width)");
  return mlir::success();
}

mlir::FailureOr<std::array<int64_t, 4>> padsOf(mlir::Operation *op, llvm::ArrayRef<int64_t> pads) {
  if (pads.size() != 4)
    return op->emitOpError("pads takes [left, right, top, bottom]");
  return std::array<int64_t, 4>{pads[0], pads[1], pads[2], pads[3]};
}

int64_t padSourceIndex(int64_t i, int64_t before, int64_t size, llvm::StringRef mode) {
  int64_t j = i - before;
  if (j >= 0 && j < size)
    return j;
  if (mode == "replicate")
    return j < 0 ? 0 : size - 1;
  if (mode == "circular")
    return ((j % size) + size) % size;
  if (mode == "reflect")
    return j < 0 ? -j : 2 * (size - 1) - j;
  return -1;
}

std::pair<int64_t, int64_t> avgPoolWindow(int64_t o, int64_t kernel, int64_t stride, int64_t pad, int64_t size) {
  int64_t start = o * stride - pad;
  return {start, std::min(start + kernel, size + pad)};
}

int64_t avgPoolDivisor(std::pair<int64_t, int64_t> rows, std::pair<int64_t, int64_t> cols, int64_t H, int64_t W,
                       std::optional<uint64_t> divisorOverride, bool countIncludePad) {
  auto [y0, y1] = rows;
  auto [x0, x1] = cols;
  if (divisorOverride)
    return static_cast<int64_t>(*divisorOverride);
  if (countIncludePad)
    return (y1 - y0) * (x1 - x0);
  return (std::min(y1, H) - std::max<int64_t>(y0, 0)) * (std::min(x1, W) - std::max<int64_t>(x0, 0));
}

std::pair<int64_t, int64_t> adaptiveWindow(int64_t o, int64_t in, int64_t out) {
  return {o * in / out, ((o + 1) * in + out - 1) / out};
}

int64_t pooledSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation, bool ceil) {
  int64_t span = in + 2 * pad - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  int64_t out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceil && (out - 1) * stride >= in + pad)
    --out;
  return out;
}

static bool positive(Pair p) { return p[0] > 0 && p[1] > 0; }

std::optional<Dims> conv2dShape(const Dims &input, const Dims &weight, const std::optional<Dims> &bias,
                                Pair stride, Pair padding, Pair dilation, int64_t groups, std::string &error) {
  if (input.size() != 4 || weight.size() != 4) {
    error = "expected a 4-D input [N, C, H, W] and a 4-D weight, got input " + formatDims(input) +
            " and weight " + formatDims(weight);
    return std::nullopt;
  }
  if (!positive(stride) || !positive(dilation) || padding[0] < 0 || padding[1] < 0 || groups < 1) {
    error = "stride and dilation must be positive, padding non-negative, groups at least 1";
    return std::nullopt;
  }
  if (input[1] != weight[1] * groups) {
    error = "Given groups=" + std::to_string(groups) + ", weight of size " + formatDims(weight) +
            ", expected input" + formatDims(input) + " to have " + std::to_string(weight[1] * groups) +
            " channels, but got " + std::to_string(input[1]) + " channels instead";
    return std::nullopt;
  }
  if (weight[0] % groups != 0) {
    error = "out_channels " + std::to_string(weight[0]) + " must be divisible by groups " + std::to_string(groups);
    return std::nullopt;
  }
  if (bias && *bias != Dims{weight[0]}) {
    error = "bias " + formatDims(*bias) + " must be [" + std::to_string(weight[0]) + "]";
    return std::nullopt;
  }
  Dims out{input[0], weight[0]};
  for (int i = 0; i < 2; ++i)
    out.push_back(pooledSize(input[2 + i], weight[2 + i], stride[i], padding[i], dilation[i], false));
  if (out[2] <= 0 || out[3] <= 0) {
    error = "Calculated padded input size per channel: (" + std::to_string(input[2] + 2 * padding[0]) + " x " +
            std::to_string(input[3] + 2 * padding[1]) + "). Kernel size: (" +
            std::to_string(dilation[0] * (weight[2] - 1) + 1) + " x " +
            std::to_string(dilation[1] * (weight[3] - 1) + 1) + "). Kernel size can't be greater than actual input size";
    return std::nullopt;
  }
  return out;
}

std::optional<Dims> convTranspose2dShape(const Dims &input, const Dims &weight, const std::optional<Dims> &bias,
                                         Pair stride, Pair padding, Pair outputPadding, Pair dilation,
                                         int64_t groups, std::string &error) {
  if (input.size() != 4 || weight.size() != 4 || groups < 1 || input[1] != weight[0] || input[1] % groups) {
    error = "expected input [N, C, H, W] and weight [C, out/groups, kH, kW] with C divisible by groups, got "
            "input " + formatDims(input) + ", weight " + formatDims(weight) + ", groups " + std::to_string(groups);
    return std::nullopt;
  }
  if (!positive(stride) || !positive(dilation) || padding[0] < 0 || padding[1] < 0 || outputPadding[0] < 0 ||
      outputPadding[1] < 0) {
    error = "stride and dilation must be positive, padding and output_padding non-negative";
    return std::nullopt;
  }
  Dims out{input[0], weight[1] * groups};
  for (int i = 0; i < 2; ++i) {
    if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
      error = "output padding must be smaller than either stride or dilation, but got output_padding_height: " +
              std::to_string(outputPadding[0]) + " output_padding_width: " + std::to_string(outputPadding[1]) +
              " stride_height: " + std::to_string(stride[0]) + " stride_width: " + std::to_string(stride[1]) +
              " dilation_height: " + std::to_string(dilation[0]) + " dilation_width: " + std::to_string(dilation[1]);
      return std::nullopt;
    }
    out.push_back((input[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (weight[2 + i] - 1) +
                  outputPadding[i] + 1);
  }
  if (out[2] <= 0 || out[3] <= 0) {
    error = "Given input size per channel: (" + std::to_string(input[2]) + " x " + std::to_string(input[3]) +
            "). Calculated output size per channel: (" + std::to_string(out[2]) + " x " + std::to_string(out[3]) +
            "). Output size is too small";
    return std::nullopt;
  }
  if (bias && *bias != Dims{out[1]}) {
    error = "bias " + formatDims(*bias) + " must be [" + std::to_string(out[1]) + "]";
    return std::nullopt;
  }
  return out;
}

std::optional<Dims> padShape(const Dims &input, const std::array<int64_t, 4> &pads, const std::string &mode,
                             std::string &error) {
  if (input.size() < 2) {
    error = "pad needs at least 2 dimensions, got " + formatDims(input);
    return std::nullopt;
  }
  if (mode != "constant" && mode != "reflect" && mode != "replicate" && mode != "circular") {
    error = "Unrecognised padding mode " + mode;
    return std::nullopt;
  }
  size_t h = input.size() - 2, w = input.size() - 1;
  for (int64_t p : pads)
    if (p < 0) {
      error = "negative padding is not supported";
      return std::nullopt;
    }
  // pads[0..1] pad dim w, pads[2..3] dim h.
  for (int i = 0; i < 4; i += 2) {
    size_t dim = i == 0 ? w : h;
    if (mode == "reflect" && (pads[i] >= input[dim] || pads[i + 1] >= input[dim])) {
      error = "Padding size should be less than the corresponding input dimension, but got: padding (" +
              std::to_string(pads[i]) + ", " + std::to_string(pads[i + 1]) + ") at dimension " + std::to_string(dim) +
              " of input " + formatDims(input);
      return std::nullopt;
    }
    if (mode == "circular" && (pads[i] > input[dim] || pads[i + 1] > input[dim])) {
      error = "Padding value causes wrapping around more than once: padding (" + std::to_string(pads[i]) + ", " +
              std::to_string(pads[i + 1]) + ") at dimension " + std::to_string(dim) + " of input " + formatDims(input);
      return std::nullopt;
    }
  }
  Dims out = input;
  out[w] += pads[0] + pads[1];
  out[h] += pads[2] + pads[3];
  return out;
}

std::optional<Dims> pool2dShape(const Dims &input, Pair kernel, Pair stride, Pair padding, Pair dilation,
                                bool ceilMode, std::string &error) {
  if (input.size() != 4) {
    error = "expected a 4-D input [N, C, H, W], got " + formatDims(input);
    return std::nullopt;
  }
  for (int i = 0; i < 2; ++i)
    if (padding[i] * 2 > kernel[i] || padding[i] < 0) {
      error = "pad should be at most half of kernel size, but got pad=" + std::to_string(padding[i]) +
              " and kernel_size=" + std::to_string(kernel[i]);
      return std::nullopt;
    }
  if (!positive(kernel) || !positive(stride) || !positive(dilation)) {
    error = "kernel, stride and dilation must be positive";
    return std::nullopt;
  }
  Dims out{input[0], input[1]};
  for (int i = 0; i < 2; ++i)
    out.push_back(pooledSize(input[2 + i], kernel[i], stride[i], padding[i], dilation[i], ceilMode));
  if (out[2] <= 0 || out[3] <= 0) {
    error = "Given input size: (" + std::to_string(input[1]) + "x" + std::to_string(input[2]) + "x" +
            std::to_string(input[3]) + "). Calculated output size: (" + std::to_string(input[1]) + "x" +
            std::to_string(out[2]) + "x" + std::to_string(out[3]) + "). Output size is too small";
    return std::nullopt;
  }
  return out;
}

} // namespace nncc::ir
