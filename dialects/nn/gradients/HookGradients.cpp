// Gradient rules of the hook points: forward hooks pass the gradient through, gradient hooks fire.
#include "dialects/nn/gradients/GradientUtils.h"

using namespace mlir;

namespace nncc::ir::grad {
namespace {

using Grads = ArrayRef<Value>;
using Out = MutableArrayRef<Value>;

/// A callback is opaque to autodiff: what it wrote is treated as a constant change, so the
/// gradient reaches the tapped value unchanged (and the module's input gets none from here).
LogicalResult hook(HookOp, GradBuilder &, Grads grads, Out out) {
  out[0] = grads[0];
  return success();
}

/// The gradient flowing back through the marked value goes through a hook point.
LogicalResult gradHook(GradHookOp op, GradBuilder &g, Grads grads, Out out) {
  out[0] = g.builder().create<HookOp>(g.loc(), grads[0].getType(), op.getKindAttr(),
                                      op.getPathAttr(), grads[0], Value(),
                                      op.getModuleClassAttr());
  return success();
}

} // namespace

void attachHookRules(MLIRContext *ctx) {
  attach<HookOp, hook>(ctx);
  attach<GradHookOp, gradHook>(ctx);
}

} // namespace nncc::ir::grad
