// Verifiers of gelu, softmax, layer_norm and group_norm.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

using namespace mlir;

namespace nncc::ir {

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate must be 'none' or 'tanh', got '") << getApproximate() << "'";
  return success();
}

template <typename SoftmaxLike> static LogicalResult verifyDim(SoftmaxLike op) {
  std::string error;
  if (normalizeDim(static_cast<int64_t>(op.getDim()), op.getType().getRank(), error) < 0)
    return op.emitOpError(error);
  return success();
}
LogicalResult SoftmaxOp::verify() { return verifyDim(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifyDim(*this); }

/// weight and bias come together, each of `shape`.
static LogicalResult verifyAffine(Operation *op, Value weight, Value bias, const Dims &shape) {
  if (static_cast<bool>(weight) != static_cast<bool>(bias))
    return op->emitOpError("weight and bias come together");
  for (Value v : {weight, bias})
    if (v && dimsOf(v) != shape)
      return op->emitOpError("weight and bias must be ") << formatDims(shape) << ", got "
                                                          << formatDims(dimsOf(v));
  return success();
}

LogicalResult LayerNormOp::verify() {
  Dims input = dimsOf(getInput());
  auto k = static_cast<int64_t>(getNormalizedNdim());
  if (k < 1 || k > static_cast<int64_t>(input.size()))
    return emitOpError("normalized_ndim ") << k << " must be in [1, " << input.size() << "]";
  if (getResult().getType() != getInput().getType())
    return emitOpError("result type must equal the input type");
  return verifyAffine(*this, getWeight(), getBias(), Dims(input.end() - k, input.end()));
}

LogicalResult GroupNormOp::verify() {
  Dims input = dimsOf(getInput());
  if (input.size() < 2)
    return emitOpError("input must be [N, C, ...], got ") << formatDims(input);
  auto groups = static_cast<int64_t>(getNumGroups());
  if (groups < 1 || input[1] % groups != 0)
    return emitOpError("num_channels must be divisible by num_groups (") << input[1] << " channels, "
                                                                          << groups << " groups)";
  if (getResult().getType() != getInput().getType())
    return emitOpError("result type must equal the input type");
  return verifyAffine(*this, getWeight(), getBias(), Dims{input[1]});
}

} // namespace nncc::ir
