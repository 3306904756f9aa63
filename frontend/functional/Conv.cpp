// Recording convolution, padding and pooling, with the shape rules' checks.
#include "frontend/functional/Conv.h"
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"
#include "frontend/functional/Record.h"

namespace nncc::nn::functional {

using namespace functional_detail;

std::string Size2::str(bool tuple) const {
  if (scalar && !tuple)
    return std::to_string(h);
  return "(" + std::to_string(h) + ", " + std::to_string(w) + ")";
}

namespace {

ir::Pair pair(Size2 s) { return {s.h, s.w}; }

/// PyTorch's functions also take one sample without its batch dim: `op` runs on `input` with a
/// batch of one added when it has `batchedDim - 1` dims, and that dim is dropped from the result.
template <typename Op> SymTensor unbatched(const SymTensor &input, int64_t batchedDim, Op op) {
  if (input.dim() != batchedDim - 1)
    return op(input);
  std::vector<int64_t> shape = input.shape();
  shape.insert(shape.begin(), 1);
  SymTensor y = op(input.reshape(shape));
  std::vector<int64_t> out = y.shape();
  out.erase(out.begin());
  return y.reshape(out);
}

/// Fails recording `op` with `message` + the input's shape unless `input` has 3 or 4 dims.
void checkPoolInput(Recorder &rec, const SymTensor &input, const char *op, const std::string &message) {
  if (input.dim() != 3 && input.dim() != 4)
    rec.fail(op, message + ir::formatDims(input.shape()));
}

} // namespace

void checkConvInput(const SymTensor &input, int64_t batchedDim, const char *op) {
  Recorder &rec = recorderOf(op, {&input});
  if (input.dim() != batchedDim && input.dim() != batchedDim - 1)
    rec.fail(op, "Expected " + std::to_string(batchedDim - 1) + "D (unbatched) or " + std::to_string(batchedDim) +
                     "D (batched) input to " + op + ", but got input of size: " + ir::formatDims(input.shape()));
}

SymTensor conv2d(const SymTensor &input, const SymTensor &weight, const SymTensor &bias, Size2 stride,
                 Size2 padding, Size2 dilation, int64_t groups) {
  Recorder &rec = recorderOf("conv2d", {&input, &weight});
  checkConvInput(input, 4, "conv2d");
  std::optional<ir::Dims> biasShape;
  if (bias.defined())
    biasShape = bias.shape();
  mlir::OpBuilder &b = rec.builder();
  return unbatched(input, 4, [&](const SymTensor &x) {
    return build<ir::Conv2dOp>(
        rec, "conv2d",
        [&](std::string &e) {
          return ir::conv2dShape(x.shape(), weight.shape(), biasShape, pair(stride), pair(padding), pair(dilation),
                                 groups, e);
        },
        valueOf(x), valueOf(weight), bias.defined() ? valueOf(bias) : mlir::Value(),
        b.getDenseI64ArrayAttr({stride.h, stride.w}), b.getDenseI64ArrayAttr({padding.h, padding.w}),
        b.getDenseI64ArrayAttr({dilation.h, dilation.w}), b.getI64IntegerAttr(groups));
  });
}

SymTensor conv1d(const SymTensor &input, const SymTensor &weight, const SymTensor &bias, int64_t stride,
                 int64_t padding, int64_t dilation, int64_t groups) {
  Recorder &rec = recorderOf("conv1d", {&input, &weight});
  checkConvInput(input, 3, "conv1d");
  if (weight.dim() != 3)
    rec.fail("conv1d", "expected a 3-D weight [out_channels, in_channels / groups, kernel_size], got " +
                           ir::formatDims(weight.shape()));
  SymTensor w = weight.reshape({weight.size(0), weight.size(1), 1, weight.size(2)});
  return unbatched(input, 3, [&](const SymTensor &x) {
    SymTensor y = conv2d(x.reshape({x.size(0), x.size(1), 1, x.size(2)}), w, bias, Size2(1, stride),
                         Size2(0, padding), Size2(1, dilation), groups);
    return y.reshape({y.size(0), y.size(1), y.size(3)});
  });
}

SymTensor conv_transpose2d(const SymTensor &input, const SymTensor &weight, const SymTensor &bias, Size2 stride,
                           Size2 padding, Size2 output_padding, int64_t groups, Size2 dilation) {
  Recorder &rec = recorderOf("conv_transpose2d", {&input, &weight});
  checkConvInput(input, 4, "conv_transpose2d");
  std::optional<ir::Dims> biasShape;
  if (bias.defined())
    biasShape = bias.shape();
  mlir::OpBuilder &b = rec.builder();
  return unbatched(input, 4, [&](const SymTensor &x) {
    return build<ir::ConvTranspose2dOp>(
        rec, "conv_transpose2d",
        [&](std::string &e) {
          return ir::convTranspose2dShape(x.shape(), weight.shape(), biasShape, pair(stride), pair(padding),
                                          pair(output_padding), pair(dilation), groups, e);
        },
        valueOf(x), valueOf(weight), bias.defined() ? valueOf(bias) : mlir::Value(),
        b.getDenseI64ArrayAttr({stride.h, stride.w}), b.getDenseI64ArrayAttr({padding.h, padding.w}),
        b.getDenseI64ArrayAttr({output_padding.h, output_padding.w}),
        b.getDenseI64ArrayAttr({dilation.h, dilation.w}), b.getI64IntegerAttr(groups));
  });
}

SymTensor pad(const SymTensor &input, const std::array<int64_t, 4> &pads, const std::string &mode, double value) {
  Recorder &rec = recorderOf("pad", {&input});
  mlir::OpBuilder &b = rec.builder();
  return build<ir::PadOp>(
      rec, "pad", [&](std::string &e) { return ir::padShape(input.shape(), pads, mode, e); }, valueOf(input),
      b.getDenseI64ArrayAttr({pads[0], pads[1], pads[2], pads[3]}), b.getStringAttr(mode), b.getF64FloatAttr(value));
}

SymTensor max_pool2d(const SymTensor &input, Size2 kernel_size, std::optional<Size2> stride, Size2 padding,
                     Size2 dilation, bool ceil_mode) {
  Recorder &rec = recorderOf("max_pool2d", {&input});
  checkPoolInput(rec, input, "max_pool2d", "non-empty 3D or 4D (batch mode) tensor expected for input, got ");
  Size2 s = stride.value_or(kernel_size);
  mlir::OpBuilder &b = rec.builder();
  return unbatched(input, 4, [&](const SymTensor &x) {
    return build<ir::MaxPool2dOp>(
        rec, "max_pool2d",
        [&](std::string &e) {
          return ir::pool2dShape(x.shape(), pair(kernel_size), pair(s), pair(padding), pair(dilation), ceil_mode, e);
        },
        valueOf(x), b.getDenseI64ArrayAttr({kernel_size.h, kernel_size.w}), b.getDenseI64ArrayAttr({s.h, s.w}),
        b.getDenseI64ArrayAttr({padding.h, padding.w}), b.getDenseI64ArrayAttr({dilation.h, dilation.w}),
        b.getBoolAttr(ceil_mode));
  });
}

SymTensor avg_pool2d(const SymTensor &input, Size2 kernel_size, std::optional<Size2> stride, Size2 padding,
                     bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  Recorder &rec = recorderOf("avg_pool2d", {&input});
  checkPoolInput(rec, input, "avg_pool2d", "non-empty 3D or 4D (batch mode) tensor expected for input, got ");
  Size2 s = stride.value_or(kernel_size);
  if (divisor_override && *divisor_override == 0)
    rec.fail("avg_pool2d", "divisor must be not zero");
  mlir::OpBuilder &b = rec.builder();
  return unbatched(input, 4, [&](const SymTensor &x) {
    return build<ir::AvgPool2dOp>(
        rec, "avg_pool2d",
        [&](std::string &e) {
          return ir::pool2dShape(x.shape(), pair(kernel_size), pair(s), pair(padding), {1, 1}, ceil_mode, e);
        },
        valueOf(x), b.getDenseI64ArrayAttr({kernel_size.h, kernel_size.w}), b.getDenseI64ArrayAttr({s.h, s.w}),
        b.getDenseI64ArrayAttr({padding.h, padding.w}), b.getBoolAttr(ceil_mode), b.getBoolAttr(count_include_pad),
        divisor_override ? b.getI64IntegerAttr(*divisor_override) : mlir::IntegerAttr());
  });
}

SymTensor adaptive_avg_pool2d(const SymTensor &input, Size2 output_size) {
  Recorder &rec = recorderOf("adaptive_avg_pool2d", {&input});
  checkPoolInput(rec, input, "adaptive_avg_pool2d", "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ");
  if (output_size.h <= 0 || output_size.w <= 0)
    rec.fail("adaptive_avg_pool2d", "output_size must be positive, got " + output_size.str(/*tuple=*/true));
  return unbatched(input, 4, [&](const SymTensor &x) {
    return build<ir::AdaptiveAvgPool2dOp>(
        rec, "adaptive_avg_pool2d",
        [&](std::string &) -> std::optional<ir::Dims> {
          return ir::Dims{x.size(0), x.size(1), output_size.h, output_size.w};
        },
        valueOf(x));
  });
}

} // namespace nncc::nn::functional
