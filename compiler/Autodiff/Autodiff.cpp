// Reverse-mode autodiff over one block of nn ops: which ops are active, then a reverse walk that
// asks each op for its vector-Jacobian product and accumulates it per value.
#include "compiler/Autodiff/Autodiff.h"
#include "compiler/Location.h"
#include "dialects/nn/NNGradient.h"
#include "dialects/nn/gradients/GradientUtils.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace nncc {

FailureOr<llvm::DenseMap<Value, Value>>
differentiate(func::FuncOp func, ArrayRef<Value> sources, ArrayRef<std::pair<Value, Value>> seeds,
              OpBuilder &b) {
  Block &body = func.getBody().front();
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator())
    ops.push_back(&op);

  // Varied: depends on a source. Useful: a seed depends on it.
  llvm::DenseSet<Value> varied(sources.begin(), sources.end()), useful;
  for (Operation *op : ops)
    if (llvm::any_of(op->getOperands(), [&](Value v) { return varied.contains(v); }))
      varied.insert(op->result_begin(), op->result_end());
  for (auto &[value, grad] : seeds)
    useful.insert(value);
  for (Operation *op : llvm::reverse(ops))
    if (llvm::any_of(op->getResults(), [&](Value v) { return useful.contains(v); }))
      useful.insert(op->operand_begin(), op->operand_end());
  auto active = [&](Value v) { return varied.contains(v) && useful.contains(v); };

  llvm::DenseMap<Value, Value> grads;
  auto accumulate = [&](Value value, Value grad, Location loc) {
    auto [it, inserted] = grads.try_emplace(value, grad);
    if (!inserted) {
      ir::grad::GradBuilder g(b, loc);
      it->second = g.add(it->second, grad);
    }
  };
  for (auto &[value, grad] : seeds)
    accumulate(value, grad, value.getLoc());

  for (Operation *op : llvm::reverse(ops)) {
    if (!llvm::any_of(op->getResults(), [&](Value v) { return active(v) && grads.count(v); }) ||
        !llvm::any_of(op->getOperands(), active))
      continue;
    auto rule = dyn_cast<ir::GradientOpInterface>(op);
    if (!rule)
      return op->emitOpError("has no gradient rule (at ") << formatLocation(op->getLoc()) << ")";
    SmallVector<Value> resultGrads;
    for (Value r : op->getResults())
      resultGrads.push_back(grads.lookup(r));
    SmallVector<Value> operandGrads(op->getNumOperands());
    if (failed(rule.buildGradient(b, resultGrads, operandGrads)))
      return failure();
    for (auto [operand, grad] : llvm::zip(op->getOperands(), operandGrads))
      if (grad && active(operand))
        accumulate(operand, grad, op->getLoc());
  }

  llvm::DenseMap<Value, Value> result;
  for (Value source : sources)
    if (Value grad = grads.lookup(source))
      result[source] = grad;
  return result;
}

Value totalGradient(OpBuilder &b, ArrayRef<Value> reads, const llvm::DenseMap<Value, Value> &grads) {
  Value total;
  for (Value read : reads)
    if (Value grad = grads.lookup(read))
      total = total ? ir::grad::GradBuilder(b, read.getLoc()).add(total, grad) : grad;
  return total;
}

void eraseDeadOps(func::FuncOp func) {
  Block &body = func.getBody().front();
  SmallVector<Operation *> ops;
  for (Operation &op : body.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (op->use_empty() && isMemoryEffectFree(op))
      op->erase();
}

} // namespace nncc
