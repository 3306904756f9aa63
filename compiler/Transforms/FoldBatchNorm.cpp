// nncc-fold-batch-norm: an eval-mode batch_norm after a convolution becomes the convolution's
// weights and bias, so the normalisation costs no pass over the activation.
#include "compiler/Passes.h"
#include "compiler/Transforms/Fusion.h"
#include "dialects/nn/gradients/GradientUtils.h"

namespace nncc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {

std::string bnFoldBlocker(ir::BatchNormOp bn) {
  if (bn.getTraining() || !bn.getRunningMean())
    return "it normalises with batch statistics (train mode)";
  auto conv = bn.getInput().getDefiningOp<ir::Conv2dOp>();
  if (!conv)
    return "its input is not a convolution";
  if (!conv->hasOneUse())
    return "the convolution's output has other users";
  int64_t weights = ir::grad::numel(ir::grad::shapeOf(conv.getWeight()));
  int64_t values = ir::grad::numel(ir::grad::shapeOf(conv.getResult()));
  // The scaled weights are computed on every call: worth it only when there are fewer of them
  // than activation values to normalise.
  if (weights >= values)
    return "the weights (" + std::to_string(weights) + " values) outnumber the activation (" +
           std::to_string(values) + " values): scaling them on every call costs more than it saves";
  return "";
}

namespace {

struct FoldBatchNormPass : impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<ir::BatchNormOp> norms;
    getOperation().walk([&](ir::BatchNormOp bn) {
      if (bnFoldBlocker(bn).empty())
        norms.push_back(bn);
    });
    for (ir::BatchNormOp bn : norms) {
      auto conv = bn.getInput().getDefiningOp<ir::Conv2dOp>();
      OpBuilder b(bn);
      // The folded convolution names both modules and the rule: loc(fused<"bn-fold">[conv, bn]).
      Location loc = FusedLoc::get(&getContext(), {conv.getLoc(), bn.getLoc()},
                                   StringAttr::get(&getContext(), "bn-fold"));
      ir::grad::GradBuilder g(b, loc);
      int64_t channels = ir::grad::shapeOf(conv.getWeight())[0];
      // As PyTorch's fuse_conv_bn_weights: s = weight * rsqrt(running_var + eps),
      // W' = W * s (per output channel), b' = (b - running_mean) * s + bias.
      Value rsqrt = g.div(g.constant(1.0, {channels}),
                          g.sqrt(g.shift(bn.getRunningVar(), bn.getEps().convertToDouble())));
      Value scale = bn.getWeight() ? g.mul(bn.getWeight(), rsqrt) : rsqrt;
      // Scaled as [F, C*kh*kw] rows times a per-row scalar, so that the loop along a row is long
      // enough to vectorize (kw alone is 3).
      ir::Dims weightShape = ir::grad::shapeOf(conv.getWeight());
      int64_t perFilter = ir::grad::numel(weightShape) / channels;
      Value rows = g.reshape(conv.getWeight(), {channels, perFilter});
      Value weight = g.reshape(g.mul(rows, g.reshape(scale, {channels, 1})), weightShape);
      Value centered = conv.getBias() ? g.sub(conv.getBias(), bn.getRunningMean())
                                      : g.neg(bn.getRunningMean());
      Value bias = g.mul(centered, scale);
      if (bn.getBias())
        bias = g.add(bias, bn.getBias());
      auto folded = b.create<ir::Conv2dOp>(g.loc(), conv.getType(), conv.getInput(), weight, bias,
                                           conv.getStrideAttr(), conv.getPaddingAttr(),
                                           conv.getDilationAttr(), conv.getGroupsAttr());
      bn.getResult().replaceAllUsesWith(folded.getResult());
      bn.erase();
      conv.erase();
    }
  }
};

} // namespace
} // namespace nncc
