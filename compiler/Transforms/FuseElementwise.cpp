// nncc-fuse-elementwise: producer/consumer fusion of elementwise linalg ops, and the reasons a
// producer stays materialised.
#include "compiler/Passes.h"
#include "compiler/Transforms/Fusion.h"
#include "dialects/nn/NNOps.h"
#include "frontend/Error.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>

namespace nncc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {

void FusionRules::disable(const std::string &name) {
  if (name == "bn-fold")
    bnFold = false;
  else if (name == "elementwise")
    elementwise = false;
  else if (name == "multi-output")
    multiOutput = false;
  else if (name == "epilogue")
    epilogue = false;
  else
    throw Error("unknown fusion rule '" + name +
                "'; the rules are bn-fold, elementwise, multi-output, epilogue");
}

namespace {

/// Users of `producer` other than `consumer`, and whether they all only return its value (a
/// buffer update, an output): then the fused op, which takes `consumer`'s place before the
/// return, can yield it for them. `consumerUses` counts how often `consumer` reads it.
struct OtherUsers {
  int count = 0;
  bool onlyReturn = true;
  int consumerUses = 0;
};

OtherUsers otherUsers(Operation *consumer, Operation *producer) {
  OtherUsers users;
  for (Operation *user : producer->getUsers()) {
    if (user == consumer) {
      ++users.consumerUses;
      continue;
    }
    ++users.count;
    users.onlyReturn &= isa<func::ReturnOp>(user);
  }
  return users;
}

bool isPooling(Operation *op) {
  return op->getName().getStringRef().starts_with("linalg.pooling_");
}

/// A matmul or convolution: the ops the CPU target turns into register-tiled kernels.
bool isContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && !isPooling(op) && linalgOp.getNumReductionLoops() > 0 &&
         (linalg::isaContractionOpInterface(linalgOp) ||
          linalg::isaConvolutionOpInterface(linalgOp));
}

} // namespace

std::string fusionBlocker(OpOperand &operand, const FusionRules &rules) {
  Operation *consumer = operand.getOwner();
  Operation *producer = operand.get().getDefiningOp();
  if (!producer)
    return "an input of the function";
  if (auto hook = dyn_cast<ir::HookOp>(producer))
    return "a hook point at '" + hook.getPath().str() + "' (" + hook.getKind().str() +
           ") materialises it";
  if (isa<linalg::FillOp>(producer))
    return "an accumulator's initial value";
  if (isa<tensor::EmptyOp>(producer))
    return "an empty output tensor";
  std::string name = producer->getName().getStringRef().str();
  if (producer->getDialect() && producer->getDialect()->getNamespace() == "tensor")
    return "a layout change (" + name + ") in between";
  if (isContraction(producer)) {
    std::string epilogue = epilogueBlocker(operand, rules);
    return epilogue.empty() ? "its epilogue: computed on " + name + "'s register tile at the loops stage"
                            : epilogue;
  }
  auto linalgProducer = dyn_cast<linalg::LinalgOp>(producer);
  if (!linalgProducer)
    return "made by " + name;
  if (linalgProducer.getNumReductionLoops() > 0)
    return "a reduction boundary: " + name + " reduces";
  auto generic = dyn_cast<linalg::GenericOp>(consumer);
  if (!generic)
    return "an operand of " + consumer->getName().getStringRef().str() +
           " (kernels take no fused prologue)";
  if (!isa<linalg::GenericOp>(producer))
    return name + " is a named op; fusion takes linalg.generic producers";
  if (!linalg::areElementwiseOpsFusable(&operand))
    return "not elementwise-fusable (iteration spaces differ)";
  if (!generic.getMatchingIndexingMap(&operand).isPermutation())
    return "read through a broadcast: fusing would recompute it for every element";
  OtherUsers users = otherUsers(consumer, producer);
  if (users.consumerUses > 1)
    return "read twice by its consumer";
  if (users.count && !users.onlyReturn)
    return "multiple consumers (" + std::to_string(users.count + 1) + ")";
  if (users.count && !rules.multiOutput)
    return "rule 'multi-output' is disabled";
  if (!rules.elementwise)
    return "rule 'elementwise' is disabled";
  return "";
}

