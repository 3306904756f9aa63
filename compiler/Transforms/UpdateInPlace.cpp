// nncc-update-in-place: an update's only writer writes the state argument itself, when no read
// of the old value can see the new one.
#include "compiler/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace nncc {
#define GEN_PASS_DEF_UPDATEINPLACE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// Whether `update`'s only user is an all-parallel linalg op W, at the top of `body`, that writes
/// it; W reads `state` only directly and with `update`'s indexing map; and no op after W uses
/// `state` (or any view of it).
bool safeInPlace(Block &body, BlockArgument state, BlockArgument update) {
  if (!update.hasOneUse())
    return false;
  auto writer = dyn_cast<linalg::LinalgOp>(update.use_begin()->getOwner());
  if (!writer || writer->getBlock() != &body || !writer.isDpsInit(&*update.use_begin()) ||
      writer.getNumParallelLoops() != writer.getNumLoops())
    return false;
  AffineMap written = writer.getMatchingIndexingMap(&*update.use_begin());
  // Every op that reads the state, directly or through views (an op with a memref result is
  // taken as a view, whose users read the state too), must come before W, or be W reading it
  // directly at the index it writes.
  SmallVector<Value> values = {state};
  while (!values.empty()) {
    Value v = values.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (user->getBlock() != &body)
        return false; // nested: no program order to compare against
      if (user == writer.getOperation()) {
        if (v != state || writer.isDpsInit(&use) || writer.getMatchingIndexingMap(&use) != written)
          return false;
        continue;
      }
      bool view = false;
      for (Value result : user->getResults())
        if (isa<MemRefType>(result.getType())) {
          values.push_back(result);
          view = true;
        }
      if (!view && !user->isBeforeInBlock(writer))
        return false;
    }
  }
  return true;
}

struct UpdateInPlacePass : impl::UpdateInPlaceBase<UpdateInPlacePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto updates = func->getAttrOfType<ArrayAttr>(kUpdatesAttr);
    if (!updates || func.isExternal())
      return;
    // Out-parameters have no role yet: the outputs, then one per update in nn.updates' order.
    SmallVector<unsigned> outParams;
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (!func.getArgAttr(i, kRoleAttr))
        outParams.push_back(i);
    if (outParams.size() < updates.size())
      return;
    unsigned firstUpdate = outParams.size() - updates.size();
    Block &body = func.getBody().front();
    llvm::BitVector erased(func.getNumArguments());
    SmallVector<Attribute> kept;
    for (auto [k, name] : llvm::enumerate(updates.getAsValueRange<StringAttr>())) {
      BlockArgument update = body.getArgument(outParams[firstUpdate + k]);
      BlockArgument state;
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        if (auto s = func.getArgAttrOfType<StringAttr>(i, kStateAttr); s && s.getValue() == name)
          state = body.getArgument(i);
      if (!state || state.getType() != update.getType() || !safeInPlace(body, state, update)) {
        kept.push_back(StringAttr::get(&getContext(), name));
        continue;
      }
      update.replaceAllUsesWith(state);
      erased.set(update.getArgNumber());
    }
    if (erased.none())
      return;
    func.eraseArguments(erased);
    func->setAttr(kUpdatesAttr, ArrayAttr::get(&getContext(), kept));
  }
};

} // namespace
} // namespace nncc
