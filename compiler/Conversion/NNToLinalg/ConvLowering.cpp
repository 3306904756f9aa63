// Lowering of convolution (one generic over [N, G, C/G, H, W] for every groups setting),
// transposed convolution (zero-inserted input, flipped kernel), padding modes and pooling.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"

#include <limits>

using namespace mlir;

namespace nncc::lowering {
namespace {

/// `x` padded on the last two dims by [top, left] low and [bottom, right] high with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t top, int64_t left, int64_t bottom,
                 int64_t right, double value) {
  if (!top && !left && !bottom && !right)
    return x;
  auto type = tensorType(x);
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += top + bottom;
  shape[3] += left + right;
  SmallVector<OpFoldResult> low{b.getIndexAttr(0), b.getIndexAttr(0), b.getIndexAttr(top), b.getIndexAttr(left)};
  SmallVector<OpFoldResult> high{b.getIndexAttr(0), b.getIndexAttr(0), b.getIndexAttr(bottom),
                                 b.getIndexAttr(right)};
  return b.create<tensor::PadOp>(loc, RankedTensorType::get(shape, type.getElementType()), x, low, high,
                                 f32(b, loc, value));
}

/// out[n, g*Og + o, y, x] = sum_{c, ky, kx} in[n, g*Cg + c, y*s + ky*d, x*s + kx*d] w[g*Og + o, c, ky, kx]
/// over an already padded input.
Value convolve(OpBuilder &b, Location loc, Value input, Value weight, ArrayRef<int64_t> stride,
               ArrayRef<int64_t> dilation, int64_t groups, RankedTensorType outType) {
  auto in = tensorType(input), w = tensorType(weight);
  int64_t n = in.getDimSize(0), c = in.getDimSize(1), o = w.getDimSize(0);
  int64_t cg = c / groups, og = o / groups;
  Type f = in.getElementType();
  Value x5 = b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get({n, groups, cg, in.getDimSize(2), in.getDimSize(3)}, f), input,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
  Value w5 = b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get({groups, og, cg, w.getDimSize(2), w.getDimSize(3)}, f), weight,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
  auto out5 = RankedTensorType::get({n, groups, og, outType.getDimSize(2), outType.getDimSize(3)}, f);
  MLIRContext *ctx = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Loops: n, g, o, y, x, c, ky, kx.
  SmallVector<AffineMap> maps{
      AffineMap::get(8, 0, {d(0), d(1), d(5), d(3) * stride[0] + d(6) * dilation[0], d(4) * stride[1] + d(7) * dilation[1]}, ctx),
      AffineMap::get(8, 0, {d(1), d(2), d(5), d(6), d(7)}, ctx),
      AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
  auto par = utils::IteratorType::parallel, red = utils::IteratorType::reduction;
  SmallVector<utils::IteratorType> iterators{par, par, par, par, par, red, red, red};
  Value acc = zeroFilled(b, loc, out5);
  Value y5 = b.create<linalg::GenericOp>(loc, out5, ValueRange{x5, w5}, acc, maps, iterators,
                                         [](OpBuilder &nb, Location l, ValueRange a) {
                                           Value prod = nb.create<arith::MulFOp>(l, a[0], a[1]);
                                           nb.create<linalg::YieldOp>(l, Value(nb.create<arith::AddFOp>(l, a[2], prod)));
                                         })
                 .getResult(0);
  return b.create<tensor::CollapseShapeOp>(loc, outType, y5, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

/// y + bias[channel].
Value addChannelBias(OpBuilder &b, Location loc, Value y, Value bias) {
  if (!bias)
    return y;
  auto type = tensorType(y);
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(4), AffineMap::get(4, 0, {getAffineDimExpr(1, ctx)}, ctx),
                              b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> parallel(4, utils::IteratorType::parallel);
  Value init = b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b.create<linalg::GenericOp>(loc, type, ValueRange{y, bias}, init, maps, parallel,
                                     [](OpBuilder &nb, Location l, ValueRange a) {
                                       nb.create<linalg::YieldOp>(l, Value(nb.create<arith::AddFOp>(l, a[0], a[1])));
                                     })
      .getResult(0);
}

struct Conv2dLowering : OpConversionPattern<ir::Conv2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::Conv2dOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto p = op.getPadding();
    Value x = padSpatial(rewriter, loc, adaptor.getInput(), p[0], p[1], p[0], p[1], 0.0);
    Value y = convolve(rewriter, loc, x, adaptor.getWeight(), op.getStride(), op.getDilation(),
                       static_cast<int64_t>(op.getGroups()), op.getType());
    rewriter.replaceOp(op, addChannelBias(rewriter, loc, y, adaptor.getBias()));
    return success();
  }
};

struct ConvTranspose2dLowering : OpConversionPattern<ir::ConvTranspose2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::ConvTranspose2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto in = tensorType(adaptor.getInput()), w = tensorType(adaptor.getWeight());
    Type f = in.getElementType();
    auto s = op.getStride(), p = op.getPadding(), op_ = op.getOutputPadding(), dil = op.getDilation();
    auto groups = static_cast<int64_t>(op.getGroups());
    int64_t kh = w.getDimSize(2), kw = w.getDimSize(3);
    // The input with stride-1 zeros between elements and the transposed padding around it.
    int64_t top = dil[0] * (kh - 1) - p[0], left = dil[1] * (kw - 1) - p[1];
    int64_t h = (in.getDimSize(2) - 1) * s[0] + 1 + top + top + op_[0];
    int64_t wd = (in.getDimSize(3) - 1) * s[1] + 1 + left + left + op_[1];
    auto spread = RankedTensorType::get({in.getDimSize(0), in.getDimSize(1), h, wd}, f);
    Value zeros = zeroFilled(rewriter, loc, spread);
    auto attr = [&](int64_t v) -> OpFoldResult { return rewriter.getIndexAttr(v); };
    Value x = rewriter.create<tensor::InsertSliceOp>(
        loc, adaptor.getInput(), zeros, ArrayRef<OpFoldResult>{attr(0), attr(0), attr(top), attr(left)},
        ArrayRef<OpFoldResult>{attr(in.getDimSize(0)), attr(in.getDimSize(1)), attr(in.getDimSize(2)), attr(in.getDimSize(3))},
        ArrayRef<OpFoldResult>{attr(1), attr(1), attr(s[0]), attr(s[1])});
    // weight [C, Og, kH, kW] -> [G*Og, Cg, kH, kW], spatially flipped.
    int64_t cg = in.getDimSize(1) / groups, og = w.getDimSize(1);
    Value w5 = rewriter.create<tensor::ExpandShapeOp>(loc, RankedTensorType::get({groups, cg, og, kh, kw}, f),
                                                      adaptor.getWeight(),
                                                      ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    auto flippedType = RankedTensorType::get({groups, og, cg, kh, kw}, f);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps{AffineMap::get(5, 0, {d(0), d(2), d(1), kh - 1 - d(3), kw - 1 - d(4)}, ctx),
                                rewriter.getMultiDimIdentityMap(5)};
    SmallVector<utils::IteratorType> parallel(5, utils::IteratorType::parallel);
    Value flipped = rewriter
                        .create<linalg::GenericOp>(loc, flippedType, w5,
                                                   rewriter.create<tensor::EmptyOp>(loc, flippedType.getShape(), f).getResult(),
                                                   maps, parallel,
                                                   [](OpBuilder &nb, Location l, ValueRange a) { nb.create<linalg::YieldOp>(l, a[0]); })
                        .getResult(0);
    Value kernel = rewriter.create<tensor::CollapseShapeOp>(loc, RankedTensorType::get({groups * og, cg, kh, kw}, f),
                                                            flipped, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    Value y = convolve(rewriter, loc, x, kernel, {1, 1}, dil, groups, op.getType());
    rewriter.replaceOp(op, addChannelBias(rewriter, loc, y, adaptor.getBias()));
    return success();
  }
};

/// An index into [0, size) for position `i` of a padded axis, by the mode.
Value sourceIndex(OpBuilder &b, Location l, Value i, int64_t before, int64_t size, StringRef mode) {
  auto c = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(l, v).getResult(); };
  Value j = b.create<arith::SubIOp>(l, i, c(before));
  if (mode == "replicate")
    return b.create<arith::MinSIOp>(l, b.create<arith::MaxSIOp>(l, j, c(0)), c(size - 1));
  if (mode == "circular")
    return b.create<arith::RemSIOp>(l, b.create<arith::AddIOp>(l, j, c(size)), c(size));
  // reflect: -j before the start, 2(size-1) - j after the end.
  Value negated = b.create<arith::SubIOp>(l, c(0), j);
  Value low = b.create<arith::SelectOp>(l, b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, j, c(0)), negated, j);
  Value mirrored = b.create<arith::SubIOp>(l, c(2 * (size - 1)), low);
  return b.create<arith::SelectOp>(l, b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sgt, low, c(size - 1)), mirrored, low);
}

