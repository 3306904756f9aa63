// Interpreter rules of sum, expand, the elementwise math ops, activation_grad and one_hot, in
// double precision per element, with the derivative formulas of PyTorch's backward kernels.
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/NNOps.h"

#include <cmath>

namespace nncc::interp {
namespace {

using Operands = const std::vector<Tensor> &;

template <typename Fn> std::vector<Tensor> unary(const Tensor &x, Fn fn) {
  Tensor y = Tensor::empty(x.shape());
  for (int64_t i = 0; i < x.numel(); ++i)
    y.data()[i] = static_cast<float>(fn(static_cast<double>(x.data()[i])));
  return {y};
}

/// Accumulates each element into the result element it sums into, in order.
std::vector<Tensor> sum(mlir::Operation *op, Operands in) {
  auto dims = mlir::cast<ir::SumOp>(op).getDims();
  const Shape &shape = in[0].shape();
  Shape kept = shape;
  for (int64_t d : dims)
    kept[d] = 1;
  auto inStrides = stridesOf(shape), keptStrides = stridesOf(kept);
  std::vector<double> acc(Tensor::empty(kept).numel(), 0.0);
  for (int64_t i = 0; i < in[0].numel(); ++i) {
    int64_t target = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      target += (kept[d] == 1 ? 0 : i / inStrides[d] % shape[d]) * keptStrides[d];
    acc[target] += in[0].data()[i];
  }
  return {Tensor::fromVector(shapeOf(op->getResult(0)), std::vector<float>(acc.begin(), acc.end()))};
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

/// f'(x) for activation_grad's kinds.
double derivative(llvm::StringRef kind, double x, double alpha) {
  if (kind == "relu")
    return x > 0 ? 1 : 0;
  if (kind == "leaky_relu")
    return x > 0 ? 1 : alpha;
  if (kind == "abs")
    return x > 0 ? 1 : (x < 0 ? -1 : 0);
  if (kind == "sigmoid")
    return sigmoid(x) * (1 - sigmoid(x));
  if (kind == "tanh")
    return 1 - std::tanh(x) * std::tanh(x);
  if (kind == "silu")
    return sigmoid(x) * (1 + x * (1 - sigmoid(x)));
  if (kind == "hardswish")
    return x < -3 ? 0 : (x <= 3 ? x / 3 + 0.5 : 1);
  if (kind == "gelu")
    return 0.5 * (1 + std::erf(x * M_SQRT1_2)) + x * std::exp(-0.5 * x * x) * 0.5 * M_2_SQRTPI * M_SQRT1_2;
  double beta = std::sqrt(2.0 / M_PI), kappa = 0.044715;
  double t = std::tanh(beta * (x + kappa * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * beta * (1 + 3 * kappa * x * x);
}

} // namespace

void addTrainOpsRules(RuleTable &table) {
  table[ir::SumOp::getOperationName()] = sum;
  table[ir::ExpandOp::getOperationName()] = [](mlir::Operation *op, Operands in) {
    return std::vector<Tensor>{broadcast(in[0], in[0], shapeOf(op->getResult(0)),
                                         [](float a, float) { return a; })};
  };
  table[ir::ExpOp::getOperationName()] = [](mlir::Operation *, Operands in) {
    return unary(in[0], [](double x) { return std::exp(x); });
  };
  table[ir::LogOp::getOperationName()] = [](mlir::Operation *, Operands in) {
    return unary(in[0], [](double x) { return std::log(x); });
  };
  table[ir::SqrtOp::getOperationName()] = [](mlir::Operation *, Operands in) {
    return unary(in[0], [](double x) { return std::sqrt(x); });
  };
  table[ir::AbsOp::getOperationName()] = [](mlir::Operation *, Operands in) {
    return unary(in[0], [](double x) { return std::fabs(x); });
  };
  table[ir::NegOp::getOperationName()] = [](mlir::Operation *, Operands in) {
    return unary(in[0], [](double x) { return -x; });
  };
  table[ir::ActivationGradOp::getOperationName()] = [](mlir::Operation *op, Operands in) {
    auto grad = mlir::cast<ir::ActivationGradOp>(op);
    llvm::StringRef kind = grad.getKind();
    double alpha = grad.getAlpha() ? grad.getAlpha()->convertToDouble() : 0.0;
    Tensor out = Tensor::empty(in[0].shape());
    for (int64_t i = 0; i < out.numel(); ++i)
      out.data()[i] = static_cast<float>(in[0].data()[i] * derivative(kind, in[1].data()[i], alpha));
    return std::vector<Tensor>{out};
  };
  table[ir::OneHotOp::getOperationName()] = [](mlir::Operation *op, Operands in) {
    std::optional<int64_t> ignore = mlir::cast<ir::OneHotOp>(op).getIgnoreIndex();
    Tensor out = Tensor::zeros(shapeOf(op->getResult(0)));
    int64_t classes = out.shape().back();
    for (int64_t i = 0; i < in[0].numel(); ++i) {
      auto cls = static_cast<int64_t>(in[0].data()[i]);
      if (cls >= 0 && cls < classes && (!ignore || cls != *ignore))
        out.data()[i * classes + cls] = 1.0f;
    }
    return std::vector<Tensor>{out};
  };
}

} // namespace nncc::interp