std::string epilogueBlocker(OpOperand &operand, const FusionRules &rules) {
  Operation *producer = operand.get().getDefiningOp();
  auto generic = dyn_cast<linalg::GenericOp>(operand.getOwner());
  const std::string limit = "GEMM epilogue limit: ";
  if (!producer || !isContraction(producer))
    return "not made by a matmul or convolution";
  if (!generic || generic.getNumReductionLoops() != 0 || generic.getNumDpsInits() != 1)
    return limit + "its consumer is not elementwise";
  if (!rules.epilogue)
    return "rule 'epilogue' is disabled";
  if (!operand.get().hasOneUse())
    return limit + "the kernel's output has other users";
  if (!generic.getMatchingIndexingMap(&operand).isIdentity())
    return limit + "its consumer reads it through a broadcast or transpose";
  if (!generic.getMatchingBlockArgument(generic.getDpsInitOperand(0)).use_empty())
    return limit + "its consumer accumulates into its output";
  for (Operation &op : generic.getBody()->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()))
      return limit + "its consumer's body is not plain arithmetic";
  unsigned last = generic.getNumLoops() - 1;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(input);
    bool varies = llvm::any_of(map.getResults(), [&](AffineExpr e) { return e.isFunctionOfDim(last); });
    if (input != &operand && varies && map.getResults().back() != getAffineDimExpr(last, map.getContext()))
      return limit + "an input of its consumer is not contiguous along the output's innermost dimension";
  }
  for (Operation *op = producer->getNextNode(); op != generic; op = op->getNextNode())
    if (!op || !isa<tensor::EmptyOp>(op))
      return limit + "other ops run between the kernel and its consumer";
  return "";
}

std::string fusionRuleFor(OpOperand &operand) {
  Operation *producer = operand.get().getDefiningOp();
  return otherUsers(operand.getOwner(), producer).count ? "multi-output" : "elementwise";
}

namespace {

/// The union of two ops' `name` array attributes, sorted (members) or in order (rules).
ArrayAttr mergeArrays(Builder &b, Operation *x, Operation *y, StringRef name, Attribute extra) {
  SmallVector<Attribute> items;
  for (Operation *op : {x, y})
    if (auto array = op->getAttrOfType<ArrayAttr>(name))
      for (Attribute a : array)
        if (!llvm::is_contained(items, a))
          items.push_back(a);
  if (extra && !llvm::is_contained(items, extra))
    items.push_back(extra);
  return b.getArrayAttr(items);
}

struct FuseWithProducer : OpRewritePattern<linalg::GenericOp> {
  FuseWithProducer(MLIRContext *ctx, FusionRules rules, bool annotate)
      : OpRewritePattern(ctx), rules(rules), annotate(annotate) {}

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : consumer->getOpOperands()) {
      if (!fusionBlocker(operand, rules).empty())
        continue;
      Operation *producer = operand.get().getDefiningOp();
      std::string rule = fusionRuleFor(operand);
      Location loc = rewriter.getFusedLoc({producer->getLoc(), consumer.getLoc()});
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        continue;
      fused->fusedOp->setLoc(loc);
      if (annotate)
        annotateFused(rewriter, fused->fusedOp, producer, consumer, operand.get(), rule);
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
          return use.getOwner() != producer;
        });
      rewriter.eraseOp(consumer);
      return success();
    }
    return failure();
  }

  /// What `nncc explain` reads: the kernels fused, the rules used, and the intermediate bytes
  /// (the producer's value, written once and read back once) no longer moved.
  static void annotateFused(PatternRewriter &b, Operation *fused, Operation *producer,
                            Operation *consumer, Value intermediate, const std::string &rule) {
    fused->setAttr(kMembersAttr, mergeArrays(b, producer, consumer, kMembersAttr, {}));
    fused->setAttr(kRulesAttr, mergeArrays(b, producer, consumer, kRulesAttr, b.getStringAttr(rule)));
    int64_t bytes = 2 * 4 * cast<ShapedType>(intermediate.getType()).getNumElements();
    for (Operation *op : {producer, consumer})
      if (auto a = op->getAttrOfType<IntegerAttr>(kAvoidedBytesAttr))
        bytes += a.getInt();
    fused->setAttr(kAvoidedBytesAttr, b.getI64IntegerAttr(bytes));
  }

  FusionRules rules;
  bool annotate;
};

struct FuseElementwisePass : impl::FuseElementwiseBase<FuseElementwisePass> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    FusionRules rules;
    rules.elementwise = elementwise;
    rules.multiOutput = multiOutput;
    RewritePatternSet patterns(ctx);
    patterns.add<FuseWithProducer>(ctx, rules, annotate);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace nncc
