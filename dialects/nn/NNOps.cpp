// Verifiers of the nn ops: each checks shapes with the rule the recorder uses.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;

namespace nncc::ir {
namespace {

Dims dimsOf(Value v) {
  auto shape = cast<RankedTensorType>(v.getType()).getShape();
  return Dims(shape.begin(), shape.end());
}

/// Checks that every operand and the result are statically shaped, then that
/// `rule` accepts the operands and gives exactly the declared result shape.
template <typename RuleFn>
LogicalResult verifyShapeRule(Operation *op, RuleFn rule) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  for (Type t : types)
    if (!cast<RankedTensorType>(t).hasStaticShape())
      return op->emitOpError("requires statically shaped tensors, got ") << t;
  std::string error;
  std::optional<Dims> expected = rule(error);
  if (!expected)
    return op->emitOpError(error);
  Dims actual = dimsOf(op->getResult(0));
  if (actual != *expected)
    return op->emitOpError("result shape ")
           << formatDims(actual) << " does not match the expected " << formatDims(*expected);
  return success();
}

} // namespace

LogicalResult GetOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *decl = symbolTable.lookupNearestSymbolFrom(*this, getNameAttr());
  Type declared;
  if (auto param = dyn_cast_or_null<ParameterOp>(decl))
    declared = param.getType();
  else if (auto buffer = dyn_cast_or_null<BufferOp>(decl))
    declared = buffer.getType();
  else
    return emitOpError("'") << getName() << "' is not a parameter or buffer of the model";
  if (declared != getType())
    return emitOpError("type ") << getType() << " does not match the declaration of '"
                                << getName() << "' as " << declared;
  return success();
}

LogicalResult AssignOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto buffer = dyn_cast_or_null<BufferOp>(symbolTable.lookupNearestSymbolFrom(*this, getNameAttr()));
  if (!buffer)
    return emitOpError("'") << getName() << "' is not a buffer of the model; only buffers are assigned";
  if (buffer.getType() != getValue().getType())
    return emitOpError("value type ") << getValue().getType() << " does not match the declaration of '"
                                      << getName() << "' as " << buffer.getType();
  return success();
}

LogicalResult LinearOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    std::optional<Dims> bias;
    if (getBias())
      bias = dimsOf(getBias());
    return linearShape(dimsOf(getInput()), dimsOf(getWeight()), bias, error);
  });
}

template <typename BinaryOp> static LogicalResult verifyBroadcast(BinaryOp op) {
  return verifyShapeRule(op, [&](std::string &error) {
    return broadcastShape(dimsOf(op.getLhs()), dimsOf(op.getRhs()), error);
  });
}
LogicalResult AddOp::verify() { return verifyBroadcast(*this); }
LogicalResult MulOp::verify() { return verifyBroadcast(*this); }

LogicalResult MatmulOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return matmulShape(dimsOf(getLhs()), dimsOf(getRhs()), error);
  });
}

LogicalResult FlattenOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return flattenShape(dimsOf(getInput()), getStartDim(), getEndDim(), error);
  });
}

} // namespace nncc::ir

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.cpp.inc"