struct PadLowering : OpConversionPattern<ir::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::PadOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto in = tensorType(x);
    auto pads = op.getPads(); // left, right, top, bottom
    if (op.getMode() == "constant") {
      int64_t rank = in.getRank();
      SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0)), high(rank, rewriter.getIndexAttr(0));
      low[rank - 1] = rewriter.getIndexAttr(pads[0]);
      high[rank - 1] = rewriter.getIndexAttr(pads[1]);
      low[rank - 2] = rewriter.getIndexAttr(pads[2]);
      high[rank - 2] = rewriter.getIndexAttr(pads[3]);
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, op.getType(), x, low, high,
                                                 f32(rewriter, loc, op.getValue().convertToDouble()));
      return success();
    }
    auto type = op.getType();
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
    Value init = rewriter.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
    StringRef mode = op.getMode();
    Value y = rewriter
                  .create<linalg::GenericOp>(
                      loc, type, ValueRange{}, init, maps, parallel,
                      [&](OpBuilder &b, Location l, ValueRange) {
                        SmallVector<Value> indices;
                        for (int64_t dim = 0; dim < rank; ++dim)
                          indices.push_back(b.create<linalg::IndexOp>(l, dim));
                        indices[rank - 2] = sourceIndex(b, l, indices[rank - 2], pads[2], in.getDimSize(rank - 2), mode);
                        indices[rank - 1] = sourceIndex(b, l, indices[rank - 1], pads[0], in.getDimSize(rank - 1), mode);
                        b.create<linalg::YieldOp>(l, Value(b.create<tensor::ExtractOp>(l, x, indices)));
                      })
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// A window reduction over a padded input: acc = combine(acc, x[n, c, y*s + ky*d, x*s + kx*d]).
Value windowReduce(OpBuilder &b, Location loc, Value padded, RankedTensorType outType, ArrayRef<int64_t> kernel,
                   ArrayRef<int64_t> stride, ArrayRef<int64_t> dilation, double init, bool max) {
  MLIRContext *ctx = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  Value window = b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, outType.getElementType());
  SmallVector<AffineMap> maps{
      AffineMap::get(6, 0, {d(0), d(1), d(2) * stride[0] + d(4) * dilation[0], d(3) * stride[1] + d(5) * dilation[1]}, ctx),
      AffineMap::get(6, 0, {d(4), d(5)}, ctx), AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  auto par = utils::IteratorType::parallel, red = utils::IteratorType::reduction;
  SmallVector<utils::IteratorType> iterators{par, par, par, par, red, red};
  Value empty = b.create<tensor::EmptyOp>(loc, outType.getShape(), outType.getElementType());
  Value acc = b.create<linalg::FillOp>(loc, f32(b, loc, init), empty).getResult(0);
  return b.create<linalg::GenericOp>(loc, outType, ValueRange{padded, window}, acc, maps, iterators,
                                     [&](OpBuilder &nb, Location l, ValueRange a) {
                                       Value r = max ? nb.create<arith::MaximumFOp>(l, a[2], a[0]).getResult()
                                                     : nb.create<arith::AddFOp>(l, a[2], a[0]).getResult();
                                       nb.create<linalg::YieldOp>(l, r);
                                     })
      .getResult(0);
}

