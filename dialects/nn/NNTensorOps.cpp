// Verifiers of the tensor manipulation ops, through the shape rules the recorder uses.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"

using namespace mlir;

namespace nncc::ir {
namespace {

Dims dimsOf(Value v) {
  auto shape = cast<RankedTensorType>(v.getType()).getShape();
  return Dims(shape.begin(), shape.end());
}

/// Emits `error` when the rule fails, or a mismatch with the declared result.
LogicalResult checkResult(Operation *op, const std::optional<Dims> &expected,
                          const std::string &error) {
  if (!expected)
    return op->emitOpError(error);
  Dims actual = dimsOf(op->getResult(0));
  if (actual != *expected)
    return op->emitOpError("result shape ")
           << formatDims(actual) << " does not match the expected " << formatDims(*expected);
  return success();
}

} // namespace

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError("value type ") << getValue().getType() << " must equal the result type "
                                      << getType();
  return success();
}

LogicalResult SubOp::verify() {
  std::string error;
  return checkResult(*this, broadcastShape(dimsOf(getLhs()), dimsOf(getRhs()), error), error);
}

LogicalResult DivOp::verify() {
  std::string error;
  return checkResult(*this, broadcastShape(dimsOf(getLhs()), dimsOf(getRhs()), error), error);
}

LogicalResult ReshapeOp::verify() {
  std::string error;
  return checkResult(*this, reshapeShape(dimsOf(getInput()), dimsOf(getResult()), error), error);
}

LogicalResult PermuteOp::verify() {
  std::string error;
  Dims dims(getDims().begin(), getDims().end());
  return checkResult(*this, permuteShape(dimsOf(getInput()), dims, error), error);
}

LogicalResult NarrowOp::verify() {
  std::string error;
  return checkResult(*this,
                     narrowShape(dimsOf(getInput()), static_cast<int64_t>(getDim()),
                                 static_cast<int64_t>(getStart()), static_cast<int64_t>(getLength()),
                                 error),
                     error);
}

LogicalResult ConcatOp::verify() {
  std::string error;
  std::vector<Dims> inputs;
  for (Value v : getInputs())
    inputs.push_back(dimsOf(v));
  return checkResult(*this, concatShape(inputs, static_cast<int64_t>(getDim()), error), error);
}

LogicalResult EmbeddingOp::verify() {
  std::string error;
  return checkResult(*this, embeddingShape(dimsOf(getIndices()), dimsOf(getWeight()), error), error);
}

} // namespace nncc::ir
