// Evaluation rules of the reference interpreter, one table keyed by op name, filled per op family.
#pragma once

#include "frontend/Tensor.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <string>
#include <vector>

namespace nncc::interp {

/// Computes an op's results from its operand values (in operand order).
using Rule = std::function<std::vector<Tensor>(mlir::Operation *op, const std::vector<Tensor> &operands)>;
using RuleTable = llvm::StringMap<Rule>;

/// Rules of linear, relu, add, mul, matmul, flatten.
void addCoreRules(RuleTable &table);
/// Rules of the activations, softmax/log_softmax, layer_norm and group_norm.
void addActivationRules(RuleTable &table);
/// Rules of conv2d, conv_transpose2d, pad and the 2-D pools.
void addConvRules(RuleTable &table);
/// Rules of batch_norm and dropout.
void addModeRules(RuleTable &table);
/// Rules of constant, sub, div, reshape, permute, narrow and concat.
void addTensorOpsRules(RuleTable &table);

/// Rules of sum, expand, the elementwise math ops, activation_grad and one_hot.
void addTrainOpsRules(RuleTable &table);
/// Rules of the backward-only ops of convolution, pooling and embedding.
void addGradOpsRules(RuleTable &table);

/// Strides of a C-order shape.
inline std::vector<int64_t> stridesOf(const Shape &shape) {
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

/// The static shape of a tensor-typed value.
Shape shapeOf(mlir::Value value);
/// The op's location (its module path) as text, for messages.
std::string where(mlir::Operation *op);
/// The table row an embedding index `value` names; throws, naming `op`, unless it is a whole
/// number in [0, rows). Shared by embedding and its gradient.
int64_t embeddingRow(mlir::Operation *op, float value, int64_t rows);

} // namespace nncc::interp
