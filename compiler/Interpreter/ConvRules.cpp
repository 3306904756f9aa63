// Interpreter rules of convolution, transposed convolution, padding and pooling: direct loops.
#include "compiler/Interpreter/ConvIndex.h"
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"

#include <cmath>
#include <limits>

namespace nncc::interp {
namespace {

std::vector<Tensor> conv2d(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::Conv2dOp>(operation);
  View4 x(in[0]), w(in[1]);
  Shape outShape = shapeOf(op.getResult());
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  auto groups = static_cast<int64_t>(op.getGroups());
  int64_t O = outShape[1], cg = x.C / groups, og = O / groups;
  Tensor y = Tensor::empty(outShape);
  float *out = y.data();
  for (int64_t n = 0; n < outShape[0]; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t oy = 0; oy < outShape[2]; ++oy)
        for (int64_t ox = 0; ox < outShape[3]; ++ox) {
          double acc = in.size() > 2 ? in[2].data()[o] : 0.0;
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t ky = 0; ky < w.H; ++ky)
              for (int64_t kx = 0; kx < w.W; ++kx) {
                int64_t iy = oy * s[0] - p[0] + ky * d[0], ix = ox * s[1] - p[1] + kx * d[1];
                if (x.inside(iy, ix))
                  acc += static_cast<double>(x.at(n, o / og * cg + c, iy, ix)) * w.at(o, c, ky, kx);
              }
          *out++ = static_cast<float>(acc);
        }
  return {y};
}

std::vector<Tensor> convTranspose2d(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::ConvTranspose2dOp>(operation);
  View4 x(in[0]), w(in[1]);
  Shape outShape = shapeOf(op.getResult());
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  auto groups = static_cast<int64_t>(op.getGroups());
  int64_t O = outShape[1], cg = x.C / groups, og = O / groups, OH = outShape[2], OW = outShape[3];
  std::vector<double> acc(static_cast<size_t>(outShape[0] * O * OH * OW), 0.0);
  for (int64_t n = 0; n < outShape[0]; ++n)
    for (int64_t c = 0; c < x.C; ++c)
      for (int64_t iy = 0; iy < x.H; ++iy)
        for (int64_t ix = 0; ix < x.W; ++ix)
          for (int64_t oo = 0; oo < og; ++oo)
            for (int64_t ky = 0; ky < w.H; ++ky)
              for (int64_t kx = 0; kx < w.W; ++kx) {
                int64_t oy = iy * s[0] - p[0] + ky * d[0], ox = ix * s[1] - p[1] + kx * d[1];
                if (oy < 0 || oy >= OH || ox < 0 || ox >= OW)
                  continue;
                int64_t o = c / cg * og + oo;
                acc[((n * O + o) * OH + oy) * OW + ox] += static_cast<double>(x.at(n, c, iy, ix)) * w.at(c, oo, ky, kx);
              }
  Tensor y = Tensor::empty(outShape);
  for (size_t i = 0; i < acc.size(); ++i)
    y.data()[i] = static_cast<float>(acc[i] + (in.size() > 2 ? in[2].data()[(i / (OH * OW)) % O] : 0.0));
  return {y};
}

std::vector<Tensor> pad(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::PadOp>(operation);
  const Tensor &x = in[0];
  Shape outShape = shapeOf(op.getResult());
  auto pads = op.getPads();
  int64_t H = x.shape()[x.dim() - 2], W = x.shape()[x.dim() - 1];
  int64_t OH = outShape[outShape.size() - 2], OW = outShape.back();
  int64_t planes = x.numel() / (H * W);
  Tensor y = Tensor::empty(outShape);
  auto value = static_cast<float>(op.getValue().convertToDouble());
  for (int64_t plane = 0; plane < planes; ++plane)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox) {
        int64_t iy = ir::padSourceIndex(oy, pads[2], H, op.getMode());
        int64_t ix = ir::padSourceIndex(ox, pads[0], W, op.getMode());
        y.data()[(plane * OH + oy) * OW + ox] = iy < 0 || ix < 0 ? value : x.data()[(plane * H + iy) * W + ix];
      }
  return {y};
}

