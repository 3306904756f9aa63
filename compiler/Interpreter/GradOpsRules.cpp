// Interpreter rules of the backward-only ops of convolution, pooling and embedding: the textbook
// scatter loops, each adding a window's gradient in output order as PyTorch's CPU kernels do.
#include "compiler/Interpreter/ConvIndex.h"
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"

#include <cmath>
#include <limits>

namespace nncc::interp {
namespace {

/// dw[o, c, ky, kx] = sum over n, oy, ox of x[n, group(o) * C/G + c, iy, ix] * dy[n, o, oy, ox].
std::vector<Tensor> conv2dWeightGrad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::Conv2dWeightGradOp>(operation);
  View4 x(in[0]), dy(in[1]);
  Shape wShape = shapeOf(op.getResult());
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  auto groups = static_cast<int64_t>(op.getGroups());
  int64_t N = in[0].shape()[0], O = wShape[0], cg = wShape[1], og = O / groups;
  Tensor w = Tensor::empty(wShape);
  float *out = w.data();
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < cg; ++c)
      for (int64_t ky = 0; ky < wShape[2]; ++ky)
        for (int64_t kx = 0; kx < wShape[3]; ++kx) {
          double acc = 0;
          for (int64_t n = 0; n < N; ++n)
            for (int64_t oy = 0; oy < dy.H; ++oy)
              for (int64_t ox = 0; ox < dy.W; ++ox) {
                int64_t iy = oy * s[0] - p[0] + ky * d[0], ix = ox * s[1] - p[1] + kx * d[1];
                if (x.inside(iy, ix))
                  acc += static_cast<double>(x.at(n, o / og * cg + c, iy, ix)) * dy.at(n, o, oy, ox);
              }
          *out++ = static_cast<float>(acc);
        }
  return {w};
}

std::vector<Tensor> padGrad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::PadGradOp>(operation);
  const Tensor &dy = in[0];
  Shape xShape = shapeOf(op.getResult());
  auto pads = op.getPads();
  int64_t H = xShape[xShape.size() - 2], W = xShape.back();
  int64_t OH = dy.shape()[dy.dim() - 2], OW = dy.shape()[dy.dim() - 1];
  int64_t planes = dy.numel() / (OH * OW);
  Tensor dx = Tensor::zeros(xShape);
  for (int64_t plane = 0; plane < planes; ++plane)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox) {
        int64_t iy = ir::padSourceIndex(oy, pads[2], H, op.getMode());
        int64_t ix = ir::padSourceIndex(ox, pads[0], W, op.getMode());
        if (iy >= 0 && ix >= 0)
          dx.data()[(plane * H + iy) * W + ix] += dy.data()[(plane * OH + oy) * OW + ox];
      }
  return {dx};
}

/// Each window's gradient goes to its first maximum in window order (a NaN
/// winning), as PyTorch's max_pool2d_with_indices.
std::vector<Tensor> maxPoolGrad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::MaxPool2dGradOp>(operation);
  View4 x(in[0]), dy(in[1]);
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  Tensor dx = Tensor::zeros(in[0].shape());
  for (int64_t n = 0; n < in[1].shape()[0]; ++n)
    for (int64_t c = 0; c < dy.C; ++c)
      for (int64_t oy = 0; oy < dy.H; ++oy)
        for (int64_t ox = 0; ox < dy.W; ++ox) {
          float best = -std::numeric_limits<float>::infinity();
          int64_t argmax = -1;
          for (int64_t ky = 0; ky < k[0]; ++ky)
            for (int64_t kx = 0; kx < k[1]; ++kx) {
              int64_t iy = oy * s[0] - p[0] + ky * d[0], ix = ox * s[1] - p[1] + kx * d[1];
              if (!x.inside(iy, ix))
                continue;
              float v = x.at(n, c, iy, ix);
              if (argmax < 0 || v > best || std::isnan(v)) {
                best = v;
                argmax = x.offset(n, c, iy, ix);
              }
            }
          if (argmax >= 0)
            dx.data()[argmax] += dy.at(n, c, oy, ox);
        }
  return {dx};
}

std::vector<Tensor> avgPoolGrad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::AvgPool2dGradOp>(operation);
  View4 dy(in[0]);
  Tensor dx = Tensor::zeros(shapeOf(op.getResult()));
  View4 x(dx);
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  for (int64_t n = 0; n < in[0].shape()[0]; ++n)
    for (int64_t c = 0; c < dy.C; ++c)
      for (int64_t oy = 0; oy < dy.H; ++oy)
        for (int64_t ox = 0; ox < dy.W; ++ox) {
          auto rows = ir::avgPoolWindow(oy, k[0], s[0], p[0], x.H), cols = ir::avgPoolWindow(ox, k[1], s[1], p[1], x.W);
          int64_t divisor =
              ir::avgPoolDivisor(rows, cols, x.H, x.W, op.getDivisorOverride(), op.getCountIncludePad());
          float delta = dy.at(n, c, oy, ox) / static_cast<float>(divisor);
          for (int64_t iy = std::max<int64_t>(rows.first, 0); iy < std::min(rows.second, x.H); ++iy)
            for (int64_t ix = std::max<int64_t>(cols.first, 0); ix < std::min(cols.second, x.W); ++ix)
              dx.data()[x.offset(n, c, iy, ix)] += delta;
        }
  return {dx};
}

std::vector<Tensor> adaptiveAvgPoolGrad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  View4 dy(in[0]);
  Tensor dx = Tensor::zeros(shapeOf(operation->getResult(0)));
  View4 x(dx);
  for (int64_t n = 0; n < in[0].shape()[0]; ++n)
    for (int64_t c = 0; c < dy.C; ++c)
      for (int64_t oy = 0; oy < dy.H; ++oy)
        for (int64_t ox = 0; ox < dy.W; ++ox) {
          auto [y0, y1] = ir::adaptiveWindow(oy, x.H, dy.H);
          auto [x0, x1] = ir::adaptiveWindow(ox, x.W, dy.W);
          float delta = dy.at(n, c, oy, ox) / static_cast<float>((y1 - y0) * (x1 - x0));
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix)
              dx.data()[x.offset(n, c, iy, ix)] += delta;
        }
  return {dx};
}

std::vector<Tensor> embeddingGrad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::EmbeddingGradOp>(operation);
  const Tensor &indices = in[0], &dy = in[1];
  Tensor dw = Tensor::zeros(shapeOf(op.getResult()));
  int64_t rows = dw.shape()[0], dim = dw.shape()[1];
  std::optional<uint64_t> paddingIdx = op.getPaddingIdx();
  for (int64_t i = 0; i < indices.numel(); ++i) {
    int64_t row = embeddingRow(op, indices.data()[i], rows);
    if (paddingIdx && row == static_cast<int64_t>(*paddingIdx))
      continue;
    for (int64_t j = 0; j < dim; ++j)
      dw.data()[row * dim + j] += dy.data()[i * dim + j];
  }
  return {dw};
}

} // namespace

void addGradOpsRules(RuleTable &table) {
  table[ir::Conv2dWeightGradOp::getOperationName()] = conv2dWeightGrad;
  table[ir::PadGradOp::getOperationName()] = padGrad;
  table[ir::MaxPool2dGradOp::getOperationName()] = maxPoolGrad;
  table[ir::AvgPool2dGradOp::getOperationName()] = avgPoolGrad;
  table[ir::AdaptiveAvgPool2dGradOp::getOperationName()] = adaptiveAvgPoolGrad;
  table[ir::EmbeddingGradOp::getOperationName()] = embeddingGrad;
}

} // namespace nncc::interp