/// Extra bottom/right padding so that every window of the sweep lies in the buffer.
int64_t extraPad(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation) {
  return std::max<int64_t>(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - (in + 2 * pad));
}

struct MaxPool2dLowering : OpConversionPattern<ir::MaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::MaxPool2dOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    auto in = tensorType(adaptor.getInput());
    auto out = op.getType();
    auto k = op.getKernel(), s = op.getStride(), p = op.getPadding(), dil = op.getDilation();
    double lowest = -std::numeric_limits<double>::infinity();
    Value padded = padSpatial(rewriter, op.getLoc(), adaptor.getInput(), p[0], p[1],
                              p[0] + extraPad(in.getDimSize(2), out.getDimSize(2), k[0], s[0], p[0], dil[0]),
                              p[1] + extraPad(in.getDimSize(3), out.getDimSize(3), k[1], s[1], p[1], dil[1]), lowest);
    rewriter.replaceOp(op, windowReduce(rewriter, op.getLoc(), padded, out, k, s, dil, lowest, true));
    return success();
  }
};

struct AvgPool2dLowering : OpConversionPattern<ir::AvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::AvgPool2dOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = tensorType(adaptor.getInput());
    auto out = op.getType();
    auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
    int64_t H = in.getDimSize(2), W = in.getDimSize(3), oh = out.getDimSize(2), ow = out.getDimSize(3);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), p[0], p[1], p[0] + extraPad(H, oh, k[0], s[0], p[0], 1),
                              p[1] + extraPad(W, ow, k[1], s[1], p[1], 1), 0.0);
    Value sum = windowReduce(rewriter, loc, padded, out, k, s, {1, 1}, 0.0, false);
    // The divisor of each output position, known at compile time.
    std::vector<float> divisors;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        int64_t y0 = y * s[0] - p[0], x0 = x * s[1] - p[1];
        int64_t y1 = std::min(y0 + k[0], H + p[0]), x1 = std::min(x0 + k[1], W + p[1]);
        int64_t padded = (y1 - y0) * (x1 - x0);
        int64_t inside = (std::min(y1, H) - std::max<int64_t>(y0, 0)) * (std::min(x1, W) - std::max<int64_t>(x0, 0));
        int64_t divisor = op.getDivisorOverride() ? static_cast<int64_t>(*op.getDivisorOverride())
                          : op.getCountIncludePad() ? padded : inside;
        divisors.push_back(static_cast<float>(divisor));
      }
    auto divType = RankedTensorType::get({oh, ow}, out.getElementType());
    Value div = rewriter.create<arith::ConstantOp>(loc, DenseElementsAttr::get(divType, ArrayRef<float>(divisors)));
    rewriter.replaceOp(op, elementwise(rewriter, loc, out, {sum, div}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
      return b.create<arith::DivFOp>(l, a[0], a[1]);
    }));
    return success();
  }
};

