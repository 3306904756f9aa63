// Gradient rules of the activations, softmax/log_softmax, layer_norm and group_norm.
#include "dialects/nn/gradients/GradientUtils.h"

using namespace mlir;

namespace nncc::ir::grad {
namespace {

using Grads = ArrayRef<Value>;
using Out = MutableArrayRef<Value>;

/// An elementwise activation: dx = dy * f'(x), one fused op.
template <typename OpTy, const char *Kind>
LogicalResult pointwise(OpTy op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.activationGrad(Kind, grads[0], op.getInput());
  return success();
}
constexpr char kSigmoid[] = "sigmoid", kTanh[] = "tanh", kSilu[] = "silu",
               kHardswish[] = "hardswish";

LogicalResult leakyRelu(LeakyReluOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.activationGrad("leaky_relu", grads[0], op.getInput(),
                            op.getNegativeSlope().convertToDouble());
  return success();
}

LogicalResult gelu(GeluOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.activationGrad(op.getApproximate() == "tanh" ? "gelu_tanh" : "gelu", grads[0],
                            op.getInput());
  return success();
}

int64_t normalizedDim(Value x, int64_t dim) {
  return dim < 0 ? dim + static_cast<int64_t>(shapeOf(x).size()) : dim;
}

/// y = softmax(x): dx = y (dy - sum(dy y)).
LogicalResult softmax(SoftmaxOp op, GradBuilder &g, Grads grads, Out out) {
  int64_t dim = normalizedDim(op.getInput(), op.getDim());
  Value y = op.getResult();
  Value dot = g.sum(g.mul(grads[0], y), {dim}, /*keepdim=*/true);
  out[0] = g.mul(y, g.sub(grads[0], dot));
  return success();
}

/// y = log_softmax(x): dx = dy - exp(y) sum(dy).
LogicalResult logSoftmax(LogSoftmaxOp op, GradBuilder &g, Grads grads, Out out) {
  int64_t dim = normalizedDim(op.getInput(), op.getDim());
  Value total = g.sum(grads[0], {dim}, /*keepdim=*/true);
  out[0] = g.sub(grads[0], g.mul(g.exp(op.getResult()), total));
  return success();
}

/// Over [M, K] rows (K = the normalized dims): the statistics are
/// recomputed from x, the affine gradients summed over the rows.
LogicalResult layerNorm(LayerNormOp op, GradBuilder &g, Grads grads, Out out) {
  Dims xShape = shapeOf(op.getInput());
  int64_t k = 1;
  for (size_t d = xShape.size() - op.getNormalizedNdim(); d < xShape.size(); ++d)
    k *= xShape[d];
  int64_t m = numel(xShape) / k;
  Value dy = g.reshape(grads[0], {m, k});
  Value x = g.reshape(op.getInput(), {m, k});
  Value dxhat = dy;
  if (op.getWeight())
    dxhat = g.mul(dy, g.reshape(op.getWeight(), {k}));
  NormGrad norm = normalizeGrad(g, dxhat, x, {1}, k, op.getEps().convertToDouble());
  out[0] = g.reshape(norm.dx, xShape);
  if (op.getWeight()) {
    Dims wShape = shapeOf(op.getWeight());
    out[1] = g.reshape(g.sum(g.mul(dy, norm.xhat), {0}), wShape);
    out[2] = g.reshape(g.sum(dy, {0}), wShape);
  }
  return success();
}

/// [N, C, *] as [N, G, C/G * S] for the statistics, [N, C, S] for the
/// per-channel affine transform.
LogicalResult groupNorm(GroupNormOp op, GradBuilder &g, Grads grads, Out out) {
  Dims xShape = shapeOf(op.getInput());
  int64_t n = xShape[0], c = xShape[1], groups = op.getNumGroups();
  int64_t s = numel(xShape) / (n * c), k = c / groups * s;
  Value dy = g.reshape(grads[0], {n, c, s});
  Value dxhat = dy;
  if (op.getWeight())
    dxhat = g.mul(dy, g.reshape(op.getWeight(), {c, 1}));
  Value x = g.reshape(op.getInput(), {n, groups, k});
  NormGrad norm = normalizeGrad(g, g.reshape(dxhat, {n, groups, k}), x, {2}, k,
                                op.getEps().convertToDouble());
  out[0] = g.reshape(norm.dx, xShape);
  if (op.getWeight()) {
    Value xhat = g.reshape(norm.xhat, {n, c, s});
    out[1] = g.sum(g.mul(dy, xhat), {0, 2});
    out[2] = g.sum(dy, {0, 2});
  }
  return success();
}

} // namespace

void attachActivationRules(MLIRContext *ctx) {
  attach<SigmoidOp, pointwise<SigmoidOp, kSigmoid>>(ctx);
  attach<TanhOp, pointwise<TanhOp, kTanh>>(ctx);
  attach<SiluOp, pointwise<SiluOp, kSilu>>(ctx);
  attach<HardswishOp, pointwise<HardswishOp, kHardswish>>(ctx);
  attach<LeakyReluOp, leakyRelu>(ctx);
  attach<GeluOp, gelu>(ctx);
  attach<SoftmaxOp, softmax>(ctx);
  attach<LogSoftmaxOp, logSoftmax>(ctx);
  attach<LayerNormOp, layerNorm>(ctx);
  attach<GroupNormOp, groupNorm>(ctx);
}

} // namespace nncc::ir::grad
