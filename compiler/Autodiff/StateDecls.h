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

/// A trainable parameter and the `nn.get` results that read it in one function.
struct ParameterReads {
  nncc::ir::ParameterOp param;
  llvm::SmallVector<mlir::Value, 1> reads;
};

/// The trainable parameters of `module`, in declaration order, with their
/// reads in `func` (found in one walk); the reads of all of them are the
/// sources autodiff differentiates with respect to.
llvm::SmallVector<ParameterReads> parameterReads(mlir::ModuleOp module, mlir::func::FuncOp func,
                                                 llvm::SmallVectorImpl<mlir::Value> &sources);

} // namespace nncc
