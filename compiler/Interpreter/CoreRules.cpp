// Interpreter rules of the core ops: textbook loops, accumulating in index order.
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/NNOps.h"

#include <cmath>

namespace nncc::interp {
namespace {

/// Strides of a C-order shape.
std::vector<int64_t> stridesOf(const Shape &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Numpy broadcasting: out[i] = fn(lhs[bcast(i)], rhs[bcast(i)]).
template <typename Fn>
Tensor broadcast(const Tensor &lhs, const Tensor &rhs, const Shape &outShape, Fn fn) {
  Tensor out = Tensor::empty(outShape);
  auto outStrides = stridesOf(outShape);
  auto offsetIn = [&](const Tensor &t, int64_t flat) {
    const Shape &s = t.shape();
    auto strides = stridesOf(s);
    int64_t lead = static_cast<int64_t>(outShape.size() - s.size()), offset = 0;
    for (size_t d = 0; d < s.size(); ++d) {
      int64_t index = flat / outStrides[d + lead] % outShape[d + lead];
      offset += (s[d] == 1 ? 0 : index) * strides[d];
    }
    return offset;
  };
  for (int64_t i = 0; i < out.numel(); ++i)
    out.data()[i] = fn(lhs.data()[offsetIn(lhs, i)], rhs.data()[offsetIn(rhs, i)]);
  return out;
}

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
