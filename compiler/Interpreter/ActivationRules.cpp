// Interpreter rules of the activations, softmax/log_softmax, layer_norm and group_norm, in double
// precision where PyTorch accumulates more accurately than a naive float loop.
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/NNOps.h"

#include <cmath>

namespace nncc::interp {
namespace {

/// Applies `fn` to each element.
template <typename Fn> std::vector<Tensor> unary(const Tensor &x, Fn fn) {
  Tensor y = Tensor::empty(x.shape());
  for (int64_t i = 0; i < x.numel(); ++i)
    y.data()[i] = static_cast<float>(fn(static_cast<double>(x.data()[i])));
  return {y};
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

/// Softmax or log-softmax of `x` along `dim`.
Tensor softmax(const Tensor &x, int64_t dim, bool log) {
  const Shape &shape = x.shape();
  int64_t extent = shape[dim], inner = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t outer = x.numel() / (extent * inner);
  Tensor y = Tensor::empty(shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return (o * extent + k) * inner + i; };
      double max = -INFINITY, sum = 0;
      for (int64_t k = 0; k < extent; ++k)
        max = std::max(max, static_cast<double>(x.data()[at(k)]));
      for (int64_t k = 0; k < extent; ++k)
        sum += std::exp(x.data()[at(k)] - max);
      for (int64_t k = 0; k < extent; ++k) {
        double shifted = x.data()[at(k)] - max;
        y.data()[at(k)] = static_cast<float>(log ? shifted - std::log(sum) : std::exp(shifted) / sum);
      }
    }
  return y;
}

/// Normalizes each of `groups` consecutive blocks of `size` elements.
void normalizeBlocks(const Tensor &x, Tensor &y, int64_t groups, int64_t size, double eps) {
  for (int64_t g = 0; g < groups; ++g) {
    const float *in = x.data() + g * size;
    double mean = 0, var = 0;
    for (int64_t i = 0; i < size; ++i)
      mean += in[i];
    mean /= static_cast<double>(size);
    for (int64_t i = 0; i < size; ++i)
      var += (in[i] - mean) * (in[i] - mean);
    var /= static_cast<double>(size);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < size; ++i)
      y.data()[g * size + i] = static_cast<float>((in[i] - mean) * inv);
  }
}

std::vector<Tensor> layerNorm(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::LayerNormOp>(operation);
  const Tensor &x = in[0];
  auto k = static_cast<size_t>(op.getNormalizedNdim());
  int64_t size = 1;
  for (size_t d = x.shape().size() - k; d < x.shape().size(); ++d)
    size *= x.shape()[d];
  Tensor y = Tensor::empty(x.shape());
  normalizeBlocks(x, y, x.numel() / size, size, op.getEps().convertToDouble());
  if (in.size() > 1)
    for (int64_t i = 0; i < y.numel(); ++i)
      y.data()[i] = y.data()[i] * in[1].data()[i % size] + in[2].data()[i % size];
  return {y};
}

std::vector<Tensor> groupNorm(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::GroupNormOp>(operation);
  const Tensor &x = in[0];
  int64_t n = x.shape()[0], c = x.shape()[1], groups = static_cast<int64_t>(op.getNumGroups());
  int64_t spatial = x.numel() / (n * c);
  Tensor y = Tensor::empty(x.shape());
  normalizeBlocks(x, y, n * groups, c / groups * spatial, op.getEps().convertToDouble());
  if (in.size() > 1)
    for (int64_t i = 0; i < y.numel(); ++i) {
      int64_t channel = i / spatial % c;
      y.data()[i] = y.data()[i] * in[1].data()[channel] + in[2].data()[channel];
    }
  return {y};
}

} // namespace

void addActivationRules(RuleTable &table) {
  table[ir::SigmoidOp::getOperationName()] = [](mlir::Operation *, const std::vector<Tensor> &in) {
    return unary(in[0], sigmoid);
  };
  table[ir::TanhOp::getOperationName()] = [](mlir::Operation *, const std::vector<Tensor> &in) {
    return unary(in[0], [](double x) { return std::tanh(x); });
  };
  table[ir::SiluOp::getOperationName()] = [](mlir::Operation *, const std::vector<Tensor> &in) {
    return unary(in[0], [](double x) { return x * sigmoid(x); });
  };
  table[ir::HardswishOp::getOperationName()] = [](mlir::Operation *, const std::vector<Tensor> &in) {
    return unary(in[0], [](double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; });
  };
  table[ir::LeakyReluOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    double slope = mlir::cast<ir::LeakyReluOp>(op).getNegativeSlope().convertToDouble();
    return unary(in[0], [slope](double x) { return x > 0 ? x : x * slope; });
  };
  table[ir::GeluOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    if (mlir::cast<ir::GeluOp>(op).getApproximate() == "tanh")
      return unary(in[0], [](double x) {
        return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
      });
    return unary(in[0], [](double x) { return 0.5 * x * (1 + std::erf(x * M_SQRT1_2)); });
  };
  table[ir::SoftmaxOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    auto dim = static_cast<int64_t>(mlir::cast<ir::SoftmaxOp>(op).getDim());
    return std::vector<Tensor>{softmax(in[0], dim < 0 ? dim + in[0].dim() : dim, false)};
  };
  table[ir::LogSoftmaxOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    auto dim = static_cast<int64_t>(mlir::cast<ir::LogSoftmaxOp>(op).getDim());
    return std::vector<Tensor>{softmax(in[0], dim < 0 ? dim + in[0].dim() : dim, true)};
  };
  table[ir::LayerNormOp::getOperationName()] = layerNorm;
  table[ir::GroupNormOp::getOperationName()] = groupNorm;
}

} // namespace nncc::interp
