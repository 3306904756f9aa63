// Verifiers of batch_norm and dropout.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"

using namespace mlir;

namespace nncc::ir {

LogicalResult BatchNormOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (inputType.getRank() < 2)
    return emitOpError("input must be [N, C, ...], got ") << inputType;
  if (getResult().getType() != inputType)
    return emitOpError("result type ") << getResult().getType() << " must equal the input type";
  int64_t channels = inputType.getDimSize(1);
  auto channelVector = RankedTensorType::get({channels}, inputType.getElementType());
  for (Value v : {getRunningMean(), getRunningVar(), getWeight(), getBias()})
    if (v && v.getType() != channelVector)
      return emitOpError("per-channel operands must be ") << channelVector << ", got " << v.getType();
  bool running = static_cast<bool>(getRunningMean());
  if (running != static_cast<bool>(getRunningVar()))
    return emitOpError("running_mean and running_var come together");
  if (getNumBatchesTracked() && !running)
    return emitOpError("num_batches_tracked needs the running statistics");
  if (static_cast<bool>(getWeight()) != static_cast<bool>(getBias()))
    return emitOpError("weight and bias come together");
  if (getNumBatchesTracked() && cast<RankedTensorType>(getNumBatchesTracked().getType()).getRank() != 0)
    return emitOpError("num_batches_tracked must be a scalar tensor");
  if (running && getTraining() && !getMomentum() && !getNumBatchesTracked())
    return emitOpError("a cumulative average (no momentum) needs num_batches_tracked");
  size_t expected = running && getTraining() ? (getNumBatchesTracked() ? 3 : 2) : 0;
  if (getUpdatedStats().size() != expected)
    return emitOpError("returns ") << expected << " updated statistics in this mode, not "
                                   << getUpdatedStats().size();
  for (size_t i = 0; i < expected; ++i) {
    Type want = i < 2 ? Type(channelVector) : getNumBatchesTracked().getType();
    if (getUpdatedStats()[i].getType() != want)
      return emitOpError("updated statistic ") << i << " must be " << want;
  }
  if (getEps().convertToDouble() < 0)
    return emitOpError("eps must be non-negative");
  if (auto m = getMomentum(); m && (m->convertToDouble() < 0 || m->convertToDouble() > 1))
    return emitOpError("momentum must be in [0, 1]");
  return success();
}

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0 && p <= 1))
    return emitOpError("dropout probability has to be between 0 and 1, but got ") << p;
  if (getStep() && cast<RankedTensorType>(getStep().getType()).getRank() != 0)
    return emitOpError("step must be a scalar tensor, got ") << getStep().getType();
  return success();
}

} // namespace nncc::ir
