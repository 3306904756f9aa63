// Interpreter rules of the core ops: textbook loops, accumulating in index order.
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/NNOps.h"

#include <cmath>

namespace nncc::interp {
namespace {

Tensor linear(const Tensor &x, const Tensor &w, const Tensor *b, const Shape &outShape) {
  Tensor y = Tensor::empty(outShape);
  int64_t in = w.shape()[1], out = w.shape()[0], rows = x.numel() / in;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < out; ++o) {
      float acc = 0;
      for (int64_t k = 0; k < in; ++k)
        acc += x.data()[r * in + k] * w.data()[o * in + k];
      y.data()[r * out + o] = b ? acc + b->data()[o] : acc;
    }
  return y;
}

Tensor matmul(const Tensor &a, const Tensor &b, const Shape &outShape) {
  Tensor c = Tensor::empty(outShape);
  size_t r = outShape.size();
  int64_t batch = r == 3 ? outShape[0] : 1, m = outShape[r - 2], n = outShape[r - 1];
  int64_t k = a.shape()[r - 1];
  for (int64_t bi = 0; bi < batch; ++bi)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float acc = 0;
        for (int64_t p = 0; p < k; ++p)
          acc += a.data()[(bi * m + i) * k + p] * b.data()[(bi * k + p) * n + j];
        c.data()[(bi * m + i) * n + j] = acc;
      }
  return c;
}

} // namespace

void addCoreRules(RuleTable &table) {
  table[ir::LinearOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{
        linear(in[0], in[1], in.size() > 2 ? &in[2] : nullptr, shapeOf(op->getResult(0)))};
  };
  table[ir::ReluOp::getOperationName()] = [](mlir::Operation *, const std::vector<Tensor> &in) {
    Tensor y = in[0].clone();
    for (int64_t i = 0; i < y.numel(); ++i)
      y.data()[i] = y.data()[i] > 0 || std::isnan(y.data()[i]) ? y.data()[i] : 0.0f;
    return std::vector<Tensor>{y};
  };
  table[ir::AddOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{broadcast(in[0], in[1], shapeOf(op->getResult(0)),
                                         [](float a, float b) { return a + b; })};
  };
  table[ir::MulOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{broadcast(in[0], in[1], shapeOf(op->getResult(0)),
                                         [](float a, float b) { return a * b; })};
  };
  table[ir::MatmulOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{matmul(in[0], in[1], shapeOf(op->getResult(0)))};
  };
  table[ir::FlattenOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    const Tensor &x = in[0];
    return std::vector<Tensor>{Tensor::fromVector(shapeOf(op->getResult(0)),
                                                  std::vector<float>(x.data(), x.data() + x.numel()))};
  };
}

} // namespace nncc::interp