std::vector<Tensor> maxPool(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::MaxPool2dOp>(operation);
  View4 x(in[0]);
  Shape outShape = shapeOf(op.getResult());
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  Tensor y = Tensor::empty(outShape);
  float *out = y.data();
  for (int64_t n = 0; n < outShape[0]; ++n)
    for (int64_t c = 0; c < outShape[1]; ++c)
      for (int64_t oy = 0; oy < outShape[2]; ++oy)
        for (int64_t ox = 0; ox < outShape[3]; ++ox) {
          float best = -std::numeric_limits<float>::infinity();
          for (int64_t ky = 0; ky < k[0]; ++ky)
            for (int64_t kx = 0; kx < k[1]; ++kx) {
              int64_t iy = oy * s[0] - p[0] + ky * d[0], ix = ox * s[1] - p[1] + kx * d[1];
              if (x.inside(iy, ix))
                best = std::max(best, x.at(n, c, iy, ix));
            }
          *out++ = best;
        }
  return {y};
}

std::vector<Tensor> avgPool(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::AvgPool2dOp>(operation);
  View4 x(in[0]);
  Shape outShape = shapeOf(op.getResult());
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  Tensor y = Tensor::empty(outShape);
  float *out = y.data();
  for (int64_t n = 0; n < outShape[0]; ++n)
    for (int64_t c = 0; c < outShape[1]; ++c)
      for (int64_t oy = 0; oy < outShape[2]; ++oy)
        for (int64_t ox = 0; ox < outShape[3]; ++ox) {
          auto rows = ir::avgPoolWindow(oy, k[0], s[0], p[0], x.H), cols = ir::avgPoolWindow(ox, k[1], s[1], p[1], x.W);
          double sum = 0;
          for (int64_t iy = std::max<int64_t>(rows.first, 0); iy < std::min(rows.second, x.H); ++iy)
            for (int64_t ix = std::max<int64_t>(cols.first, 0); ix < std::min(cols.second, x.W); ++ix)
              sum += x.at(n, c, iy, ix);
          int64_t divisor =
              ir::avgPoolDivisor(rows, cols, x.H, x.W, op.getDivisorOverride(), op.getCountIncludePad());
          *out++ = static_cast<float>(sum / static_cast<double>(divisor));
        }
  return {y};
}

std::vector<Tensor> adaptiveAvgPool(mlir::Operation *operation, const std::vector<Tensor> &in) {
  View4 x(in[0]);
  Shape outShape = shapeOf(operation->getResult(0));
  int64_t oh = outShape[2], ow = outShape[3];
  Tensor y = Tensor::empty(outShape);
  float *out = y.data();
  for (int64_t n = 0; n < outShape[0]; ++n)
    for (int64_t c = 0; c < outShape[1]; ++c)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          auto [y0, y1] = ir::adaptiveWindow(oy, x.H, oh);
          auto [x0, x1] = ir::adaptiveWindow(ox, x.W, ow);
          double sum = 0;
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix)
              sum += x.at(n, c, iy, ix);
          *out++ = static_cast<float>(sum / static_cast<double>((y1 - y0) * (x1 - x0)));
        }
  return {y};
}

} // namespace

void addConvRules(RuleTable &table) {
  table[ir::Conv2dOp::getOperationName()] = conv2d;
  table[ir::ConvTranspose2dOp::getOperationName()] = convTranspose2d;
  table[ir::PadOp::getOperationName()] = pad;
  table[ir::MaxPool2dOp::getOperationName()] = maxPool;
  table[ir::AvgPool2dOp::getOperationName()] = avgPool;
  table[ir::AdaptiveAvgPool2dOp::getOperationName()] = adaptiveAvgPool;
}

} // namespace nncc::interp
