// Optimizer updates as nn ops: SGD (momentum, dampening, nesterov, weight decay), Adam and AdamW,
// with PyTorch 1.13's formulas.
#pragma once

#include "compiler/Autodiff/StateDecls.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace nncc {

/// One optimizer step over a model's parameters. Built once per train step:
/// the constructor reads and advances the shared step counter `optim.step`.
class OptimizerBuilder {
public:
  /// Fails with a diagnostic on `module` when `config` (the `nn.optimizer`
  /// attribute) is missing or malformed.
  static mlir::FailureOr<OptimizerBuilder> create(mlir::ModuleOp module, mlir::OpBuilder &b,
                                                  StateDecls &state);
  /// Assigns parameter `name` its updated value from its value `param` at
  /// entry and its gradient `grad`, updating its optimizer state.
  void update(llvm::StringRef name, mlir::Value param, mlir::Value grad);

private:
  OptimizerBuilder(mlir::OpBuilder &b, StateDecls &state, mlir::Location loc)
      : b_(&b), state_(&state), loc_(loc) {}
  void sgd(llvm::StringRef name, mlir::Value param, mlir::Value grad);
  void adam(llvm::StringRef name, mlir::Value param, mlir::Value grad);

  mlir::OpBuilder *b_;
  StateDecls *state_;
  mlir::Location loc_;
  std::string kind_;
  double lr_ = 0, momentum_ = 0, dampening_ = 0, weightDecay_ = 0, beta1_ = 0, beta2_ = 0, eps_ = 0;
  bool nesterov_ = false;
  /// The step counter before and after this step.
  mlir::Value step_, nextStep_;
};

} // namespace nncc
