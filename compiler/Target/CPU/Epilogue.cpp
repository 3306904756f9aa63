// Matching GEMM epilogues on memrefs, with the arena-overlap check that keeps them safe.
#include "compiler/Target/CPU/Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace nncc {
namespace {

/// The byte range [first, last) of a memref.view with a constant shift, over its source.
std::optional<std::pair<Value, std::pair<int64_t, int64_t>>> viewRange(Value v) {
  auto view = v.getDefiningOp<memref::ViewOp>();
  if (!view)
    return std::nullopt;
  auto shift = getConstantIntValue(view.getByteShift());
  auto type = cast<MemRefType>(v.getType());
  if (!shift || !type.hasStaticShape())
    return std::nullopt;
  int64_t bytes = type.getNumElements() * type.getElementTypeBitWidth() / 8;
  return std::make_pair(view.getSource(), std::make_pair(*shift, *shift + bytes));
}

/// The buffer `v` is a view of, through every view-like op.
Value rootOf(Value v) {
  while (auto viewLike = v.getDefiningOp<ViewLikeOpInterface>())
    v = viewLike.getViewSource();
  return v;
}

/// Whether writing `x` can never change what reading `y` sees.
bool disjoint(Value x, Value y) {
  if (x == y)
    return false;
  auto rx = viewRange(x), ry = viewRange(y);
  if (rx && ry && rx->first == ry->first)
    return rx->second.second <= ry->second.first || ry->second.second <= rx->second.first;
  Value bx = rootOf(x), by = rootOf(y);
  // Distinct function arguments are distinct buffers (the ABI hands out separate tensors), and an
  // argument never overlaps the arena or an allocation.
  return bx != by && (isa<BlockArgument>(bx) || isa<BlockArgument>(by) ||
                      (bx.getDefiningOp<memref::AllocOp>() && by.getDefiningOp<memref::AllocOp>()));
}

} // namespace

std::optional<Epilogue> findEpilogue(linalg::LinalgOp contraction, Value acc) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(contraction->getNextNode());
  auto accType = dyn_cast<MemRefType>(acc.getType());
  if (!generic || !accType || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != static_cast<unsigned>(accType.getRank()) ||
      generic.getNumReductionLoops() != 0)
    return std::nullopt;
  OpOperand *init = generic.getDpsInitOperand(0);
  auto outType = dyn_cast<MemRefType>(init->get().getType());
  if (!outType || outType.getShape() != accType.getShape() || !outType.getElementType().isF32() ||
      !generic.getMatchingIndexingMap(init).isIdentity() ||
      !generic.getMatchingBlockArgument(init).use_empty())
    return std::nullopt;
  for (Operation &op : generic.getBody()->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()))
      return std::nullopt;

  std::optional<unsigned> accumulator;
  unsigned last = generic.getNumLoops() - 1;
  for (auto [i, operand] : llvm::enumerate(generic.getDpsInputOperands())) {
    AffineMap map = generic.getMatchingIndexingMap(operand);
    if (operand->get() == acc) {
      if (accumulator || !map.isIdentity())
        return std::nullopt;
      accumulator = i;
      continue;
    }
    if (!isa<MemRefType>(operand->get().getType()) || !map.isProjectedPermutation())
      return std::nullopt;
    // Vector loads run along the innermost output dimension: an input that varies along it must
    // have it innermost.
    bool varies = llvm::any_of(map.getResults(), [&](AffineExpr e) { return e.isFunctionOfDim(last); });
    if (varies && map.getResults().back() != getAffineDimExpr(last, map.getContext()))
      return std::nullopt;
  }
  if (!accumulator)
    return std::nullopt;

  Value out = init->get();
  for (OpOperand *operand : generic.getDpsInputOperands())
    if (operand->get() != acc && !disjoint(out, operand->get()))
      return std::nullopt;
  if (out != acc) {
    // The accumulator's final values are never stored: nothing may read them afterwards.
    if (isa<BlockArgument>(acc))
      return std::nullopt;
    for (Operation *user : acc.getUsers())
      if (user != contraction && user != generic &&
          !(user->getBlock() == contraction->getBlock() && user->isBeforeInBlock(contraction)))
        return std::nullopt;
    // The output is written while the contraction still reads its inputs.
    for (Value read : contraction.getDpsInputs())
      if (!disjoint(out, read))
        return std::nullopt;
  }
  return Epilogue{generic, *accumulator, out};
}

} // namespace nncc
