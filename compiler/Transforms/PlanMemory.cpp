// nncc-plan-memory: static allocations become views into one arena, reusing bytes across live ranges.
#include "compiler/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace nncc {
#define GEN_PASS_DEF_PLANMEMORY
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

constexpr int64_t kAlignment = 64;

struct Slot {
  memref::AllocOp alloc;
  int64_t first, last; // live range, in positions of the entry block
  int64_t bytes;
  int64_t offset = 0;
};

/// The position of the entry-block op that contains `op`.
int64_t positionIn(Block &entry, Operation *op, const DenseMap<Operation *, int64_t> &positions) {
  Operation *top = entry.findAncestorOpInBlock(*op);
  return positions.lookup(top);
}

/// Last position where `value` or any view of it is used; collects deallocs.
int64_t lastUse(Block &entry, Value value, const DenseMap<Operation *, int64_t> &positions,
                SmallVectorImpl<Operation *> &deallocs) {
  int64_t last = -1;
  for (Operation *user : value.getUsers()) {
    if (isa<memref::DeallocOp>(user)) {
      deallocs.push_back(user);
      continue;
    }
    last = std::max(last, positionIn(entry, user, positions));
    if (isa<ViewLikeOpInterface>(user))
      for (Value view : user->getResults())
        last = std::max(last, lastUse(entry, view, positions, deallocs));
  }
  return last;
}

struct PlanMemoryPass : impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    DenseMap<Operation *, int64_t> positions;
    int64_t pos = 0;
    for (Operation &op : entry)
      positions[&op] = pos++;

    SmallVector<Slot> slots;
    SmallVector<Operation *> deallocs;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (alloc->getBlock() != &entry || !type.hasStaticShape() ||
          !type.getLayout().isIdentity()) {
        alloc.emitOpError("cannot be placed in the arena: only static, identity-layout "
                          "allocations at function level are planned, got ")
            << type;
        return WalkResult::interrupt();
      }
      // Each element takes whole bytes (an i1 is stored as an i8).
      int64_t bytes = type.getNumElements() * static_cast<int64_t>(llvm::divideCeil(type.getElementTypeBitWidth(), 8));
      int64_t first = positions.lookup(alloc);
      int64_t last = std::max(first, lastUse(entry, alloc, positions, deallocs));
      slots.push_back({alloc, first, last, static_cast<int64_t>(llvm::alignTo(bytes, kAlignment))});
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // First fit in program order: each buffer takes the lowest offset that
    // does not overlap a placed buffer whose live range overlaps its own.
    int64_t arenaBytes = 0;
    for (size_t i = 0; i < slots.size(); ++i) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (size_t j = 0; j < i; ++j)
        if (slots[j].first <= slots[i].last && slots[i].first <= slots[j].last)
          busy.push_back({slots[j].offset, slots[j].offset + slots[j].bytes});
      llvm::sort(busy);
      int64_t offset = 0;
      for (auto [begin, end] : busy) {
        if (offset + slots[i].bytes <= begin)
          break;
        offset = std::max(offset, end);
      }
      slots[i].offset = offset;
      arenaBytes = std::max(arenaBytes, offset + slots[i].bytes);
    }

    OpBuilder b(func.getContext());
    auto arenaType = MemRefType::get({arenaBytes}, b.getI8Type());
    unsigned index = func.getNumArguments();
    func.insertArgument(index, arenaType, {}, func.getLoc());
    func.setArgAttr(index, kRoleAttr, b.getStringAttr("arena"));
    func->setAttr(kArenaBytesAttr, b.getI64IntegerAttr(arenaBytes));
    int64_t unplanned = 0;
    for (const Slot &slot : slots)
      unplanned += slot.bytes;
    func->setAttr(kUnplannedBytesAttr, b.getI64IntegerAttr(unplanned));
    Value arena = entry.getArgument(index);

    for (Operation *op : deallocs)
      op->erase();
    for (Slot &slot : slots) {
      b.setInsertionPoint(slot.alloc);
      Location loc = slot.alloc.getLoc();
      Value offset = b.create<arith::ConstantIndexOp>(loc, slot.offset);
      Value view = b.create<memref::ViewOp>(loc, slot.alloc.getType(), arena, offset, ValueRange{});
      slot.alloc.replaceAllUsesWith(view);
      slot.alloc.erase();
    }
  }
};

} // namespace
} // namespace nncc
