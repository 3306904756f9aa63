// Verifiers of the nn ops: each checks shapes with the rule the recorder uses.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;

namespace nncc::ir {
void nameGradientResults(Operation *op, OpAsmSetValueNameFn setName) {
  auto name = dyn_cast<NameLoc>(op->getLoc());
  if (name && op->getNumResults() == 1 && name.getName().strref().starts_with(kGradPrefix))
    setName(op->getResult(0), name.getName().strref());
}

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
  Operation *decl = symbolTable.lookupNearestSymbolFrom(*this, getNameAttr());
  Type declared;
  if (auto buffer = dyn_cast_or_null<BufferOp>(decl))
    declared = buffer.getType();
  else if (auto param = dyn_cast_or_null<ParameterOp>(decl); param && !param.getFrozen())
    declared = param.getType();
  else
    return emitOpError("'") << getName()
                            << "' is not a buffer or trainable parameter of the model; only those "
                               "are assigned";
  if (declared != getValue().getType())
    return emitOpError("value type ") << getValue().getType() << " does not match the declaration of '"
                                      << getName() << "' as " << declared;
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
