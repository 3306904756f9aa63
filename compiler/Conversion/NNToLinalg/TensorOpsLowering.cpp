// Lowering of constants, sub/div, reshape, permute, narrow, concat and embedding to arith, linalg
// and tensor ops.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/NNOps.h"

using namespace mlir;

namespace nncc::lowering {
namespace {

struct ConstantLowering : OpConversionPattern<ir::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getType(), op.getValue());
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<ir::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::ReshapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(), adaptor.getInput(),
                                         op.getType().getShape()));
    return success();
  }
};

struct PermuteLowering : OpConversionPattern<ir::PermuteOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::PermuteOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    Value init = rewriter.create<tensor::EmptyOp>(op.getLoc(), type.getShape(), type.getElementType());
    rewriter.replaceOp(op, rewriter
                               .create<linalg::TransposeOp>(op.getLoc(), adaptor.getInput(), init,
                                                            op.getDims())
                               ->getResults());
    return success();
  }
};

struct NarrowLowering : OpConversionPattern<ir::NarrowOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::NarrowOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto in = tensorType(adaptor.getInput());
    SmallVector<OpFoldResult> offsets(in.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(in.getRank(), rewriter.getIndexAttr(1));
    for (int64_t d : op.getType().getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    offsets[op.getDim()] = rewriter.getIndexAttr(static_cast<int64_t>(op.getStart()));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, op.getType(), adaptor.getInput(), offsets,
                                                        sizes, strides);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ir::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    Value result = rewriter.create<tensor::EmptyOp>(op.getLoc(), type.getShape(), type.getElementType());
    auto dim = static_cast<int64_t>(op.getDim());
    int64_t at = 0;
    for (Value in : adaptor.getInputs()) {
      auto inType = tensorType(in);
      SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(type.getRank(), rewriter.getIndexAttr(1));
      for (int64_t d : inType.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      offsets[dim] = rewriter.getIndexAttr(at);
      result = rewriter.create<tensor::InsertSliceOp>(op.getLoc(), in, result, offsets, sizes, strides);
      at += inType.getDimSize(dim);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct EmbeddingLowering : OpConversionPattern<ir::EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::EmbeddingOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    Value weight = adaptor.getWeight();
    int64_t rows = tensorType(weight).getDimSize(0);
    SmallVector<AffineMap> maps = rowMaps(rewriter.getContext(), rank);
    SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
    Value init = rewriter.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
    Value result =
        rewriter
            .create<linalg::GenericOp>(
                loc, type, adaptor.getIndices(), init, maps, parallel,
                [&](OpBuilder &b, Location l, ValueRange a) {
                  // An index outside the table reads zeros instead of memory past it.
                  Value row = b.create<arith::IndexCastOp>(l, b.getIndexType(), a[0]);
                  Value zero = b.create<arith::ConstantIndexOp>(l, 0);
                  Value inRange = b.create<arith::AndIOp>(
                      l, b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, row, zero),
                      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, row,
                                              b.create<arith::ConstantIndexOp>(l, rows)));
                  Value safe = b.create<arith::SelectOp>(l, inRange, row, zero);
                  Value column = b.create<linalg::IndexOp>(l, rank - 1);
                  Value v = b.create<tensor::ExtractOp>(l, weight, ValueRange{safe, column});
                  Value fzero = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(0));
                  b.create<linalg::YieldOp>(l, Value(b.create<arith::SelectOp>(l, inRange, v, fzero)));
                })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTensorOpsLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  target.addIllegalOp<ir::ConstantOp, ir::SubOp, ir::DivOp, ir::ReshapeOp, ir::PermuteOp,
                      ir::NarrowOp, ir::ConcatOp, ir::EmbeddingOp>();
  patterns.add<ConstantLowering, BroadcastBinaryLowering<ir::SubOp, arith::SubFOp>,
               BroadcastBinaryLowering<ir::DivOp, arith::DivFOp>, ReshapeLowering, PermuteLowering,
               NarrowLowering, ConcatLowering, EmbeddingLowering>(patterns.getContext());
}

} // namespace nncc::lowering
