// Gradient rules of the core, tensor and math ops: linear, matmul, the broadcasting arithmetic,
// shape ops, reductions and elementwise math.
#include "dialects/nn/gradients/GradientUtils.h"

using namespace mlir;

namespace nncc::ir::grad {
namespace {

using Grads = ArrayRef<Value>;
using Out = MutableArrayRef<Value>;

/// y = x W^T + b over [..., in]: the leading dims are folded into one batch
/// dim M, so dx = dy W, dW = dy^T x, db = sum of dy over M.
LogicalResult linear(LinearOp op, GradBuilder &g, Grads grads, Out out) {
  Dims xShape = shapeOf(op.getInput()), wShape = shapeOf(op.getWeight());
  int64_t in = wShape[1], outF = wShape[0];
  int64_t m = numel(xShape) / in;
  Value dy = g.reshape(grads[0], {m, outF});
  Value x = g.reshape(op.getInput(), {m, in});
  out[0] = g.reshape(g.matmul(dy, op.getWeight()), xShape);
  out[1] = g.matmul(g.transpose(dy), x);
  if (op.getBias())
    out[2] = g.sum(dy, {0});
  return success();
}

/// C = A B (2-D, or batched 3-D): dA = dC B^T, dB = A^T dC.
LogicalResult matmul(MatmulOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.matmul(grads[0], g.transpose(op.getRhs()));
  out[1] = g.matmul(g.transpose(op.getLhs()), grads[0]);
  return success();
}

LogicalResult relu(ReluOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.activationGrad("relu", grads[0], op.getInput());
  return success();
}

LogicalResult add(AddOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.sumTo(grads[0], shapeOf(op.getLhs()));
  out[1] = g.sumTo(grads[0], shapeOf(op.getRhs()));
  return success();
}

LogicalResult sub(SubOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.sumTo(grads[0], shapeOf(op.getLhs()));
  out[1] = g.sumTo(g.neg(grads[0]), shapeOf(op.getRhs()));
  return success();
}

LogicalResult mul(MulOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.sumTo(g.mul(grads[0], op.getRhs()), shapeOf(op.getLhs()));
  out[1] = g.sumTo(g.mul(grads[0], op.getLhs()), shapeOf(op.getRhs()));
  return success();
}

/// z = x / y: dx = dz / y, dy = -dz z / y.
LogicalResult div(DivOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.sumTo(g.div(grads[0], op.getRhs()), shapeOf(op.getLhs()));
  out[1] = g.sumTo(g.neg(g.mul(grads[0], g.div(op.getResult(), op.getRhs()))),
                   shapeOf(op.getRhs()));
  return success();
}

/// Shape-only ops send the gradient back to the input's shape.
template <typename OpTy> LogicalResult reshapeBack(OpTy op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.reshape(grads[0], shapeOf(op.getInput()));
  return success();
}

LogicalResult permute(PermuteOp op, GradBuilder &g, Grads grads, Out out) {
  ArrayRef<int64_t> dims = op.getDims();
  SmallVector<int64_t> inverse(dims.size());
  for (size_t i = 0; i < dims.size(); ++i)
    inverse[dims[i]] = static_cast<int64_t>(i);
  out[0] = g.permute(grads[0], inverse);
  return success();
}

LogicalResult narrow(NarrowOp op, GradBuilder &g, Grads grads, Out out) {
  int64_t extent = shapeOf(op.getInput())[op.getDim()];
  out[0] = g.padWithZeros(grads[0], op.getDim(), op.getStart(),
                          extent - op.getStart() - op.getLength());
  return success();
}

LogicalResult concat(ConcatOp op, GradBuilder &g, Grads grads, Out out) {
  int64_t start = 0, dim = op.getDim();
  for (auto [i, input] : llvm::enumerate(op.getInputs())) {
    int64_t length = shapeOf(input)[dim];
    out[i] = g.narrow(grads[0], dim, start, length);
    start += length;
  }
  return success();
}

/// The summed dims come back as size 1, then stretch to the input's shape.
LogicalResult sum(SumOp op, GradBuilder &g, Grads grads, Out out) {
  Dims kept = shapeOf(op.getInput());
  for (int64_t d : op.getDims())
    kept[d] = 1;
  out[0] = g.expand(g.reshape(grads[0], kept), shapeOf(op.getInput()));
  return success();
}

LogicalResult expand(ExpandOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.sumTo(grads[0], shapeOf(op.getInput()));
  return success();
}

LogicalResult exp(ExpOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.mul(grads[0], op.getResult());
  return success();
}

LogicalResult log(LogOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.div(grads[0], op.getInput());
  return success();
}

/// d sqrt(x) = dy / (2 sqrt(x)).
LogicalResult sqrt(SqrtOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.div(g.scale(grads[0], 0.5), op.getResult());
  return success();
}

LogicalResult abs(AbsOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.activationGrad("abs", grads[0], op.getInput());
  return success();
}

LogicalResult neg(NegOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.neg(grads[0]);
  return success();
}

} // namespace

void attachCoreRules(MLIRContext *ctx) {
  attach<LinearOp, linear>(ctx);
  attach<MatmulOp, matmul>(ctx);
  attach<ReluOp, relu>(ctx);
  attach<AddOp, add>(ctx);
  attach<SubOp, sub>(ctx);
  attach<MulOp, mul>(ctx);
  attach<DivOp, div>(ctx);
  attach<FlattenOp, reshapeBack<FlattenOp>>(ctx);
  attach<ReshapeOp, reshapeBack<ReshapeOp>>(ctx);
  attach<PermuteOp, permute>(ctx);
  attach<NarrowOp, narrow>(ctx);
  attach<ConcatOp, concat>(ctx);
  attach<SumOp, sum>(ctx);
  attach<ExpandOp, expand>(ctx);
  attach<ExpOp, exp>(ctx);
  attach<LogOp, log>(ctx);
  attach<SqrtOp, sqrt>(ctx);
  attach<AbsOp, abs>(ctx);
  attach<NegOp, neg>(ctx);
}

} // namespace nncc::ir::grad
