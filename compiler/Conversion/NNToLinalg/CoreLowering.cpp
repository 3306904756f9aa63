// Lowering of the core nn ops (linear, relu, add, mul, matmul, flatten) to linalg and tensor ops.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace nncc::lowering {

RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }

Value f32(OpBuilder &b, Location loc, double value) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(static_cast<float>(value)));
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  Value empty = b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  Value zero = b.create<arith::ConstantOp>(loc, b.getZeroAttr(type.getElementType()));
  return b.create<linalg::FillOp>(loc, zero, empty).getResult(0);
}

SmallVector<AffineMap> rowMaps(MLIRContext *ctx, int64_t rank) {
  SmallVector<AffineExpr> rows;
  for (int64_t d = 0; d + 1 < rank; ++d)
    rows.push_back(getAffineDimExpr(d, ctx));
  return {AffineMap::get(rank, 0, rows, ctx), AffineMap::getMultiDimIdentityMap(rank, ctx)};
}

AffineMap broadcastMap(RankedTensorType operand, RankedTensorType resultType) {
  MLIRContext *ctx = operand.getContext();
  int64_t rank = resultType.getRank(), offset = rank - operand.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operand.getRank(); ++i) {
    bool stretched = operand.getDimSize(i) == 1 && resultType.getDimSize(i + offset) != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(tensorType(in), resultType));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(), utils::IteratorType::parallel);
  Value init = b.create<tensor::EmptyOp>(loc, resultType.getShape(), resultType.getElementType());
  auto generic = b.create<linalg::GenericOp>(
      loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        nb.create<linalg::YieldOp>(nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// All dims of a rank-`rank` tensor in one reassociation group.
static SmallVector<ReassociationIndices> allInOne(int64_t rank) {
  ReassociationIndices group;
  for (int64_t i = 0; i < rank; ++i)
    group.push_back(i);
  return {group};
}

Value reshapeTensor(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> shape) {
  auto in = tensorType(x);
  auto out = RankedTensorType::get(shape, in.getElementType());
  if (in == out)
    return x;
  // Row-major reshape: through the flat vector (rank-0 sides need no group).
  auto flatType = RankedTensorType::get({in.getNumElements()}, in.getElementType());
  Value flat = x;
  if (in.getRank() == 0)
    flat = b.create<tensor::ExpandShapeOp>(loc, flatType, x, ArrayRef<ReassociationIndices>{});
  else if (in.getRank() > 1)
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, x, allInOne(in.getRank()));
  if (out.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(loc, out, flat, ArrayRef<ReassociationIndices>{});
  if (out.getRank() > 1)
    return b.create<tensor::ExpandShapeOp>(loc, out, flat, allInOne(out.getRank()));
  return flat;
}

namespace {

struct LinearLowering : OpConversionPattern<ir::LinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::LinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    RankedTensorType inType = tensorType(input), outType = op.getType();
    int64_t rank = inType.getRank();
    int64_t rows = 1;
    for (int64_t i = 0; i + 1 < rank; ++i)
      rows *= inType.getDimSize(i);
    // Rows of a rank-N input are the product of its leading dimensions.
    SmallVector<ReassociationIndices> groups;
    if (rank != 2) {
      ReassociationIndices lead;
      for (int64_t i = 0; i + 1 < rank; ++i)
        lead.push_back(i);
      if (!lead.empty())
        groups.push_back(lead);
      groups.push_back({rank - 1});
      auto flatType = RankedTensorType::get({rows, inType.getDimSize(rank - 1)},
                                            inType.getElementType());
      input = rank == 1 ? rewriter.create<tensor::ExpandShapeOp>(
                              loc, flatType, input, ArrayRef<ReassociationIndices>{{0, 1}})
                              .getResult()
                        : rewriter.create<tensor::CollapseShapeOp>(loc, flatType, input, groups)
                              .getResult();
    }
    auto mmType = RankedTensorType::get({rows, outType.getShape().back()},
                                        outType.getElementType());
    Value acc = zeroFilled(rewriter, loc, mmType);
    Value result = rewriter
                       .create<linalg::MatmulTransposeBOp>(
                           loc, mmType, ValueRange{input, adaptor.getWeight()}, acc)
                       .getResult(0);
    if (Value bias = adaptor.getBias())
      result = elementwise(rewriter, loc, mmType, {result, bias},
                           [](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return b.create<arith::AddFOp>(l, a[0], a[1]);
                           });
    if (rank == 1)
      result = rewriter.create<tensor::CollapseShapeOp>(loc, outType, result,
                                                        ArrayRef<ReassociationIndices>{{0, 1}});
    else if (rank != 2)
      result = rewriter.create<tensor::ExpandShapeOp>(loc, outType, result, groups);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ReluLowering : OpConversionPattern<ir::ReluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::ReluOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                                       [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                         Value zero = b.create<arith::ConstantOp>(
                                             l, b.getZeroAttr(a[0].getType()));
                                         return b.create<arith::MaximumFOp>(l, a[0], zero);
                                       }));
    return success();
  }
};

struct MatmulLowering : OpConversionPattern<ir::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::MatmulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value acc = zeroFilled(rewriter, loc, op.getType());
    SmallVector<Value> ins{adaptor.getLhs(), adaptor.getRhs()};
    Operation *mm = op.getType().getRank() == 2
                        ? rewriter.create<linalg::MatmulOp>(loc, op.getType(), ins, acc)
                        : rewriter.create<linalg::BatchMatmulOp>(loc, op.getType(), ins, acc);
    rewriter.replaceOp(op, mm->getResults());
    return success();
  }
};

struct FlattenLowering : OpConversionPattern<ir::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::FlattenOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType inType = tensorType(adaptor.getInput());
    int64_t rank = inType.getRank();
    if (rank == 0) {
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, op.getType(), adaptor.getInput(),
                                                         ArrayRef<ReassociationIndices>{});
      return success();
    }
    // I64Attr getters return uint64_t; the dims are signed.
    auto startDim = static_cast<int64_t>(op.getStartDim());
    auto endDim = static_cast<int64_t>(op.getEndDim());
    int64_t start = startDim < 0 ? startDim + rank : startDim;
    int64_t end = endDim < 0 ? endDim + rank : endDim;
    if (start == end) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    SmallVector<ReassociationIndices> groups;
    for (int64_t i = 0; i < rank; ++i) {
      if (i > start && i <= end)
        groups.back().push_back(i);
      else
        groups.push_back({i});
    }
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, op.getType(), adaptor.getInput(),
                                                         groups);
    return success();
  }
};

/// After autodiff a gradient-hook mark is the identity; nn.hook itself stays, to be bufferized
/// into a runtime callback.
struct GradHookLowering : OpConversionPattern<ir::GradHookOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::GradHookOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void populateCoreLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  target.addIllegalOp<ir::LinearOp, ir::ReluOp, ir::AddOp, ir::MulOp, ir::MatmulOp,
                      ir::FlattenOp, ir::GradHookOp>();
  patterns.add<LinearLowering, ReluLowering, MatmulLowering, FlattenLowering, GradHookLowering,
               BroadcastBinaryLowering<ir::AddOp, arith::AddFOp>,
               BroadcastBinaryLowering<ir::MulOp, arith::MulFOp>>(patterns.getContext());
}

} // namespace nncc::lowering
