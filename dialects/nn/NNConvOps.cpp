// Verifiers of convolution, padding and pooling, through the rules the recorder uses.
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

using namespace mlir;

namespace nncc::ir {
namespace {

std::optional<Dims> optionalDims(Value v) {
  return v ? std::optional<Dims>(dimsOf(v)) : std::nullopt;
}

} // namespace

LogicalResult Conv2dOp::verify() {
  if (failed(checkPairs(*this, {getStride(), getPadding(), getDilation()})))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    return conv2dShape(dimsOf(getInput()), dimsOf(getWeight()), optionalDims(getBias()), pair(getStride()),
                       pair(getPadding()), pair(getDilation()), static_cast<int64_t>(getGroups()), error);
  });
}

LogicalResult ConvTranspose2dOp::verify() {
  if (failed(checkPairs(*this, {getStride(), getPadding(), getOutputPadding(), getDilation()})))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    return convTranspose2dShape(dimsOf(getInput()), dimsOf(getWeight()), optionalDims(getBias()),
                                pair(getStride()), pair(getPadding()), pair(getOutputPadding()),
                                pair(getDilation()), static_cast<int64_t>(getGroups()), error);
  });
}

LogicalResult PadOp::verify() {
  FailureOr<std::array<int64_t, 4>> pads = padsOf(*this, getPads());
  if (failed(pads))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    return padShape(dimsOf(getInput()), *pads, getMode().str(), error);
  });
}

LogicalResult MaxPool2dOp::verify() {
  if (failed(checkPairs(*this, {getKernel(), getStride(), getPadding(), getDilation()})))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    return pool2dShape(dimsOf(getInput()), pair(getKernel()), pair(getStride()), pair(getPadding()),
                       pair(getDilation()), getCeilMode(), error);
  });
}

LogicalResult AvgPool2dOp::verify() {
  if (failed(checkPairs(*this, {getKernel(), getStride(), getPadding()})))
    return failure();
  if (getDivisorOverride() && *getDivisorOverride() == 0)
    return emitOpError("divisor must be not zero");
  return verifyShapeRule(*this, [&](std::string &error) {
    return pool2dShape(dimsOf(getInput()), pair(getKernel()), pair(getStride()), pair(getPadding()), Pair{1, 1},
                       getCeilMode(), error);
  });
}

LogicalResult AdaptiveAvgPool2dOp::verify() {
  Dims in = dimsOf(getInput()), out = dimsOf(getResult());
  if (in.size() != 4 || out.size() != 4 || in[0] != out[0] || in[1] != out[1] || out[2] <= 0 || out[3] <= 0)
    return emitOpError("maps [N, C, H, W] to [N, C, outH, outW], got ") << formatDims(in) << " -> "
                                                                        << formatDims(out);
  return success();
}

} // namespace nncc::ir
