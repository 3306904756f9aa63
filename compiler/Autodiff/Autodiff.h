// Reverse-mode differentiation of an nn function body, generic over ops: each op's gradient
// rule comes from its GradientOpInterface.
#pragma once

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace nncc {

/// Builds, at `b`'s insertion point in `func`'s body, the gradient of a
/// scalar function of `seeds`' values with respect to `sources`: each seed
/// pairs a value of the body with the gradient flowing into it. Only ops
/// between a source and a seed are differentiated; a value reached along
/// several paths (a parameter used twice) accumulates every contribution.
/// Returns each source's gradient; a source no seed depends on is absent.
/// Fails, with a diagnostic naming the op's module path, when an op on the
/// way has no gradient rule.
mlir::FailureOr<llvm::DenseMap<mlir::Value, mlir::Value>>
differentiate(mlir::func::FuncOp func, llvm::ArrayRef<mlir::Value> sources,
              llvm::ArrayRef<std::pair<mlir::Value, mlir::Value>> seeds, mlir::OpBuilder &b);

/// The sum of the gradients of `reads` (every read of one parameter), or a
/// null Value when none has one.
mlir::Value totalGradient(mlir::OpBuilder &b, llvm::ArrayRef<mlir::Value> reads,
                          const llvm::DenseMap<mlir::Value, mlir::Value> &grads);

/// Removes ops of `func` whose results are unused and that have no side
/// effects, so that gradient code nothing needs (a frozen weight's, an
/// input's) leaves no trace.
void eraseDeadOps(mlir::func::FuncOp func);

} // namespace nncc
