// nncc-outline-parallel: each top-level scf.parallel becomes a call of a function over a range of
// its iterations, so that the runtime's threads can each run a part of it.
#include "compiler/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace nncc {
#define GEN_PASS_DEF_OUTLINEPARALLEL
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// The ops of `func`'s entry block that compute `values` from the function's arguments, in block
/// order; false when one of them has effects or regions (it cannot be recomputed elsewhere).
bool collectRecomputable(func::FuncOp func, ArrayRef<Value> values,
                         SetVector<Operation *> &ops) {
  SmallVector<Value> work(values.begin(), values.end());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != &func.getBody().front())
        return false;
      continue;
    }
    Operation *op = v.getDefiningOp();
    if (ops.contains(op))
      continue;
    if (op->getBlock() != &func.getBody().front() || op->getNumRegions() != 0 || !isPure(op))
      return false;
    ops.insert(op);
    work.append(op->operand_begin(), op->operand_end());
  }
  SmallVector<Operation *> sorted(ops.begin(), ops.end());
  llvm::sort(sorted, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  ops = SetVector<Operation *>(sorted.begin(), sorted.end());
  return true;
}

/// Moves `loop` into `@<func>_par<index>`; false (and nothing changed) when it reads values that
/// cannot be rebuilt from the function's arguments or has non-constant bounds.
bool outline(func::FuncOp func, scf::ParallelOp loop, unsigned index) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[0]),
                         ub = getConstantIntValue(loop.getUpperBound()[0]),
                         step = getConstantIntValue(loop.getStep()[0]);
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(loop.getRegion(), captured);
  SetVector<Operation *> recomputed;
  if (!lb || !ub || !step || !collectRecomputable(func, captured.getArrayRef(), recomputed))
    return false;

  OpBuilder b(func);
  b.setInsertionPointAfter(func);
  Location loc = loop.getLoc();
  SmallVector<Type> types{b.getIndexType(), b.getIndexType()};
  llvm::append_range(types, func.getArgumentTypes());
  auto outlined = b.create<func::FuncOp>(loc, (func.getName() + "_par" + Twine(index)).str(),
                                         b.getFunctionType(types, {}));
  outlined.setPrivate();
  outlined->setAttr(kParallelBodyAttr, b.getUnitAttr());
  Block *entry = outlined.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping mapping;
  mapping.map(func.getArguments(), entry->getArguments().drop_front(2));
  for (Operation *op : recomputed)
    b.clone(*op, mapping);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  auto body = b.create<scf::ForOp>(loc, entry->getArgument(0), entry->getArgument(1), one);
  b.create<func::ReturnOp>(loc);
  b.setInsertionPointToStart(body.getBody());
  AffineExpr t = b.getAffineDimExpr(0);
  mapping.map(loop.getInductionVars()[0],
              b.create<affine::AffineApplyOp>(loc, t * *step + *lb, body.getInductionVar()));
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);

  b.setInsertionPoint(loop);
  SmallVector<Value> operands{b.create<arith::ConstantIndexOp>(loc, 0),
                              b.create<arith::ConstantIndexOp>(loc, llvm::divideCeil(*ub - *lb, *step))};
  llvm::append_range(operands, func.getArguments());
  b.create<func::CallOp>(loc, outlined, operands);
  loop.erase();
  return true;
}

/// `loop` as an equivalent scf.for, for loops that stay on the calling thread.
void serialize(scf::ParallelOp loop) {
  OpBuilder b(loop);
  auto forOp = b.create<scf::ForOp>(loop.getLoc(), loop.getLowerBound()[0], loop.getUpperBound()[0],
                                    loop.getStep()[0]);
  b.setInsertionPointToStart(forOp.getBody());
  IRMapping mapping;
  mapping.map(loop.getInductionVars()[0], forOp.getInductionVar());
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  loop.erase();
}

struct OutlineParallelPass : impl::OutlineParallelBase<OutlineParallelPass> {
  void runOnOperation() override {
    SmallVector<func::FuncOp> funcs(getOperation().getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      SmallVector<scf::ParallelOp> loops;
      func.walk([&](scf::ParallelOp loop) { loops.push_back(loop); });
      unsigned index = 0;
      for (scf::ParallelOp loop : loops) {
        bool topLevel = loop->getParentOp() == func && loop.getNumLoops() == 1;
        if (topLevel && outline(func, loop, index))
          ++index;
        else if (loop.getNumLoops() == 1)
          serialize(loop);
        else {
          loop.emitError("nncc-outline-parallel handles one-dimensional scf.parallel only");
          return signalPassFailure();
        }
      }
    }
  }
};

} // namespace
} // namespace nncc
