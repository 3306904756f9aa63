// Module-level state the generated entry points add: gradient and optimizer buffers.
#pragma once

#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace nncc {

/// Declares non-persistent buffers next to the model's own state, and reads
/// and writes them at a builder's insertion point.
class StateDecls {
public:
  explicit StateDecls(mlir::ModuleOp module) : module_(module) {}
  /// `nn.get` of buffer `name` (declared with `type` on first use).
  mlir::Value read(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef name,
                   mlir::Type type);
  /// `nn.assign` of `value` to a declared buffer or a parameter.
  void write(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef name, mlir::Value value);

private:
  mlir::ModuleOp module_;
};

/// The trainable parameters of `module`, in declaration order.
llvm::SmallVector<nncc::ir::ParameterOp> trainableParameters(mlir::ModuleOp module);

/// The `nn.get` results of `func` that read parameter `name`.
llvm::SmallVector<mlir::Value> readsOf(mlir::func::FuncOp func, llvm::StringRef name);

} // namespace nncc
