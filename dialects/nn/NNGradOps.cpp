// Verifiers of the backward-only ops: each checks its forward's shape rule against the gradient.
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

using namespace mlir;

namespace nncc::ir {
namespace {

/// `forward` (the forward's result shape, or nullopt with its error) must be
/// `grad`'s shape; then the result is `expected`.
std::optional<Dims> matchGrad(std::optional<Dims> forward, const Dims &grad, const Dims &expected,
                              std::string &error) {
  if (!forward)
    return std::nullopt;
  if (*forward != grad) {
    error = "grad " + formatDims(grad) + " does not match the forward's result " + formatDims(*forward);
    return std::nullopt;
  }
  return expected;
}

} // namespace

LogicalResult Conv2dWeightGradOp::verify() {
  if (failed(checkPairs(*this, {getStride(), getPadding(), getDilation()})))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    Dims weight = dimsOf(getResult());
    return matchGrad(conv2dShape(dimsOf(getInput()), weight, std::nullopt, pair(getStride()), pair(getPadding()),
                                 pair(getDilation()), static_cast<int64_t>(getGroups()), error),
                     dimsOf(getGrad()), weight, error);
  });
}

LogicalResult PadGradOp::verify() {
  FailureOr<std::array<int64_t, 4>> pads = padsOf(*this, getPads());
  if (failed(pads))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    Dims input = dimsOf(getResult());
    return matchGrad(padShape(input, *pads, getMode().str(), error), dimsOf(getGrad()), input, error);
  });
}

LogicalResult MaxPool2dGradOp::verify() {
  if (failed(checkPairs(*this, {getKernel(), getStride(), getPadding(), getDilation()})))
    return failure();
  return verifyShapeRule(*this, [&](std::string &error) {
    Dims input = dimsOf(getInput());
    return matchGrad(pool2dShape(input, pair(getKernel()), pair(getStride()), pair(getPadding()),
                                 pair(getDilation()), getCeilMode(), error),
                     dimsOf(getGrad()), input, error);
  });
}

LogicalResult AvgPool2dGradOp::verify() {
  if (failed(checkPairs(*this, {getKernel(), getStride(), getPadding()})))
    return failure();
  if (getDivisorOverride() && *getDivisorOverride() == 0)
    return emitOpError("divisor must be not zero");
  return verifyShapeRule(*this, [&](std::string &error) {
    Dims input = dimsOf(getResult());
    return matchGrad(pool2dShape(input, pair(getKernel()), pair(getStride()), pair(getPadding()), Pair{1, 1},
                                 getCeilMode(), error),
                     dimsOf(getGrad()), input, error);
  });
}

LogicalResult AdaptiveAvgPool2dGradOp::verify() {
  Dims out = dimsOf(getGrad()), in = dimsOf(getResult());
  if (in.size() != 4 || out.size() != 4 || in[0] != out[0] || in[1] != out[1] || out[2] <= 0 || out[3] <= 0 ||
      in[2] <= 0 || in[3] <= 0)
    return emitOpError("maps a grad [N, C, outH, outW] to [N, C, H, W], got ")
           << formatDims(out) << " -> " << formatDims(in);
  return success();
}

LogicalResult EmbeddingGradOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) -> std::optional<Dims> {
    Dims weight = dimsOf(getResult());
    std::optional<Dims> forward = embeddingShape(dimsOf(getIndices()), weight, error);
    if (forward && getPaddingIdx() && (*getPaddingIdx() < 0 || *getPaddingIdx() >= weight[0])) {
      error = "padding_idx " + std::to_string(*getPaddingIdx()) + " must be in [0, " + std::to_string(weight[0]) +
              ")";
      return std::nullopt;
    }
    return matchGrad(forward, dimsOf(getGrad()), weight, error);
  });
}

} // namespace nncc::ir
