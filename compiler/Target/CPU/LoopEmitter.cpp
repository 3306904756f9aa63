// The shared loop and vector building blocks of nncc's CPU kernel emitters (LoopEmitter.h).
#include "compiler/Target/CPU/LoopEmitter.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace nncc {

/// Loop iterations below which an op runs on one thread: splitting it would cost more than the
/// microseconds it takes.
constexpr int64_t kParallelWork = 1 << 16;

bool innermostContiguous(Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  return type.getRank() > 0 && getStridesAndOffset(type).first.back() == 1;
}

bool LoopEmitter::worthParallel(ArrayRef<int64_t> ranges) {
  int64_t work = 1;
  for (int64_t r : ranges)
    work *= r;
  return work >= kParallelWork;
}

void LoopEmitter::forTiles(int64_t extent, int64_t step, llvm::function_ref<void(OpFoldResult, int64_t)> body) {
  int64_t whole = extent / step * step;
  if (whole > 0)
    loop(whole, step, [&](OpFoldResult iv) { body(iv, step); });
  if (whole < extent)
    body(b_.getIndexAttr(whole), extent - whole);
}

void LoopEmitter::loop(int64_t extent, int64_t step, llvm::function_ref<void(OpFoldResult)> body) {
  if (extent == step)
    return body(b_.getIndexAttr(0));
  OpBuilder::InsertionGuard guard(b_);
  if (parallelPending_) {
    parallelPending_ = false;
    auto parallel = b_.create<scf::ParallelOp>(loc_, ValueRange{index(0)}, ValueRange{index(extent)},
                                               ValueRange{index(step)});
    b_.setInsertionPointToStart(parallel.getBody());
    return body(parallel.getInductionVars()[0]);
  }
  auto forOp = b_.create<scf::ForOp>(loc_, index(0), index(extent), index(step));
  b_.setInsertionPointToStart(forOp.getBody());
  body(forOp.getInductionVar());
}

Value LoopEmitter::loadVector(const Access &access, ArrayRef<OpFoldResult> point, int64_t lanes,
                 int64_t stride) {
  SmallVector<Value> at = indices(access, point);
  if (stride == 2 && lanes == lanes_)
    return loadEveryOther(access, at);
  int64_t span = (lanes_ - 1) * stride + 1, needed = (lanes - 1) * stride + 1;
  auto spanType = VectorType::get({span}, b_.getF32Type());
  Value loaded;
  if (needed == span) {
    loaded = b_.create<vector::LoadOp>(loc_, spanType, access.memref, at);
  } else {
    Value passThru =
        b_.create<arith::ConstantOp>(loc_, spanType, DenseElementsAttr::get(spanType, 0.0f));
    loaded = b_.create<vector::MaskedLoadOp>(loc_, spanType, access.memref, at, mask(span, needed),
                                             passThru);
  }
  if (stride == 1)
    return loaded;
  SmallVector<int64_t> picks;
  for (int64_t l = 0; l < lanes_; ++l)
    picks.push_back(l * stride);
  return b_.create<vector::ShuffleOp>(loc_, loaded, loaded, picks);
}

Value LoopEmitter::loadEveryOther(const Access &access, ArrayRef<Value> at) {
  // Two registers' worth, the second without its last lane (past the span), and one two-input
  // shuffle of the even lanes: a single permute, where one shuffle of a (2V-1)-lane load
  // becomes many narrow ones.
  Value lo = b_.create<vector::LoadOp>(loc_, vecType_, access.memref, at);
  SmallVector<Value> next(at.begin(), at.end());
  next.back() = b_.create<arith::AddIOp>(loc_, next.back(), index(lanes_));
  Value zero = b_.create<arith::ConstantOp>(loc_, vecType_, DenseElementsAttr::get(vecType_, 0.0f));
  Value hi = b_.create<vector::MaskedLoadOp>(loc_, vecType_, access.memref, next,
                                             mask(lanes_, lanes_ - 1), zero);
  SmallVector<int64_t> even;
  for (int64_t l = 0; l < lanes_; ++l)
    even.push_back(2 * l);
  return b_.create<vector::ShuffleOp>(loc_, lo, hi, even);
}

void LoopEmitter::storeVector(Value value, const Access &access, ArrayRef<OpFoldResult> point, int64_t lanes) {
  SmallVector<Value> at = indices(access, point);
  if (lanes == lanes_)
    b_.create<vector::StoreOp>(loc_, value, access.memref, at);
  else
    b_.create<vector::MaskedStoreOp>(loc_, access.memref, at, mask(lanes_, lanes), value);
}

Value LoopEmitter::mask(int64_t size, int64_t on) {
  auto type = VectorType::get({size}, b_.getI1Type());
  SmallVector<bool> bits(size, false);
  std::fill_n(bits.begin(), on, true);
  return b_.create<arith::ConstantOp>(loc_, type, DenseElementsAttr::get(type, ArrayRef(bits)));
}

SmallVector<Value> LoopEmitter::indices(const Access &access, ArrayRef<OpFoldResult> point) {
  SmallVector<Value> out;
  for (AffineExpr e : access.map.getResults()) {
    AffineMap one = AffineMap::get(access.map.getNumDims(), 0, e);
    out.push_back(getValueOrCreateConstantIndexOp(
        b_, loc_, affine::makeComposedFoldedAffineApply(b_, loc_, one, point)));
  }
  return out;
}

OpFoldResult LoopEmitter::offset(OpFoldResult base, int64_t delta) {
  if (delta == 0)
    return base;
  AffineExpr s0 = b_.getAffineSymbolExpr(0);
  return affine::makeComposedFoldedAffineApply(b_, loc_, s0 + delta, {base});
}

Value LoopEmitter::index(int64_t v) { return b_.create<arith::ConstantIndexOp>(loc_, v); }

Value LoopEmitter::splat(Value scalar) {
  return b_.create<vector::BroadcastOp>(loc_, VectorType::get({lanes_}, scalar.getType()), scalar);
}

void LoopEmitter::cloneAsVector(Operation &op, IRMapping &mapping) {
  SmallVector<Value> operands;
  for (Value v : op.getOperands())
    operands.push_back(mapping.contains(v) ? mapping.lookup(v) : splat(v));
  SmallVector<Type> types;
  for (Type t : op.getResultTypes())
    types.push_back(VectorType::get({lanes_}, t));
  OperationState state(loc_, op.getName(), operands, types, op.getAttrs());
  mapping.map(op.getResults(), b_.create(state)->getResults());
}

} // namespace nncc
