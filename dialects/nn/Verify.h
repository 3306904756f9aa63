// What the nn op verifiers share: static shapes, and checking a result against a shape rule.
#pragma once

#include "dialects/nn/ShapeRules.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace nncc::ir {

/// The static shape of a ranked tensor value.
inline Dims dimsOf(mlir::Value v) {
  auto shape = mlir::cast<mlir::RankedTensorType>(v.getType()).getShape();
  return Dims(shape.begin(), shape.end());
}

/// Checks that every operand and the result are statically shaped, then that
/// `rule` (returning the shape, or nullopt with its error) accepts the
/// operands and gives exactly the declared result shape.
template <typename RuleFn>
mlir::LogicalResult verifyShapeRule(mlir::Operation *op, RuleFn rule) {
  llvm::SmallVector<mlir::Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  for (mlir::Type t : types)
    if (!mlir::cast<mlir::RankedTensorType>(t).hasStaticShape())
      return op->emitOpError("requires statically shaped tensors, got ") << t;
  std::string error;
  std::optional<Dims> expected = rule(error);
  if (!expected)
    return op->emitOpError(error);
  Dims actual = dimsOf(op->getResult(0));
  if (actual != *expected)
    return op->emitOpError("result shape ")
           << formatDims(actual) << " does not match the expected " << formatDims(*expected);
  return mlir::success();
}

} // namespace nncc::ir
