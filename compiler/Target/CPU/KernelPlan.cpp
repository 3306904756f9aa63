// Kernel planning for nncc-contraction-kernels: recognizes multiply-accumulate ops and picks the
// vector dimension, the register-tiled dimensions and the tile sizes.
#include "compiler/Target/CPU/KernelPlan.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace nncc {

VectorTarget VectorTarget::forBits(int64_t bits) {
  return {std::max<int64_t>(bits / 32, 4), bits >= 512 ? 32 : 16};
}

namespace {

/// The farthest apart consecutive vector elements may be: a strided load reads (V-1)*s+1
/// elements and keeps V of them.
constexpr int64_t kMaxStride = 4;

/// The coefficient of dimension `d` in `e`, when `e` is a sum of dimensions times constants and
/// constants; nullopt for anything else (mod, floordiv, products of dimensions).
std::optional<int64_t> coefficient(AffineExpr e, unsigned d) {
  if (auto dim = dyn_cast<AffineDimExpr>(e))
    return dim.getPosition() == d ? 1 : 0;
  if (isa<AffineConstantExpr>(e))
    return 0;
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return std::nullopt;
  std::optional<int64_t> lhs = coefficient(bin.getLHS(), d);
  if (!lhs)
    return std::nullopt;
  if (e.getKind() == AffineExprKind::Add) {
    std::optional<int64_t> rhs = coefficient(bin.getRHS(), d);
    return rhs ? std::optional<int64_t>(*lhs + *rhs) : std::nullopt;
  }
  // Canonical affine expressions keep the constant factor of a product on the right.
  auto factor = dyn_cast<AffineConstantExpr>(bin.getRHS());
  if (e.getKind() == AffineExprKind::Mul && factor)
    return *lhs * factor.getValue();
  return std::nullopt;
}

/// Whether every index of `access` is a linear form the emitter can evaluate.
bool isLinear(const Access &access) {
  for (AffineExpr e : access.map.getResults())
    for (unsigned d = 0; d < access.map.getNumDims(); ++d)
      if (!coefficient(e, d))
        return false;
  return true;
}

bool uses(const Access &access, unsigned d) {
  return llvm::any_of(access.map.getResults(),
                      [&](AffineExpr e) { return coefficient(e, d).value_or(1) != 0; });
}

/// The coefficient of `d` in the innermost index of `access` when `d` appears in no other index.
std::optional<int64_t> innerCoefficient(const Access &access, unsigned d) {
  ArrayRef<AffineExpr> results = access.map.getResults();
  for (AffineExpr e : results.drop_back())
    if (coefficient(e, d) != 0)
      return std::nullopt;
  std::optional<int64_t> c = coefficient(results.back(), d);
  if (!c || *c == 0)
    return std::nullopt;
  return c;
}

/// Among the parallel dimensions accepted by `pick`, the one with the largest range.
std::optional<unsigned> largest(const KernelPlan &plan, ArrayRef<utils::IteratorType> iterators,
                                llvm::function_ref<bool(unsigned)> pick) {
  std::optional<unsigned> best;
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] == utils::IteratorType::parallel && pick(d) &&
        (!best || plan.ranges[d] > plan.ranges[*best]))
      best = d;
  return best;
}

/// The idle lanes of the last vector when `range` elements are covered by vectors of `lanes`.
int64_t idleLanes(int64_t range, int64_t lanes) { return llvm::divideCeil(range, lanes) * lanes - range; }

/// `lanes`, or half of it (not below 8) when that leaves fewer lanes idle along `range`.
int64_t narrowerLanes(int64_t range, int64_t lanes) {
  int64_t half = lanes / 2;
  return half >= 8 && idleLanes(range, half) < idleLanes(range, lanes) ? half : lanes;
}

/// Fills in the loops outside the tile and the tile sizes once m, n (and k) are chosen.
void finish(KernelPlan &plan, ArrayRef<utils::IteratorType> iterators, const VectorTarget &t) {
  for (unsigned d = 0; d < iterators.size(); ++d) {
    bool tiled = d == plan.n || d == plan.m || (plan.shape == KernelShape::Dot && d == plan.k);
    if (tiled)
      continue;
    (iterators[d] == utils::IteratorType::parallel ? plan.outer : plan.reductions).push_back(d);
  }
  int64_t mRange = plan.m ? plan.ranges[*plan.m] : 1, nRange = plan.ranges[plan.n];
  plan.lanes = t.lanes;
  if (plan.shape == KernelShape::OuterProduct) {
    // Vectors half as wide when they cover n with fewer idle lanes (n = 56 is 4 vectors of 16
    // with 8 lanes idle, or 7 vectors of 8 with none): an FMA on a half-empty vector costs a full
    // one. The tile keeps its span of n, in twice the vectors.
    plan.lanes = narrowerLanes(nRange, t.lanes);
    // nr vectors of B and one broadcast register beside the mr x nr accumulators.
    plan.nr = std::min<int64_t>(2 * t.lanes / plan.lanes, llvm::divideCeil(nRange, plan.lanes));
    plan.mr = std::clamp<int64_t>((t.registers - plan.nr - 1) / plan.nr, 1, 8);
  } else if (mRange == 1) {
    // A matrix-vector product: one row of A against as many rows of B as registers allow.
    plan.mr = 1;
    plan.nr = t.registers == 32 ? 8 : 6;
  } else {
    // mr + nr loaded vectors beside mr x nr accumulators.
    plan.mr = plan.nr = t.registers == 32 ? 4 : 3;
  }
  plan.mr = std::min(plan.mr, mRange);
  if (plan.shape == KernelShape::Dot)
    plan.nr = std::min(plan.nr, nRange);
}

