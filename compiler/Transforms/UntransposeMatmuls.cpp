// nncc-untranspose-matmuls: a matmul_transpose_b over many rows becomes a transpose of B and a
// plain matmul, which the CPU's outer-product kernel runs (see Passes.td).
#include "compiler/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace nncc {
#define GEN_PASS_DEF_UNTRANSPOSEMATMULS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// Rows of A from which copying B^T once costs less than the dot kernel's per-tile horizontal
/// sums: the copy is K x N element moves, the sums K-independent work for every 4 x 4 output tile.
constexpr int64_t kMinRows = 256;

struct UntransposeMatmulsPass : impl::UntransposeMatmulsBase<UntransposeMatmulsPass> {
  void runOnOperation() override {
    SmallVector<linalg::MatmulTransposeBOp> work;
    getOperation().walk([&](linalg::MatmulTransposeBOp op) {
      auto a = dyn_cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType());
      auto b = dyn_cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
      if (a && b && a.hasStaticShape() && b.hasStaticShape() && a.getDimSize(0) >= kMinRows)
        work.push_back(op);
    });
    for (linalg::MatmulTransposeBOp op : work) {
      OpBuilder builder(op);
      Location loc = op.getLoc();
      Value b = op.getDpsInputOperand(1)->get();
      auto type = cast<RankedTensorType>(b.getType());
      Value empty = builder.create<tensor::EmptyOp>(
          loc, ArrayRef<int64_t>{type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
      Value bt = builder.create<linalg::TransposeOp>(loc, b, empty, ArrayRef<int64_t>{1, 0})
                     ->getResult(0);
      auto matmul = builder.create<linalg::MatmulOp>(
          loc, op->getResultTypes(), ValueRange{op.getDpsInputOperand(0)->get(), bt},
          ValueRange{op.getDpsInitOperand(0)->get()});
      op->replaceAllUsesWith(matmul->getResults());
      op->erase();
    }
  }
};

} // namespace
} // namespace nncc
