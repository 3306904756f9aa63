// Evaluation rules of the nn ops over host tensors.
#include "compiler/Interpreter/Interpreter.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

namespace nncc {
namespace {

Shape shapeOf(mlir::Value v) {
  auto s = mlir::cast<mlir::RankedTensorType>(v.getType()).getShape();
  return Shape(s.begin(), s.end());
}

std::string where(mlir::Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->getLoc().print(os);
  return text;
}

/// Strides of a C-order shape.
std::vector<int64_t> stridesOf(const Shape &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Numpy broadcasting: out[i] = fn(lhs[bcast(i)], rhs[bcast(i)]).
template <typename Fn> Tensor broadcast(const Tensor &lhs, const Tensor &rhs, const Shape &outShape, Fn fn) {
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

Tensor reshaped(const Tensor &t, const Shape &shape) {
  return Tensor::fromVector(shape, std::vector<float>(t.data(), t.data() + t.numel()));
}

} // namespace

std::vector<Tensor> interpret(mlir::ModuleOp module, const std::string &entry,
                              const std::vector<Tensor> &inputs, const StateDict &state) {
  auto func = module.lookupSymbol<mlir::func::FuncOp>(entry);
  if (!func || func.isExternal())
    throw Error("the model has no function '" + entry + "'");
  if (inputs.size() != func.getNumArguments())
    throw Error(entry + " takes " + std::to_string(func.getNumArguments()) + " inputs, got " +
                std::to_string(inputs.size()));
  llvm::DenseMap<mlir::Value, Tensor> env;
  for (unsigned i = 0; i < inputs.size(); ++i) {
    Shape expected = shapeOf(func.getArgument(i));
    if (inputs[i].shape() != expected)
      throw Error("input " + std::to_string(i) + " has shape " + ir::formatDims(inputs[i].shape()) +
                  ", the model expects " + ir::formatDims(expected));
    env[func.getArgument(i)] = inputs[i];
  }
  std::vector<Tensor> results;
  for (mlir::Operation &op : func.getBody().front()) {
    auto in = [&](unsigned i) -> const Tensor & { return env[op.getOperand(i)]; };
    Shape outShape = op.getNumResults() ? shapeOf(op.getResult(0)) : Shape();
    Tensor value =
        llvm::TypeSwitch<mlir::Operation *, Tensor>(&op)
            .Case([&](ir::GetOp get) {
              const Tensor *t = state.find(get.getName().str());
              if (!t)
                throw Error(where(&op) + ": no value for '" + get.getName().str() + "'");
              if (t->shape() != outShape)
                throw Error(where(&op) + ": '" + get.getName().str() + "' has shape " +
                            ir::formatDims(t->shape()) + ", the IR expects " +
                            ir::formatDims(outShape));
              return *t;
            })
            .Case([&](ir::LinearOp l) {
              Tensor bias;
              if (l.getBias())
                bias = env[l.getBias()];
              return linear(in(0), in(1), l.getBias() ? &bias : nullptr, outShape);
            })
            .Case([&](ir::ReluOp) {
              Tensor y = in(0).clone();
              for (int64_t i = 0; i < y.numel(); ++i)
                y.data()[i] = y.data()[i] > 0 || std::isnan(y.data()[i]) ? y.data()[i] : 0.0f;
              return y;
            })
            .Case([&](ir::AddOp) {
              return broadcast(in(0), in(1), outShape, [](float a, float b) { return a + b; });
            })
            .Case([&](ir::MulOp) {
              return broadcast(in(0), in(1), outShape, [](float a, float b) { return a * b; });
            })
            .Case([&](ir::MatmulOp) { return matmul(in(0), in(1), outShape); })
            .Case([&](ir::FlattenOp) { return reshaped(in(0), outShape); })
            .Case([&](mlir::func::ReturnOp ret) {
              for (mlir::Value v : ret.getOperands())
                results.push_back(env[v]);
              return Tensor();
            })
            .Default([&](mlir::Operation *other) -> Tensor {
              throw Error(where(other) + ": the interpreter has no rule for '" +
                          other->getName().getStringRef().str() + "'");
            });
    if (op.getNumResults())
      env[op.getResult(0)] = value;
  }
  return results;
}

} // namespace nncc