std::optional<KernelPlan> planOuterProduct(KernelPlan plan, ArrayRef<utils::IteratorType> iterators,
                                           const Access &x, const Access &y) {
  AffineExpr inner = plan.c.map.getResults().back();
  auto n = dyn_cast<AffineDimExpr>(inner);
  if (!n || !innermostContiguous(plan.c.memref) || !innermostContiguous(y.memref) || uses(x, n.getPosition()))
    return std::nullopt;
  std::optional<int64_t> stride = innerCoefficient(y, n.getPosition());
  if (!stride || *stride < 1 || *stride > kMaxStride || plan.ranges[n.getPosition()] < kMinLanes)
    return std::nullopt;
  plan.shape = KernelShape::OuterProduct;
  plan.a = x;
  plan.b = y;
  plan.n = n.getPosition();
  plan.stride = *stride;
  plan.m = largest(plan, iterators, [&](unsigned d) {
    return d != plan.n && uses(plan.c, d) && uses(x, d) && !uses(y, d);
  });
  return plan;
}

std::optional<KernelPlan> planDot(KernelPlan plan, ArrayRef<utils::IteratorType> iterators,
                                  const Access &x, const Access &y) {
  if (llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return std::nullopt;
  unsigned k = llvm::find(iterators, utils::IteratorType::reduction) - iterators.begin();
  if (!innermostContiguous(x.memref) || !innermostContiguous(y.memref) ||
      innerCoefficient(x, k) != 1 || innerCoefficient(y, k) != 1 || plan.ranges[k] < kMinLanes)
    return std::nullopt;
  plan.shape = KernelShape::Dot;
  plan.a = x;
  plan.b = y;
  plan.k = k;
  std::optional<unsigned> n = largest(plan, iterators, [&](unsigned d) {
    return uses(plan.c, d) && uses(y, d) && !uses(x, d);
  });
  if (!n)
    return std::nullopt;
  plan.n = *n;
  plan.m = largest(plan, iterators, [&](unsigned d) {
    return uses(plan.c, d) && uses(x, d) && !uses(y, d);
  });
  return plan;
}

/// Whether `body` is `yield out + in0 * in1` (either operand order).
bool isMultiplyAccumulate(Block &body) {
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value out = body.getArgument(2), product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul || (add.getLhs() != out && add.getRhs() != out))
    return false;
  Value in0 = body.getArgument(0), in1 = body.getArgument(1);
  return (mul.getLhs() == in0 && mul.getRhs() == in1) || (mul.getLhs() == in1 && mul.getRhs() == in0);
}

bool isF32StaticMemref(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32() &&
         isStrided(type);
}

} // namespace

std::optional<KernelPlan> planKernel(linalg::LinalgOp op, const VectorTarget &target) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !llvm::all_of(op->getOperands(), isF32StaticMemref))
    return std::nullopt;
  if (!isMultiplyAccumulate(*op.getBlock()))
    return std::nullopt;
  KernelPlan plan;
  plan.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(plan.ranges, ShapedType::isDynamic))
    return std::nullopt;
  auto access = [&](OpOperand &operand) {
    return Access{operand.get(), op.getMatchingIndexingMap(&operand)};
  };
  Access x = access(*op.getDpsInputOperand(0)), y = access(*op.getDpsInputOperand(1));
  plan.c = access(*op.getDpsInitOperand(0));
  if (!plan.c.map.isProjectedPermutation() || !isLinear(x) || !isLinear(y))
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  std::optional<KernelPlan> chosen = planOuterProduct(plan, iterators, x, y);
  if (!chosen)
    chosen = planOuterProduct(plan, iterators, y, x);
  if (!chosen)
    chosen = planDot(plan, iterators, x, y);
  if (!chosen)
    chosen = planDot(plan, iterators, y, x);
  if (chosen)
    finish(*chosen, iterators, target);
  return chosen;
}

} // namespace nncc
