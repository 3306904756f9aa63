// 8x8 block transposes for nncc-generic-kernels (TransposeKernel.h): eight vectors loaded along
// the input's innermost dimension, transposed in registers by three rounds of two-input shuffles
// (the unpack / shufps / vperm2f128 network), and stored along the output's innermost dimension.
#include "compiler/Target/CPU/TransposeKernel.h"
#include "compiler/Target/CPU/LoopEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace nncc {
namespace {

constexpr int64_t kBlock = 8;

/// The loop dimension that `map`'s innermost index is, when it is a plain dimension.
std::optional<unsigned> innermostDim(AffineMap map) {
  if (map.getNumResults() == 0)
    return std::nullopt;
  if (auto d = dyn_cast<AffineDimExpr>(map.getResults().back()))
    return d.getPosition();
  return std::nullopt;
}

bool isF32Static(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32() && isStrided(type) &&
         innermostContiguous(v);
}

class TransposeEmitter : LoopEmitter {
public:
  TransposeEmitter(OpBuilder &b, linalg::GenericOp op, unsigned rows, unsigned cols)
      : LoopEmitter(b, op.getLoc(), kBlock), ranges_(op.getStaticLoopRanges()), rows_(rows),
        cols_(cols),
        in_{op.getDpsInputOperand(0)->get(), op.getMatchingIndexingMap(op.getDpsInputOperand(0))},
        out_{op.getDpsInitOperand(0)->get(), op.getMatchingIndexingMap(op.getDpsInitOperand(0))} {}

  void emit() {
    SmallVector<OpFoldResult> point(ranges_.size(), b_.getIndexAttr(0));
    parallelPending_ = worthParallel(ranges_);
    forOuter(0, point);
  }

private:
  /// One loop per dimension; `rows_` (the input's innermost) and `cols_` (the output's) step by
  /// a block, and the block is transposed inside the last.
  void forOuter(unsigned dim, SmallVector<OpFoldResult> &point) {
    if (dim == ranges_.size())
      return block(point);
    int64_t step = dim == rows_ || dim == cols_ ? kBlock : 1;
    loop(ranges_[dim], step, [&](OpFoldResult iv) {
      point[dim] = iv;
      forOuter(dim + 1, point);
    });
  }

  void block(ArrayRef<OpFoldResult> at) {
    SmallVector<OpFoldResult> point(at.begin(), at.end());
    OpFoldResult col0 = point[cols_], row0 = point[rows_];
    // in[i][r] is the input at (cols = col0 + i, rows = row0 + r): a row along the input.
    SmallVector<Value> in;
    for (int64_t i = 0; i < kBlock; ++i) {
      point[cols_] = offset(col0, i);
      in.push_back(loadVector(in_, point, kBlock, 1));
    }
    SmallVector<Value> out = transpose8x8(in);
    point[cols_] = col0;
    for (int64_t r = 0; r < kBlock; ++r) {
      point[rows_] = offset(row0, r);
      storeVector(out[r], out_, point, kBlock);
    }
  }

  Value shuffle(Value a, Value b, ArrayRef<int64_t> picks) {
    return b_.create<vector::ShuffleOp>(loc_, a, b, picks);
  }

  /// The transpose of eight 8-lane rows, as eight 8-lane columns.
  SmallVector<Value> transpose8x8(ArrayRef<Value> r) {
    // Pairs of rows interleaved within each 128-bit half.
    SmallVector<Value> t;
    for (int64_t i = 0; i < kBlock; i += 2) {
      t.push_back(shuffle(r[i], r[i + 1], {0, 8, 1, 9, 4, 12, 5, 13}));
      t.push_back(shuffle(r[i], r[i + 1], {2, 10, 3, 11, 6, 14, 7, 15}));
    }
    // Four rows of one column per 128-bit half: u[4h + c] holds columns c and c + 4 of rows
    // 4h..4h+3.
    SmallVector<Value> u;
    for (int64_t h = 0; h < 2; ++h)
      for (int64_t c = 0; c < 4; ++c) {
        Value lo = t[4 * h + c / 2], hi = t[4 * h + 2 + c / 2];
        u.push_back(c % 2 == 0 ? shuffle(lo, hi, {0, 1, 8, 9, 4, 5, 12, 13})
                               : shuffle(lo, hi, {2, 3, 10, 11, 6, 7, 14, 15}));
      }
    // The halves of rows 0-3 and 4-7 joined: column c, then column c + 4.
    SmallVector<Value> cols(kBlock);
    for (int64_t c = 0; c < 4; ++c) {
      cols[c] = shuffle(u[c], u[4 + c], {0, 1, 2, 3, 8, 9, 10, 11});
      cols[c + 4] = shuffle(u[c], u[4 + c], {4, 5, 6, 7, 12, 13, 14, 15});
    }
    return cols;
  }

  SmallVector<int64_t> ranges_;
  unsigned rows_, cols_;
  Access in_, out_;
};

} // namespace

bool emitTransposeKernel(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops())
    return false;
  Block &body = *op.getBlock();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 || yield.getValues()[0] != body.getArgument(0))
    return false;
  Value in = op.getDpsInputOperand(0)->get(), out = op.getDpsInitOperand(0)->get();
  AffineMap inMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!isF32Static(in) || !isF32Static(out) || !inMap.isPermutation() || !outMap.isPermutation())
    return false;
  std::optional<unsigned> rows = innermostDim(inMap), cols = innermostDim(outMap);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (!rows || !cols || *rows == *cols || ranges[*rows] % kBlock || ranges[*cols] % kBlock)
    return false;
  OpBuilder b(op);
  TransposeEmitter(b, op, *rows, *cols).emit();
  op->erase();
  return true;
}

} // namespace nncc
