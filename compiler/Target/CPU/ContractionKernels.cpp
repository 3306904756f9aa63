// nncc-contraction-kernels: matmuls and convolutions on memrefs become register-tiled vector
// kernels (outer-product or dot shape; see Passes.td for the picture).
#include "compiler/Passes.h"
#include "compiler/Target/CPU/Epilogue.h"
#include "compiler/Target/CPU/KernelPlan.h"
#include "compiler/Target/CPU/LoopEmitter.h"

namespace nncc {
#define GEN_PASS_DEF_CONTRACTIONKERNELS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// Builds one op's kernels. `point` holds the current value of every loop dimension of the op
/// (constant 0 for dimensions an access does not use), and is updated as loops are opened.
class KernelEmitter : LoopEmitter {
public:
  KernelEmitter(OpBuilder &b, Location loc, const KernelPlan &plan, std::optional<Epilogue> epilogue)
      : LoopEmitter(b, loc, plan.lanes), plan_(plan), epilogue_(epilogue) {}

  void emit() {
    SmallVector<OpFoldResult> point(plan_.ranges.size(), b_.getIndexAttr(0));
    parallelPending_ = worthParallel(plan_.ranges);
    forOuter(0, point);
  }

private:
  /// Opens one loop per outer dimension, then tiles the two kernel dimensions.
  void forOuter(size_t i, SmallVector<OpFoldResult> &point) {
    if (i == plan_.outer.size()) {
      int64_t mRange = plan_.m ? plan_.ranges[*plan_.m] : 1;
      int64_t nStep = plan_.shape == KernelShape::OuterProduct ? plan_.nr * lanes_ : plan_.nr;
      forTiles(plan_.ranges[plan_.n], nStep, [&](OpFoldResult n0, int64_t cols) {
        forTiles(mRange, plan_.mr, [&](OpFoldResult m0, int64_t rows) {
          if (plan_.m)
            point[*plan_.m] = m0;
          point[plan_.n] = n0;
          if (plan_.shape == KernelShape::OuterProduct)
            outerProductTile(point, rows, cols);
          else
            dotTile(point, rows, cols);
        });
      });
      return;
    }
    unsigned dim = plan_.outer[i];
    loop(plan_.ranges[dim], 1, [&](OpFoldResult iv) {
      point[dim] = iv;
      forOuter(i + 1, point);
    });
  }

  /// Nested scf.for loops over `dims` carrying `acc`; `body` maps the accumulators at one point of
  /// the reduction to their new values. Returns the accumulators after the last iteration.
  SmallVector<Value> reduce(ArrayRef<unsigned> dims, SmallVector<OpFoldResult> &point,
                            ValueRange acc,
                            llvm::function_ref<SmallVector<Value>(ValueRange)> body) {
    if (dims.empty())
      return body(acc);
    auto forOp = b_.create<scf::ForOp>(loc_, index(0), index(plan_.ranges[dims.front()]), index(1),
                                       acc);
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPointToStart(forOp.getBody());
    point[dims.front()] = forOp.getInductionVar();
    SmallVector<Value> next = reduce(dims.drop_front(), point, forOp.getRegionIterArgs(), body);
    b_.create<scf::YieldOp>(loc_, next);
    // The induction variable is out of scope after the loop.
    point[dims.front()] = b_.getIndexAttr(0);
    return forOp.getResults();
  }

