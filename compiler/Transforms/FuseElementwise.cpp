// nncc-fuse-elementwise: producer/consumer fusion of elementwise linalg ops.
#include "compiler/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nncc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// Fuses a generic op with the elementwise producer of one of its operands,
/// as upstream's pattern does, but gives the fused op the fused location of
/// both ops so that it still names every module it came from. A producer
/// whose other users only return its value is computed once: the fused op
/// also yields it (an optimizer step computes a parameter's new moments and
/// the parameter itself in one loop this way).
/// Whether `producer` may fuse into `consumer`: its other users (if any)
/// only return its value (a buffer update, an output), so the fused op,
/// which takes `consumer`'s place before the return, can yield it for them.
/// Other multi-use producers stay materialised, so nothing is computed twice
/// and fused ops do not grow by absorbing shared values.
bool othersOnlyReturn(Operation *consumer, Operation *producer) {
  int consumerUses = 0;
  for (Operation *user : producer->getUsers()) {
    if (user == consumer)
      ++consumerUses;
    else if (!isa<func::ReturnOp>(user))
      return false;
  }
  // A consumer reading the value twice (x * x) keeps it materialised.
  return consumerUses == 1;
}

struct FuseWithProducer : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : consumer->getOpOperands()) {
      Operation *producer = operand.get().getDefiningOp();
      // A producer the consumer reads through a broadcast (a per-channel scale read per pixel)
      // would be recomputed for every element it is broadcast to: it stays materialised.
      if (!producer || !linalg::areElementwiseOpsFusable(&operand) ||
          !othersOnlyReturn(consumer, producer) ||
          !consumer.getMatchingIndexingMap(&operand).isPermutation())
        continue;
      Location loc = rewriter.getFusedLoc({producer->getLoc(), consumer.getLoc()});
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        continue;
      fused->fusedOp->setLoc(loc);
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
          return use.getOwner() != producer;
        });
      rewriter.eraseOp(consumer);
      return success();
    }
    return failure();
  }
};

struct FuseElementwisePass : impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FuseWithProducer>(ctx);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace nncc
