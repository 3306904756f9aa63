// nncc-generic-kernels: elementwise and row-reduction linalg ops on memrefs become vector loops
// along their innermost dimension, split across threads when large.
#include "compiler/Passes.h"
#include "compiler/Target/CPU/LoopEmitter.h"
#include "compiler/Target/CPU/TransposeKernel.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nncc {
#define GEN_PASS_DEF_GENERICKERNELS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// What a row reduction combines with, and the value that leaves a lane unchanged.
struct Combiner {
  vector::CombiningKind kind;
  float neutral;
};

std::optional<Combiner> combinerOf(Operation *op) {
  float inf = std::numeric_limits<float>::infinity();
  if (isa<arith::AddFOp>(op))
    return Combiner{vector::CombiningKind::ADD, 0.0f};
  if (isa<arith::MulFOp>(op))
    return Combiner{vector::CombiningKind::MUL, 1.0f};
  if (isa<arith::MaximumFOp>(op))
    return Combiner{vector::CombiningKind::MAXIMUMF, -inf};
  if (isa<arith::MinimumFOp>(op))
    return Combiner{vector::CombiningKind::MINIMUMF, inf};
  return std::nullopt;
}

/// Whether `map` reads dimension `d` only as its innermost index, with unit step.
bool innermostIs(AffineMap map, unsigned d) {
  if (map.getNumResults() == 0 || map.getResult(map.getNumResults() - 1) != getAffineDimExpr(d, map.getContext()))
    return false;
  return llvm::none_of(map.getResults().drop_back(), [&](AffineExpr e) { return e.isFunctionOfDim(d); });
}

/// An op the emitter handles: f32 operands on static memrefs, a body of scalar arith/math ops
/// on f32 and i1, every loop but the last parallel, and (for a reduction over the last loop) one
/// output combined as `out = combiner(out, x)`.
struct GenericPlan {
  linalg::GenericOp op;
  SmallVector<int64_t> ranges;
  /// The combiner of a row reduction, with the op that applies it.
  std::optional<Combiner> combiner;
  Operation *combine = nullptr;
};

std::optional<GenericPlan> planGeneric(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  for (Value v : op->getOperands()) {
    if (v.getType().isF32())
      continue; // a scalar input, as a generalized fill has
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32() || !isStrided(type))
      return std::nullopt;
  }
  GenericPlan plan{op, op.getStaticLoopRanges()};
  // Vectors of mostly masked-off lanes (a trailing dimension of 1, say) gain nothing over scalars.
  if (plan.ranges.empty() || plan.ranges.back() < kMinLanes)
    return std::nullopt;
  Block &body = *op.getBlock();
  for (Operation &inner : body.without_terminator()) {
    if (inner.getNumRegions() != 0 || !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return std::nullopt;
    auto scalar = [](Type t) { return t.isF32() || t.isInteger(1); };
    if (!llvm::all_of(inner.getOperandTypes(), scalar) || !llvm::all_of(inner.getResultTypes(), scalar))
      return std::nullopt;
  }
  unsigned last = plan.ranges.size() - 1;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (llvm::count(ArrayRef(iterators).drop_back(), utils::IteratorType::reduction) != 0)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<MemRefType>(input->get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    bool vectorized = llvm::any_of(map.getResults(), [&](AffineExpr e) { return e.isFunctionOfDim(last); });
    if (vectorized && (!innermostIs(map, last) || !innermostContiguous(input->get())))
      return std::nullopt;
  }
  if (iterators.back() == utils::IteratorType::parallel) {
    for (OpOperand &init : op.getDpsInitsMutable())
      if (!innermostIs(op.getMatchingIndexingMap(&init), last) || !innermostContiguous(init.get()))
        return std::nullopt;
    return plan;
  }
  // A row reduction: one output, independent of the last loop, read only by the combiner.
  if (op.getNumDpsInits() != 1 || op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isFunctionOfDim(last))
    return std::nullopt;
  BlockArgument out = body.getArguments().back();
  Operation *combine = cast<linalg::YieldOp>(body.getTerminator()).getValues()[0].getDefiningOp();
  if (!combine || !out.hasOneUse() || *out.user_begin() != combine)
    return std::nullopt;
  plan.combiner = combinerOf(combine);
  plan.combine = combine;
  if (!plan.combiner)
    return std::nullopt;
  return plan;
}

class GenericEmitter : LoopEmitter {
public:
  GenericEmitter(OpBuilder &b, const GenericPlan &plan, int64_t lanes)
      : LoopEmitter(b, plan.op->getLoc(), lanes), plan_(plan), op_(plan.op) {
    for (OpOperand &operand : op_->getOpOperands())
      accesses_.push_back({operand.get(), op_.getMatchingIndexingMap(&operand)});
  }

  void emit() {
    SmallVector<OpFoldResult> point(plan_.ranges.size(), b_.getIndexAttr(0));
    parallelPending_ = worthParallel(plan_.ranges);
    forOuter(0, point);
  }

private:
  unsigned last() const { return plan_.ranges.size() - 1; }

  void forOuter(unsigned dim, SmallVector<OpFoldResult> &point) {
    if (dim == last())
      return plan_.combiner ? reduceRow(point) : mapRow(point);
    loop(plan_.ranges[dim], 1, [&](OpFoldResult iv) {
      point[dim] = iv;
      forOuter(dim + 1, point);
    });
  }

