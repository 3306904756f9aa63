// The interpreter's walk: inputs and state in, one rule per op, results out.
#include "compiler/Interpreter/Interpreter.h"
#include "compiler/Interpreter/Rules.h"
#include "compiler/Location.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>

namespace nncc {

namespace interp {

Shape shapeOf(mlir::Value value) {
  auto s = mlir::cast<mlir::RankedTensorType>(value.getType()).getShape();
  return Shape(s.begin(), s.end());
}

std::string where(mlir::Operation *op) { return formatLocation(op->getLoc()); }

} // namespace interp

namespace {

const interp::RuleTable &rules() {
  static const interp::RuleTable table = [] {
    interp::RuleTable t;
    interp::addCoreRules(t);
    interp::addModeRules(t);
    interp::addTensorOpsRules(t);
    interp::addActivationRules(t);
    interp::addConvRules(t);
    interp::addTrainOpsRules(t);
    interp::addGradOpsRules(t);
    return t;
  }();
  return table;
}

} // namespace

/// Runs the callbacks of hook point `hook` on a copy of `value`, which becomes the result.
static Tensor runHook(ir::HookOp hook, const std::string &entry, const Tensor &value,
                      const Tensor &moduleInput, const rt::Hooks &hooks) {
  rt::HookKind kind;
  rt::parseHookKind(hook.getKind().str(), &kind);
  Tensor tapped = value.clone();
  Tensor input = moduleInput.defined() ? moduleInput.clone() : Tensor();
  std::string path = hook.getPath().str();
  std::string className = hook.getModuleClass() ? hook.getModuleClass()->str() : "";
  rt::HookEvent event{path, kind, className, entry.c_str(), {tapped.data(), &tapped.shape()},
                      {input.defined() ? input.data() : nullptr,
                       input.defined() ? &input.shape() : nullptr}};
  hooks.dispatch(event);
  return tapped;
}

std::vector<Tensor> interpret(mlir::ModuleOp module, const std::string &entry,
                              const std::vector<Tensor> &inputs, const StateDict &state,
                              const rt::Hooks *hooks) {
  using interp::shapeOf;
  using interp::where;
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
  std::map<std::string, Tensor> updates;
  for (mlir::Operation &op : func.getBody().front()) {
    if (auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (mlir::Value v : ret.getOperands())
        results.push_back(env[v].clone());
      // Buffers take their new values once the forward is done, as the
      // runtime copies them back after a compiled call.
      for (auto &[key, value] : updates) {
        Tensor target = *state.find(key);
        target.copy_(value);
      }
      return results;
    }
    if (auto get = mlir::dyn_cast<ir::GetOp>(op)) {
      const Tensor *t = state.find(get.getName().str());
      if (!t)
        throw Error(where(&op) + ": no value for '" + get.getName().str() + "'");
      if (t->shape() != shapeOf(get.getResult()))
        throw Error(where(&op) + ": '" + get.getName().str() + "' has shape " +
                    ir::formatDims(t->shape()) + ", the IR expects " +
                    ir::formatDims(shapeOf(get.getResult())));
      env[get.getResult()] = *t;
      continue;
    }
    if (auto assign = mlir::dyn_cast<ir::AssignOp>(op)) {
      if (!state.find(assign.getName().str()))
        throw Error(where(&op) + ": no value for '" + assign.getName().str() + "'");
      updates[assign.getName().str()] = env[assign.getValue()];
      continue;
    }
    if (auto hook = mlir::dyn_cast<ir::HookOp>(op)) {
      Tensor input = env[hook.getInput()];
      env[hook.getResult()] = hooks ? runHook(hook, entry, input, hook.getModuleInput()
                                                  ? env[hook.getModuleInput()] : Tensor(), *hooks)
                                    : input;
      continue;
    }
    if (auto mark = mlir::dyn_cast<ir::GradHookOp>(op)) {
      env[mark.getResult()] = env[mark.getInput()];
      continue;
    }
    auto rule = rules().find(op.getName().getStringRef());
    if (rule == rules().end())
      throw Error(where(&op) + ": the interpreter has no rule for '" +
                  op.getName().getStringRef().str() + "'");
    std::vector<Tensor> operands;
    for (mlir::Value v : op.getOperands())
      operands.push_back(env[v]);
    std::vector<Tensor> results = rule->second(&op, operands);
    for (unsigned i = 0; i < op.getNumResults(); ++i)
      env[op.getResult(i)] = results[i];
  }
  throw Error("function '" + entry + "' has no return");
}

} // namespace nncc
