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
/// Rules of batch_norm and dropout.
void addModeRules(RuleTable &table);

/// The static shape of a tensor-typed value.
Shape shapeOf(mlir::Value value);
/// The op's location (its module path) as text, for messages.
std::string where(mlir::Operation *op);

} // namespace nncc::interp
