// The reference interpreter: a plain C++ evaluator of the nn dialect, the oracle for every backend.
#pragma once

#include "frontend/StateDict.h"
#include "frontend/Tensor.h"
#include "runtime/Hooks.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace nncc {

/// Runs `func.func @<entry>` of an nn-dialect module on `inputs`, reading
/// parameters and buffers from `state` by state_dict key. Loops are the
/// textbook ones, accumulating in order, so any backend can be checked
/// against them. `nn.get` reads the value at entry; `nn.assign`ed values are
/// written into the state's tensors (whose storage is shared with the module
/// they came from) when the function returns, so a train-mode forward
/// updates running statistics as PyTorch's does. Throws nncc::Error naming
/// the input, key or op location when the inputs or state do not match.
/// Hook points (`nn.hook`) call `hooks`' callbacks when given, with `entry`
/// as the event's entry; what a callback throws propagates.
std::vector<Tensor> interpret(mlir::ModuleOp module, const std::string &entry,
                              const std::vector<Tensor> &inputs, const StateDict &state,
                              const rt::Hooks *hooks = nullptr);

} // namespace nncc
