// nn::functional core ops (linear, relu, flatten, matmul, add, mul): shape rule, then one nn op.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/functional/Record.h"

namespace nncc {

using namespace functional_detail;

Recorder &functional_detail::recorderOf(const char *op,
                                        std::initializer_list<const SymTensor *> operands) {
  Recorder *recorder = nullptr;
  for (const SymTensor *t : operands) {
    if (!t->defined()) {
      if (Recorder *active = Recorder::active())
        active->fail(op, "an operand is None");
      throw Error(std::string(op) + ": an operand is None");
    }
    if (t->is_index()) {
      // Indices feed only embedding, which takes them outside this check.
      std::string message = "expected a float tensor, got int64 indices " + ir::formatDims(t->shape());
      if (Recorder *active = Recorder::active())
        active->fail(op, message);
      throw Error(std::string(op) + ": " + message);
    }
    if (recorder && recorder != t->recorder())
      throw Error(std::string(op) + ": operands come from different recordings");
    recorder = t->recorder();
  }
  return *recorder;
}

namespace nn::functional {

SymTensor linear(const SymTensor &input, const SymTensor &weight, const SymTensor &bias) {
  Recorder &rec = recorderOf("linear", {&input, &weight});
  std::optional<ir::Dims> biasShape;
  if (bias.defined())
    biasShape = bias.shape();
  return build<ir::LinearOp>(
      rec, "linear",
      [&](std::string &e) { return ir::linearShape(input.shape(), weight.shape(), biasShape, e); },
      valueOf(input), valueOf(weight), bias.defined() ? valueOf(bias) : mlir::Value());
}

SymTensor relu(const SymTensor &input) {
  Recorder &rec = recorderOf("relu", {&input});
  return build<ir::ReluOp>(
      rec, "relu", [&](std::string &) { return std::optional<ir::Dims>(input.shape()); },
      valueOf(input));
}

SymTensor flatten(const SymTensor &input, int64_t start_dim, int64_t end_dim) {
  Recorder &rec = recorderOf("flatten", {&input});
  return build<ir::FlattenOp>(
      rec, "flatten",
      [&](std::string &e) { return ir::flattenShape(input.shape(), start_dim, end_dim, e); },
      valueOf(input), start_dim, end_dim);
}

SymTensor matmul(const SymTensor &a, const SymTensor &b) {
  Recorder &rec = recorderOf("matmul", {&a, &b});
  return build<ir::MatmulOp>(
      rec, "matmul", [&](std::string &e) { return ir::matmulShape(a.shape(), b.shape(), e); },
      valueOf(a), valueOf(b));
}

SymTensor add(const SymTensor &a, const SymTensor &b) {
  Recorder &rec = recorderOf("add", {&a, &b});
  return build<ir::AddOp>(
      rec, "add", [&](std::string &e) { return ir::broadcastShape(a.shape(), b.shape(), e); },
      valueOf(a), valueOf(b));
}

SymTensor mul(const SymTensor &a, const SymTensor &b) {
  Recorder &rec = recorderOf("mul", {&a, &b});
  return build<ir::MulOp>(
      rec, "mul", [&](std::string &e) { return ir::broadcastShape(a.shape(), b.shape(), e); },
      valueOf(a), valueOf(b));
}

} // namespace nn::functional

SymTensor operator+(const SymTensor &a, const SymTensor &b) { return F::add(a, b); }
SymTensor operator*(const SymTensor &a, const SymTensor &b) { return F::mul(a, b); }

} // namespace nncc