  /// mr x nr/V accumulators along n, updated by broadcast(A) * B-vector at each reduction point.
  void outerProductTile(SmallVector<OpFoldResult> &point, int64_t rows, int64_t cols) {
    int64_t vectors = llvm::divideCeil(cols, lanes_);
    auto lanesOf = [&](int64_t u) { return std::min(lanes_, cols - u * lanes_); };
    OpFoldResult m0 = plan_.m ? point[*plan_.m] : OpFoldResult(), n0 = point[plan_.n];
    auto at = [&](int64_t i, int64_t u) {
      SmallVector<OpFoldResult> p = point;
      if (plan_.m)
        p[*plan_.m] = offset(m0, i);
      p[plan_.n] = offset(n0, u * lanes_);
      return p;
    };
    SmallVector<Value> acc;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t u = 0; u < vectors; ++u)
        acc.push_back(loadVector(plan_.c, at(i, u), lanesOf(u), 1));
    SmallVector<Value> result = reduce(plan_.reductions, point, acc, [&](ValueRange acc) {
      SmallVector<Value> bs, next;
      for (int64_t u = 0; u < vectors; ++u)
        bs.push_back(loadVector(plan_.b, at(0, u), lanesOf(u), plan_.stride));
      for (int64_t i = 0; i < rows; ++i) {
        Value a = b_.create<memref::LoadOp>(loc_, plan_.a.memref, indices(plan_.a, at(i, 0)));
        Value splat = b_.create<vector::BroadcastOp>(loc_, vecType_, a);
        for (int64_t u = 0; u < vectors; ++u)
          next.push_back(b_.create<vector::FMAOp>(loc_, splat, bs[u], acc[i * vectors + u]));
      }
      return next;
    });
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t u = 0; u < vectors; ++u)
        store(result[i * vectors + u], at(i, u), lanesOf(u));
    point[plan_.n] = n0;
    if (plan_.m)
      point[*plan_.m] = m0;
  }

  /// mr x nr vector accumulators along k, summed into C's scalars at the end.
  void dotTile(SmallVector<OpFoldResult> &point, int64_t rows, int64_t cols) {
    OpFoldResult m0 = plan_.m ? point[*plan_.m] : OpFoldResult(), n0 = point[plan_.n];
    auto at = [&](int64_t i, int64_t j, OpFoldResult k) {
      SmallVector<OpFoldResult> p = point;
      if (plan_.m)
        p[*plan_.m] = offset(m0, i);
      p[plan_.n] = offset(n0, j);
      p[plan_.k] = k;
      return p;
    };
    auto step = [&](ValueRange acc, OpFoldResult k, int64_t lanes) {
      SmallVector<Value> as, bs, next;
      for (int64_t i = 0; i < rows; ++i)
        as.push_back(loadVector(plan_.a, at(i, 0, k), lanes, 1));
      for (int64_t j = 0; j < cols; ++j)
        bs.push_back(loadVector(plan_.b, at(0, j, k), lanes, 1));
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
          next.push_back(b_.create<vector::FMAOp>(loc_, as[i], bs[j], acc[i * cols + j]));
      return next;
    };
    Value zero = b_.create<arith::ConstantOp>(loc_, vecType_, DenseElementsAttr::get(vecType_, 0.0f));
    SmallVector<Value> acc(rows * cols, zero);
    int64_t kRange = plan_.ranges[plan_.k], whole = kRange / lanes_ * lanes_;
    if (whole > 0) {
      auto forOp = b_.create<scf::ForOp>(loc_, index(0), index(whole), index(lanes_), acc);
      OpBuilder::InsertionGuard guard(b_);
      b_.setInsertionPointToStart(forOp.getBody());
      b_.create<scf::YieldOp>(loc_, step(forOp.getRegionIterArgs(), forOp.getInductionVar(), lanes_));
      acc = forOp.getResults();
    }
    if (whole < kRange)
      acc = step(acc, b_.getIndexAttr(whole), kRange - whole);
    SmallVector<Value> sums = laneSums(acc);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        Value sum = sums[i * cols + j];
        SmallVector<Value> c = indices(plan_.c, at(i, j, b_.getIndexAttr(0)));
        Value old = b_.create<memref::LoadOp>(loc_, plan_.c.memref, c);
        Value total = b_.create<arith::AddFOp>(loc_, old, sum);
        if (!epilogue_) {
          b_.create<memref::StoreOp>(loc_, total, plan_.c.memref, c);
          continue;
        }
        SmallVector<OpFoldResult> outPoint(c.begin(), c.end());
        b_.create<memref::StoreOp>(loc_, epilogueValue(total, outPoint, 1, false),
                                   epilogue_->output, c);
      }
  }

  /// The sum of each vector's lanes. Every lanes_ vectors are summed together by a tree of
  /// two-input shuffles and adds that halves the lanes per vector while doubling the vectors per
  /// register, leaving one register whose lane l is the sum of vector l: log2(V) rounds, V - 1
  /// register pairs in all, instead of V separate log2(V)-step reductions. The rest are reduced
  /// one by one.
  SmallVector<Value> laneSums(ArrayRef<Value> vectors) {
    SmallVector<Value> sums;
    size_t whole = vectors.size() / lanes_ * lanes_;
    for (size_t first = 0; first < whole; first += lanes_) {
      SmallVector<Value> level(vectors.begin() + first, vectors.begin() + first + lanes_);
      // Each register of `level` holds lanes_ / group groups of `group` partial sums.
      for (int64_t group = lanes_; group > 1; group /= 2) {
        SmallVector<int64_t> low, high;
        for (int64_t source = 0; source < 2; ++source)
          for (int64_t g = 0; g < lanes_ / group; ++g)
            for (int64_t l = 0; l < group / 2; ++l) {
              low.push_back(source * lanes_ + g * group + l);
              high.push_back(source * lanes_ + g * group + group / 2 + l);
            }
        SmallVector<Value> next;
        for (size_t v = 0; v < level.size(); v += 2) {
          Value lo = b_.create<vector::ShuffleOp>(loc_, level[v], level[v + 1], low);
          Value hi = b_.create<vector::ShuffleOp>(loc_, level[v], level[v + 1], high);
          next.push_back(b_.create<arith::AddFOp>(loc_, lo, hi));
        }
        level = next;
      }
      for (int64_t l = 0; l < lanes_; ++l)
        sums.push_back(b_.create<vector::ExtractOp>(loc_, level[0], l));
    }
    for (Value v : vectors.drop_front(whole))
      sums.push_back(b_.create<vector::ReductionOp>(loc_, vector::CombiningKind::ADD, v, Value(),
                                                    arith::FastMathFlags::reassoc));
    return sums;
  }

  /// Stores a tile vector of C at `point`, through the epilogue when there is one.
  void store(Value acc, ArrayRef<OpFoldResult> point, int64_t lanes) {
    if (!epilogue_)
      return storeVector(acc, plan_.c, point, lanes);
    // The epilogue's loops are C's dimensions: its point is C's indices.
    SmallVector<Value> c = indices(plan_.c, point);
    SmallVector<OpFoldResult> outPoint(c.begin(), c.end());
    Access out{epilogue_->output, AffineMap::getMultiDimIdentityMap(c.size(), b_.getContext())};
    storeVector(epilogueValue(acc, outPoint, lanes, true), out, outPoint, lanes);
  }

  /// The epilogue's body on the accumulator `acc` (a vector of `lanes` along C's innermost
  /// dimension, or a scalar), with its other inputs read at `point`.
  Value epilogueValue(Value acc, ArrayRef<OpFoldResult> point, int64_t lanes, bool vector) {
    linalg::GenericOp op = epilogue_->op;
    Block &block = *op.getBody();
    unsigned last = op.getNumLoops() - 1;
    IRMapping mapping;
    for (auto [i, operand] : llvm::enumerate(op.getDpsInputOperands())) {
      BlockArgument arg = block.getArgument(i);
      if (arg.use_empty())
        continue;
      if (i == epilogue_->accumulator) {
        mapping.map(arg, acc);
        continue;
      }
      Access access{operand->get(), op.getMatchingIndexingMap(operand)};
      bool varies = llvm::any_of(access.map.getResults(),
                                 [&](AffineExpr e) { return e.isFunctionOfDim(last); });
      if (vector && varies) {
        mapping.map(arg, loadVector(access, point, lanes, 1));
        continue;
      }
      Value scalar = b_.create<memref::LoadOp>(loc_, access.memref, indices(access, point));
      mapping.map(arg, vector ? splat(scalar) : scalar);
    }
    for (Operation &inner : block.without_terminator()) {
      if (vector)
        cloneAsVector(inner, mapping);
      else
        b_.clone(inner, mapping);
    }
    Value y = cast<linalg::YieldOp>(block.getTerminator()).getValues()[0];
    if (mapping.contains(y))
      return mapping.lookup(y);
    return vector ? splat(y) : y;
  }

  const KernelPlan &plan_;
  std::optional<Epilogue> epilogue_;
};

struct ContractionKernelsPass : impl::ContractionKernelsBase<ContractionKernelsPass> {
  using ContractionKernelsBase::ContractionKernelsBase;

  void runOnOperation() override {
    VectorTarget target = VectorTarget::forBits(vectorBits);
    SmallVector<std::pair<linalg::LinalgOp, KernelPlan>, 4> work;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (std::optional<KernelPlan> plan = planKernel(op, target))
        work.emplace_back(op, *plan);
    });
    for (auto &[op, plan] : work) {
      std::optional<Epilogue> epilogue;
      if (epilogues)
        epilogue = findEpilogue(op, plan.c.memref);
      OpBuilder b(op);
      // The kernel names the modules of both ops when it computes the epilogue.
      Location loc = epilogue ? b.getFusedLoc({op.getLoc(), epilogue->op.getLoc()}) : op.getLoc();
      KernelEmitter(b, loc, plan, epilogue).emit();
      if (epilogue)
        epilogue->op->erase();
      op->erase();
    }
  }
};

} // namespace
} // namespace nncc
