// Verifiers of the nn ops: each checks shapes with the rule the recorder uses.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cctype>

using namespace mlir;

namespace nncc::ir {
void nameGradientResults(Operation *op, OpAsmSetValueNameFn setName) {
  auto name = dyn_cast<NameLoc>(op->getLoc());
  if (!name || op->getNumResults() == 0)
    return;
  llvm::StringRef path = name.getName().strref();
  if (path.starts_with(kGradPrefix) && op->getNumResults() == 1) {
    setName(op->getResult(0), path);
    return;
  }
  // Results are named after their module path (%features.0, %features.0_1, ...), so that
  // dumps of two versions of a model diff by module rather than by renumbered values.
  std::string stable = path == "<root>" ? "root" : path.str();
  if (!stable.empty() && std::isdigit(static_cast<unsigned char>(stable[0])))
    stable = "m" + stable;
  setName(op->getResult(0), stable);
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