  /// Vectors along the last loop, each stored to every output.
  void mapRow(SmallVector<OpFoldResult> &point) {
    forTiles(plan_.ranges[last()], lanes_, [&](OpFoldResult v0, int64_t lanes) {
      point[last()] = v0;
      SmallVector<Value> results = body(point, lanes);
      for (auto [i, value] : llvm::enumerate(results))
        storeVector(value, accesses_[op_.getNumDpsInputs() + i], point, lanes);
    });
  }

  /// A vector accumulator along the last loop, reduced to the output's scalar at the end.
  void reduceRow(SmallVector<OpFoldResult> &point) {
    const Combiner &c = *plan_.combiner;
    Value neutral = b_.create<arith::ConstantOp>(loc_, vecType_, DenseElementsAttr::get(vecType_, c.neutral));
    int64_t range = plan_.ranges[last()], whole = range / lanes_ * lanes_;
    Value acc = neutral;
    if (whole > 0) {
      auto forOp = b_.create<scf::ForOp>(loc_, index(0), index(whole), index(lanes_), ValueRange{acc});
      OpBuilder::InsertionGuard guard(b_);
      b_.setInsertionPointToStart(forOp.getBody());
      point[last()] = forOp.getInductionVar();
      Value x = body(point, lanes_)[0];
      b_.create<scf::YieldOp>(loc_, combine(forOp.getRegionIterArgs()[0], x));
      acc = forOp.getResult(0);
    }
    if (whole < range) {
      point[last()] = b_.getIndexAttr(whole);
      Value x = body(point, range - whole)[0];
      x = b_.create<arith::SelectOp>(loc_, mask(lanes_, range - whole), x, neutral);
      acc = combine(acc, x);
    }
    point[last()] = b_.getIndexAttr(0);
    Value row = b_.create<vector::ReductionOp>(loc_, c.kind, acc, Value(), arith::FastMathFlags::reassoc);
    const Access &out = accesses_.back();
    SmallVector<Value> at = indices(out, point);
    Value old = b_.create<memref::LoadOp>(loc_, out.memref, at);
    IRMapping scalar;
    scalar.map(plan_.combine->getOperands(), ValueRange{old, row});
    Value result = b_.clone(*plan_.combine, scalar)->getResult(0);
    b_.create<memref::StoreOp>(loc_, result, out.memref, at);
  }

  Value combine(Value acc, Value x) {
    IRMapping mapping;
    mapping.map(plan_.combine->getOperands(), ValueRange{acc, x});
    Operation *vectorOp = b_.clone(*plan_.combine, mapping);
    vectorOp->getResult(0).setType(vecType_);
    return vectorOp->getResult(0);
  }

  /// The body on `lanes` lanes at `point`: the yielded vectors (for a reduction, the value the
  /// combiner takes, before combining).
  SmallVector<Value> body(ArrayRef<OpFoldResult> point, int64_t lanes) {
    Block &block = *op_.getBlock();
    IRMapping mapping;
    for (auto [i, arg] : llvm::enumerate(block.getArguments())) {
      if (arg.use_empty() || (plan_.combiner && i + 1 == block.getNumArguments()))
        continue;
      const Access &access = accesses_[i];
      if (!isa<MemRefType>(access.memref.getType())) {
        mapping.map(arg, splat(access.memref));
        continue;
      }
      bool vectorized = llvm::any_of(access.map.getResults(),
                                     [&](AffineExpr e) { return e.isFunctionOfDim(last()); });
      if (vectorized) {
        mapping.map(arg, loadVector(access, point, lanes, 1));
      } else {
        Value scalar = b_.create<memref::LoadOp>(loc_, access.memref, indices(access, point));
        mapping.map(arg, b_.create<vector::BroadcastOp>(loc_, vecType_, scalar));
      }
    }
    for (Operation &inner : block.without_terminator()) {
      if (&inner == plan_.combine)
        break;
      cloneAsVector(inner, mapping);
    }
    if (plan_.combiner) {
      Value x = plan_.combine->getOperand(0) == block.getArguments().back() ? plan_.combine->getOperand(1)
                                                                            : plan_.combine->getOperand(0);
      return {mapping.contains(x) ? mapping.lookup(x) : splat(x)};
    }
    SmallVector<Value> results;
    for (Value v : cast<linalg::YieldOp>(block.getTerminator()).getValues())
      results.push_back(mapping.contains(v) ? mapping.lookup(v) : splat(v));
    return results;
  }

  const GenericPlan &plan_;
  linalg::GenericOp op_;
  SmallVector<Access> accesses_;
};

struct GenericKernelsPass : impl::GenericKernelsBase<GenericKernelsPass> {
  using GenericKernelsBase::GenericKernelsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Fills, copies, maps, broadcasts and transposes are elementwise generics too (a transpose
    // that keeps the innermost dimension is contiguous along it).
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> named;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::FillOp, linalg::CopyOp, linalg::MapOp, linalg::BroadcastOp, linalg::TransposeOp>(op))
        named.push_back(op);
    });
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    int64_t lanes = std::max<int64_t>(vectorBits / 32, 4);
    SmallVector<linalg::GenericOp> generics;
    func.walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics)
      (void)emitTransposeKernel(op);
    SmallVector<GenericPlan> work;
    func.walk([&](linalg::GenericOp op) {
      if (std::optional<GenericPlan> plan = planGeneric(op))
        work.push_back(*plan);
    });
    for (const GenericPlan &plan : work) {
      OpBuilder b(plan.op);
      GenericEmitter(b, plan, lanes).emit();
      plan.op->erase();
    }
    // exp, tanh, erf, log...: polynomials in arith ops, which stay vectors (libm has no vector forms).
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace nncc
