// Gradient rules of batch_norm (batch statistics in train mode, running ones in eval) and dropout.
#include "dialects/nn/gradients/GradientUtils.h"

using namespace mlir;

namespace nncc::ir::grad {
namespace {

/// The operand index of the ODS operand group `group` (0 = input, ...).
template <typename OpTy> unsigned operandIndex(OpTy op, unsigned group) {
  return op.getODSOperandIndexAndLength(group).first;
}

/// x as [N, C, S]; the statistics are per channel, over dims 0 and 2. Only
/// the normalized result carries a gradient: the updated running statistics
/// are state, not outputs of the computation being differentiated.
LogicalResult batchNorm(BatchNormOp op, GradBuilder &g, ArrayRef<Value> grads,
                        MutableArrayRef<Value> out) {
  if (!grads[0])
    return success();
  Dims xShape = shapeOf(op.getInput());
  int64_t n = xShape[0], c = xShape[1], s = numel(xShape) / (n * c);
  Value dy = g.reshape(grads[0], {n, c, s});
  Value x = g.reshape(op.getInput(), {n, c, s});
  Value weight = op.getWeight() ? g.reshape(op.getWeight(), {c, 1}) : Value();
  Value dxhat = weight ? g.mul(dy, weight) : dy;
  double eps = op.getEps().convertToDouble();
  Value dx, xhat;
  if (op.getTraining() || !op.getRunningMean()) {
    NormGrad norm = normalizeGrad(g, dxhat, x, {0, 2}, n * s, eps);
    dx = norm.dx;
    xhat = norm.xhat;
  } else {
    // Eval mode: an affine map of x with the running statistics as constants.
    Value rstd = g.div(g.constant(1.0), g.sqrt(g.shift(g.reshape(op.getRunningVar(), {c, 1}), eps)));
    dx = g.mul(dxhat, rstd);
    xhat = g.mul(g.sub(x, g.reshape(op.getRunningMean(), {c, 1})), rstd);
  }
  out[0] = g.reshape(dx, xShape);
  if (op.getWeight()) {
    out[operandIndex(op, 4)] = g.sum(g.mul(dy, xhat), {0, 2});
    out[operandIndex(op, 5)] = g.sum(dy, {0, 2});
  }
  return success();
}

/// The mask is a function of the seed and the element index, so the same
/// dropout applied to dy drops the same elements and scales the rest alike.
LogicalResult dropout(DropoutOp op, GradBuilder &g, ArrayRef<Value> grads,
                      MutableArrayRef<Value> out) {
  out[0] = g.builder().create<DropoutOp>(g.loc(), op.getType(), grads[0], op.getStep(),
                                         op.getPAttr(), op.getSeedAttr());
  return success();
}

} // namespace

void attachModeRules(MLIRContext *ctx) {
  attach<BatchNormOp, batchNorm>(ctx);
  attach<DropoutOp, dropout>(ctx);
}

} // namespace nncc::ir::grad