struct AdaptiveAvgPool2dLowering : OpConversionPattern<ir::AdaptiveAvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::AdaptiveAvgPool2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = tensorType(adaptor.getInput());
    auto out = op.getType();
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), H = in.getDimSize(2), W = in.getDimSize(3);
    int64_t oh = out.getDimSize(2), ow = out.getDimSize(3);
    // Each output is a weighted sum of the inputs: one [oh*ow, H*W] averaging matrix.
    std::vector<float> weights(static_cast<size_t>(oh * ow * H * W), 0.0f);
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        int64_t y0 = y * H / oh, y1 = ((y + 1) * H + oh - 1) / oh;
        int64_t x0 = x * W / ow, x1 = ((x + 1) * W + ow - 1) / ow;
        float share = 1.0f / static_cast<float>((y1 - y0) * (x1 - x0));
        for (int64_t i = y0; i < y1; ++i)
          for (int64_t j = x0; j < x1; ++j)
            weights[((y * ow + x) * H + i) * W + j] = share;
      }
    Type f = in.getElementType();
    auto matrixType = RankedTensorType::get({oh * ow, H * W}, f);
    Value matrix = rewriter.create<arith::ConstantOp>(loc, DenseElementsAttr::get(matrixType, ArrayRef<float>(weights)));
    Value flat = reshapeTensor(rewriter, loc, adaptor.getInput(), {n * c, H * W});
    auto resultType = RankedTensorType::get({n * c, oh * ow}, f);
    Value pooled = rewriter.create<linalg::MatmulTransposeBOp>(loc, resultType, ValueRange{flat, matrix},
                                                               zeroFilled(rewriter, loc, resultType))
                       .getResult(0);
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, pooled, out.getShape()));
    return success();
  }
};

} // namespace

void populateConvLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  target.addIllegalOp<ir::Conv2dOp, ir::ConvTranspose2dOp, ir::PadOp, ir::MaxPool2dOp, ir::AvgPool2dOp,
                      ir::AdaptiveAvgPool2dOp>();
  patterns.add<Conv2dLowering, ConvTranspose2dLowering, PadLowering, MaxPool2dLowering, AvgPool2dLowering,
               AdaptiveAvgPool2dLowering>(patterns.getContext());
}

} // namespace nncc::lowering
