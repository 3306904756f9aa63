// Gradient rules of conv2d, conv_transpose2d, pad, the 2-D pools and embedding.
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/gradients/GradientUtils.h"

using namespace mlir;

namespace nncc::ir::grad {
namespace {

using Grads = ArrayRef<Value>;
using Out = MutableArrayRef<Value>;

/// The bias of a convolution adds to every [n, :, y, x].
Value biasGrad(GradBuilder &g, Value dy) { return g.sum(dy, {0, 2, 3}); }

/// y = conv2d(x, w): dx is the transposed convolution of dy with the same
/// weight, its output_padding chosen so that it covers exactly x (the rows
/// the last window never reaches get 0); dw is conv2d_weight_grad.
LogicalResult conv2d(Conv2dOp op, GradBuilder &g, Grads grads, Out out) {
  OpBuilder &b = g.builder();
  Value dy = grads[0];
  Dims x = shapeOf(op.getInput()), w = shapeOf(op.getWeight()), y = shapeOf(dy);
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  SmallVector<int64_t, 2> outputPadding;
  for (int i = 0; i < 2; ++i)
    outputPadding.push_back(x[2 + i] + 2 * p[i] - d[i] * (w[2 + i] - 1) - 1 - (y[2 + i] - 1) * s[i]);
  out[0] = b.create<ConvTranspose2dOp>(g.loc(), op.getInput().getType(), dy, op.getWeight(), Value(),
                                       op.getStrideAttr(), op.getPaddingAttr(),
                                       b.getDenseI64ArrayAttr(outputPadding), op.getDilationAttr(),
                                       op.getGroupsAttr());
  out[1] = b.create<Conv2dWeightGradOp>(g.loc(), op.getWeight().getType(), op.getInput(), dy, op.getStrideAttr(),
                                        op.getPaddingAttr(), op.getDilationAttr(), op.getGroupsAttr());
  if (op.getBias())
    out[2] = biasGrad(g, dy);
  return success();
}

/// y = conv_transpose2d(x, w) is the input gradient of a conv2d of y's shape
/// with weight w, so dx is that conv2d applied to dy, and dw its weight
/// gradient with dy as the convolution's input and x as its output's
/// gradient. An output_padding of a stride or more (allowed below the
/// dilation) makes that conv2d's output larger than x: the extra rows are
/// cropped from dx, and x is zero-extended for dw.
LogicalResult convTranspose2d(ConvTranspose2dOp op, GradBuilder &g, Grads grads, Out out) {
  OpBuilder &b = g.builder();
  Value dy = grads[0], x = op.getInput();
  Dims xShape = shapeOf(x);
  std::string error;
  std::optional<Dims> full = conv2dShape(shapeOf(dy), shapeOf(op.getWeight()), std::nullopt, pair(op.getStride()),
                                         pair(op.getPadding()), pair(op.getDilation()),
                                         static_cast<int64_t>(op.getGroups()), error);
  if (!full)
    return op->emitOpError("has no gradient rule: ") << error;
  auto fullType = RankedTensorType::get(*full, b.getF32Type());
  Value dx = b.create<Conv2dOp>(g.loc(), fullType, dy, op.getWeight(), Value(), op.getStrideAttr(),
                                op.getPaddingAttr(), op.getDilationAttr(), op.getGroupsAttr());
  for (int dim = 2; dim < 4; ++dim)
    if ((*full)[dim] != xShape[dim]) {
      dx = g.narrow(dx, dim, 0, xShape[dim]);
      x = g.padWithZeros(x, dim, 0, (*full)[dim] - xShape[dim]);
    }
  out[0] = dx;
  out[1] = b.create<Conv2dWeightGradOp>(g.loc(), op.getWeight().getType(), dy, x, op.getStrideAttr(),
                                        op.getPaddingAttr(), op.getDilationAttr(), op.getGroupsAttr());
  if (op.getBias())
    out[2] = biasGrad(g, dy);
  return success();
}

/// Constant padding: the middle of dy. The other modes copy elements into
/// the border, so their copies' gradients add up: nn.pad_grad.
LogicalResult pad(PadOp op, GradBuilder &g, Grads grads, Out out) {
  Dims x = shapeOf(op.getInput());
  int64_t rank = static_cast<int64_t>(x.size());
  auto pads = op.getPads(); // left, right, top, bottom
  if (op.getMode() == "constant") {
    Value dx = g.narrow(grads[0], rank - 1, pads[0], x[rank - 1]);
    out[0] = g.narrow(dx, rank - 2, pads[2], x[rank - 2]);
    return success();
  }
  out[0] = g.builder().create<PadGradOp>(g.loc(), op.getInput().getType(), grads[0], op.getPadsAttr(),
                                         op.getModeAttr());
  return success();
}

LogicalResult maxPool2d(MaxPool2dOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.builder().create<MaxPool2dGradOp>(g.loc(), op.getInput().getType(), op.getInput(), grads[0],
                                               op.getKernelAttr(), op.getStrideAttr(), op.getPaddingAttr(),
                                               op.getDilationAttr(), op.getCeilModeAttr());
  return success();
}

LogicalResult avgPool2d(AvgPool2dOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.builder().create<AvgPool2dGradOp>(g.loc(), op.getInput().getType(), grads[0], op.getKernelAttr(),
                                               op.getStrideAttr(), op.getPaddingAttr(), op.getCeilModeAttr(),
                                               op.getCountIncludePadAttr(), op.getDivisorOverrideAttr());
  return success();
}

LogicalResult adaptiveAvgPool2d(AdaptiveAvgPool2dOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.builder().create<AdaptiveAvgPool2dGradOp>(g.loc(), op.getInput().getType(), grads[0]);
  return success();
}

/// Only the weight has a gradient; the indices are integers.
LogicalResult embedding(EmbeddingOp op, GradBuilder &g, Grads grads, Out out) {
  out[1] = g.builder().create<EmbeddingGradOp>(g.loc(), op.getWeight().getType(), op.getIndices(), grads[0],
                                               op.getPaddingIdxAttr());
  return success();
}

} // namespace

void attachConvRules(MLIRContext *ctx) {
  attach<Conv2dOp, conv2d>(ctx);
  attach<ConvTranspose2dOp, convTranspose2d>(ctx);
  attach<PadOp, pad>(ctx);
  attach<MaxPool2dOp, maxPool2d>(ctx);
  attach<AvgPool2dOp, avgPool2d>(ctx);
  attach<AdaptiveAvgPool2dOp, adaptiveAvgPool2d>(ctx);
  attach<EmbeddingOp, embedding>(ctx);
}

} // namespace nncc::ir::grad
