// Verifiers of the tensor manipulation ops, through the shape rules the recorder uses.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

using namespace mlir;

namespace nncc::ir {

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError("value type ") << getValue().getType() << " must equal the result type "
                                      << getType();
  return success();
}

LogicalResult SubOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return broadcastShape(dimsOf(getLhs()), dimsOf(getRhs()), error);
  });
}

LogicalResult DivOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return broadcastShape(dimsOf(getLhs()), dimsOf(getRhs()), error);
  });
}

LogicalResult ReshapeOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return reshapeShape(dimsOf(getInput()), dimsOf(getResult()), error);
  });
}

LogicalResult PermuteOp::verify() {
  Dims dims(getDims().begin(), getDims().end());
  return verifyShapeRule(*this, [&](std::string &error) {
    return permuteShape(dimsOf(getInput()), dims, error);
  });
}

LogicalResult NarrowOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return narrowShape(dimsOf(getInput()), static_cast<int64_t>(getDim()),
                       static_cast<int64_t>(getStart()), static_cast<int64_t>(getLength()), error);
  });
}

LogicalResult ConcatOp::verify() {
  std::vector<Dims> inputs;
  for (Value v : getInputs())
    inputs.push_back(dimsOf(v));
  return verifyShapeRule(*this, [&](std::string &error) {
    return concatShape(inputs, static_cast<int64_t>(getDim()), error);
  });
}

LogicalResult EmbeddingOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) {
    return embeddingShape(dimsOf(getIndices()), dimsOf(getWeight()), error);
  });
}

} // namespace nncc::ir
