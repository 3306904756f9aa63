// Lowering of convolution and pooling to linalg's named conv/pooling ops over tensor.pad, and of
// transposed convolution, non-zero padding modes and adaptive pooling to linalg.generic.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"

#include <limits>

using namespace mlir;

namespace nncc::lowering {

Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t top, int64_t left, int64_t bottom, int64_t right,
                 double value) {
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

Value splitChannels(OpBuilder &b, Location loc, Value x, int64_t groups) {
  auto type = tensorType(x);
  auto shape = type.getShape();
  auto split = RankedTensorType::get({shape[0], groups, shape[1] / groups, shape[2], shape[3]},
                                     type.getElementType());
  return b.create<tensor::ExpandShapeOp>(loc, split, x, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

std::vector<float> avgPoolDivisors(int64_t H, int64_t W, int64_t oh, int64_t ow, ArrayRef<int64_t> kernel,
                                   ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                                   std::optional<uint64_t> divisorOverride, bool countIncludePad) {
  std::vector<float> divisors;
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x) {
      auto rows = ir::avgPoolWindow(y, kernel[0], stride[0], padding[0], H);
      auto cols = ir::avgPoolWindow(x, kernel[1], stride[1], padding[1], W);
      divisors.push_back(
          static_cast<float>(ir::avgPoolDivisor(rows, cols, H, W, divisorOverride, countIncludePad)));
    }
  return divisors;
}

std::vector<float> adaptiveDivisors(int64_t H, int64_t W, int64_t oh, int64_t ow) {
  std::vector<float> divisors;
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x) {
      auto [y0, y1] = ir::adaptiveWindow(y, H, oh);
      auto [x0, x1] = ir::adaptiveWindow(x, W, ow);
      divisors.push_back(static_cast<float>((y1 - y0) * (x1 - x0)));
    }
  return divisors;
}

namespace {

/// Two i64s as the `strides` / `dilations` attribute of linalg's conv and pooling ops.
DenseIntElementsAttr pairAttr(OpBuilder &b, ArrayRef<int64_t> values) { return b.getI64TensorAttr(values); }

/// The accumulator a convolution starts from: bias[channel] broadcast over `type`, or zeros.
Value biasFilled(OpBuilder &b, Location loc, RankedTensorType type, Value bias) {
  if (!bias)
    return zeroFilled(b, loc, type);
  Value empty = b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b.create<linalg::BroadcastOp>(loc, bias, empty, ArrayRef<int64_t>{0, 2, 3})->getResult(0);
}

/// acc[n, o, y, x] += sum_{c, ky, kx} in[n, g(o)*Cg + c, y*s + ky*d, x*s + kx*d] w[o, c, ky, kx] over an
/// already padded input: linalg.conv_2d_nchw_fchw for groups = 1, linalg.depthwise_conv_2d_nchw_chw
/// when every channel is its own group, and linalg.conv_2d_ngchw_gfchw on [N, G, C/G, H, W] otherwise.
Value convolve(OpBuilder &b, Location loc, Value input, Value weight, ArrayRef<int64_t> stride,
               ArrayRef<int64_t> dilation, int64_t groups, Value acc) {
  auto in = tensorType(input), w = tensorType(weight), out = tensorType(acc);
  DenseIntElementsAttr strides = pairAttr(b, stride), dilations = pairAttr(b, dilation);
  if (groups == 1)
    return b.create<linalg::Conv2DNchwFchwOp>(loc, out, ValueRange{input, weight}, acc, strides, dilations)
        .getResult(0);
  int64_t c = in.getDimSize(1), o = w.getDimSize(0), kh = w.getDimSize(2), kw = w.getDimSize(3);
  Type f = in.getElementType();
  if (groups == c && o == c) {
    Value kernel = b.create<tensor::CollapseShapeOp>(loc, RankedTensorType::get({c, kh, kw}, f), weight,
                                                     ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    return b.create<linalg::DepthwiseConv2DNchwChwOp>(loc, out, ValueRange{input, kernel}, acc, strides, dilations)
        .getResult(0);
  }
  int64_t cg = c / groups, og = o / groups;
  Value x5 = splitChannels(b, loc, input, groups);
  Value w5 = b.create<tensor::ExpandShapeOp>(loc, RankedTensorType::get({groups, og, cg, kh, kw}, f), weight,
                                             ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
  Value acc5 = splitChannels(b, loc, acc, groups);
  Value y5 = b.create<linalg::Conv2DNgchwGfchwOp>(loc, acc5.getType(), ValueRange{x5, w5}, acc5, strides, dilations)
                 .getResult(0);
  return b.create<tensor::CollapseShapeOp>(loc, out, y5, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

struct Conv2dLowering : OpConversionPattern<ir::Conv2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::Conv2dOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto p = op.getPadding();
    Value x = padSpatial(rewriter, loc, adaptor.getInput(), p[0], p[1], p[0], p[1], 0.0);
    Value acc = biasFilled(rewriter, loc, op.getType(), adaptor.getBias());
    rewriter.replaceOp(op, convolve(rewriter, loc, x, adaptor.getWeight(), op.getStride(), op.getDilation(),
                                    static_cast<int64_t>(op.getGroups()), acc));
    return success();
  }
};

/// A transposed convolution is a stride-1 convolution of the input spread out by the stride
/// (zeros in between), padded by dilation * (kernel - 1) - padding, with the kernel flipped and
/// its channel axes swapped. A padding beyond dilation * (kernel - 1) crops the result instead.
struct ConvTranspose2dLowering : OpConversionPattern<ir::ConvTranspose2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::ConvTranspose2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto in = tensorType(adaptor.getInput()), w = tensorType(adaptor.getWeight());
    auto out = op.getType();
    Type f = in.getElementType();
    auto s = op.getStride(), p = op.getPadding(), outPad = op.getOutputPadding(), dil = op.getDilation();
    auto groups = static_cast<int64_t>(op.getGroups());
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), kh = w.getDimSize(2), kw = w.getDimSize(3);
    int64_t top = dil[0] * (kh - 1) - p[0], left = dil[1] * (kw - 1) - p[1];
    int64_t padTop = std::max<int64_t>(top, 0), padLeft = std::max<int64_t>(left, 0);
    int64_t cropTop = padTop - top, cropLeft = padLeft - left;
    int64_t h = (in.getDimSize(2) - 1) * s[0] + 1 + 2 * padTop + outPad[0];
    int64_t wd = (in.getDimSize(3) - 1) * s[1] + 1 + 2 * padLeft + outPad[1];
    Value zeros = zeroFilled(rewriter, loc, RankedTensorType::get({n, c, h, wd}, f));
    auto attrs = [&](std::initializer_list<int64_t> values) {
      SmallVector<OpFoldResult> r;
      for (int64_t v : values)
        r.push_back(rewriter.getIndexAttr(v));
      return r;
    };
    Value x = rewriter.create<tensor::InsertSliceOp>(loc, adaptor.getInput(), zeros, attrs({0, 0, padTop, padLeft}),
                                                     attrs({n, c, in.getDimSize(2), in.getDimSize(3)}),
                                                     attrs({1, 1, s[0], s[1]}));
    // weight [C, Og, kH, kW] -> [G*Og, C/G, kH, kW], spatially flipped.
    int64_t cg = c / groups, og = w.getDimSize(1);
    Value w5 = rewriter.create<tensor::ExpandShapeOp>(loc, RankedTensorType::get({groups, cg, og, kh, kw}, f),
                                                      adaptor.getWeight(),
                                                      ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    auto flippedType = RankedTensorType::get({groups, og, cg, kh, kw}, f);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps{AffineMap::get(5, 0, {d(0), d(2), d(1), kh - 1 - d(3), kw - 1 - d(4)}, ctx),
                                rewriter.getMultiDimIdentityMap(5)};
    SmallVector<utils::IteratorType> parallel(5, utils::IteratorType::parallel);
    Value flippedInit = rewriter.create<tensor::EmptyOp>(loc, flippedType.getShape(), f);
    Value flipped = rewriter
                        .create<linalg::GenericOp>(loc, flippedType, w5, flippedInit, maps, parallel,
                                                   [](OpBuilder &nb, Location l, ValueRange a) {
                                                     nb.create<linalg::YieldOp>(l, a[0]);
                                                   })
                        .getResult(0);
    Value kernel = rewriter.create<tensor::CollapseShapeOp>(loc, RankedTensorType::get({groups * og, cg, kh, kw}, f),
                                                            flipped, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    int64_t oh = out.getDimSize(2), ow = out.getDimSize(3);
    auto fullType = RankedTensorType::get({n, out.getDimSize(1), oh + 2 * cropTop, ow + 2 * cropLeft}, f);
    Value y = convolve(rewriter, loc, x, kernel, {1, 1}, dil, groups,
                       biasFilled(rewriter, loc, fullType, adaptor.getBias()));
    if (cropTop || cropLeft)
      y = rewriter.create<tensor::ExtractSliceOp>(loc, out, y, attrs({0, 0, cropTop, cropLeft}),
                                                  attrs({n, out.getDimSize(1), oh, ow}), attrs({1, 1, 1, 1}));
    rewriter.replaceOp(op, y);
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

/// constant → tensor.pad; reflect, replicate and circular → a generic that reads the source index.
struct PadLowering : OpConversionPattern<ir::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::PadOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto in = tensorType(x);
    auto pads = op.getPads(); // left, right, top, bottom
    auto type = op.getType();
    int64_t rank = type.getRank();
    if (op.getMode() == "constant") {
      SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0)), high(rank, rewriter.getIndexAttr(0));
      low[rank - 1] = rewriter.getIndexAttr(pads[0]);
      high[rank - 1] = rewriter.getIndexAttr(pads[1]);
      low[rank - 2] = rewriter.getIndexAttr(pads[2]);
      high[rank - 2] = rewriter.getIndexAttr(pads[3]);
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, type, x, low, high,
                                                 f32(rewriter, loc, op.getValue().convertToDouble()));
      return success();
    }
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

/// Extra bottom/right padding so that every window of a ceil-mode sweep lies in the buffer.
int64_t extraPad(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation) {
  return std::max<int64_t>(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - (in + 2 * pad));
}

/// `sum` [N, C, oh, ow] divided by `divisors` [oh, ow], or by one number when they are all equal.
Value divideByWindow(OpBuilder &b, Location loc, Value sum, ArrayRef<float> divisors) {
  auto type = tensorType(sum);
  if (llvm::all_equal(divisors)) {
    float divisor = divisors.front();
    return elementwise(b, loc, type, {sum}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      return nb.create<arith::DivFOp>(l, a[0], f32(nb, l, divisor));
    });
  }
  auto divType = RankedTensorType::get({type.getDimSize(2), type.getDimSize(3)}, type.getElementType());
  Value div = b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(divType, divisors));
  return elementwise(b, loc, type, {sum, div}, [](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return nb.create<arith::DivFOp>(l, a[0], a[1]);
  });
}

/// linalg.pooling_nchw_sum of `padded` into zeros of `type`.
Value sumPool(OpBuilder &b, Location loc, Value padded, RankedTensorType type, ArrayRef<int64_t> kernel,
              ArrayRef<int64_t> stride) {
  Value window = b.create<tensor::EmptyOp>(loc, kernel, type.getElementType());
  return b.create<linalg::PoolingNchwSumOp>(loc, type, ValueRange{padded, window}, zeroFilled(b, loc, type),
                                            pairAttr(b, stride), pairAttr(b, {1, 1}))
      .getResult(0);
}

/// linalg.pooling_nchw_max over the input padded with -inf.
struct MaxPool2dLowering : OpConversionPattern<ir::MaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::MaxPool2dOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = tensorType(adaptor.getInput());
    auto out = op.getType();
    auto k = op.getKernel(), s = op.getStride(), p = op.getPadding(), dil = op.getDilation();
    double lowest = -std::numeric_limits<double>::infinity();
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), p[0], p[1],
                              p[0] + extraPad(in.getDimSize(2), out.getDimSize(2), k[0], s[0], p[0], dil[0]),
                              p[1] + extraPad(in.getDimSize(3), out.getDimSize(3), k[1], s[1], p[1], dil[1]), lowest);
    Value window = rewriter.create<tensor::EmptyOp>(loc, k, out.getElementType());
    Value empty = rewriter.create<tensor::EmptyOp>(loc, out.getShape(), out.getElementType());
    Value acc = rewriter.create<linalg::FillOp>(loc, f32(rewriter, loc, lowest), empty).getResult(0);
    rewriter.replaceOp(op, rewriter
                               .create<linalg::PoolingNchwMaxOp>(loc, out, ValueRange{padded, window}, acc,
                                                                 pairAttr(rewriter, s), pairAttr(rewriter, dil))
                               .getResult(0));
    return success();
  }
};

/// linalg.pooling_nchw_sum over the zero-padded input, divided by each window's divisor
/// (count_include_pad, ceil_mode's clipped windows and divisor_override are known at compile time).
struct AvgPool2dLowering : OpConversionPattern<ir::AvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::AvgPool2dOp op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = tensorType(adaptor.getInput());
    auto out = op.getType();
    auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
    int64_t H = in.getDimSize(2), W = in.getDimSize(3), oh = out.getDimSize(2), ow = out.getDimSize(3);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), p[0], p[1],
                              p[0] + extraPad(H, oh, k[0], s[0], p[0], 1), p[1] + extraPad(W, ow, k[1], s[1], p[1], 1),
                              0.0);
    Value sum = sumPool(rewriter, loc, padded, out, k, s);
    rewriter.replaceOp(op, divideByWindow(rewriter, loc, sum,
                                          avgPoolDivisors(H, W, oh, ow, k, s, p, op.getDivisorOverride(),
                                                          op.getCountIncludePad())));
    return success();
  }
};

/// The windows' sums when they differ in size: a generic over [N, C, oh, ow, kH, kW] with kH, kW
/// the largest window, reading x[n, c, start(oy) + ky, start(ox) + kx] when inside the window.
Value variableWindowSum(OpBuilder &b, Location loc, Value x, RankedTensorType outType) {
  MLIRContext *ctx = b.getContext();
  auto in = tensorType(x);
  int64_t H = in.getDimSize(2), W = in.getDimSize(3), oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = 0, kw = 0;
  for (int64_t i = 0; i < oh; ++i) {
    auto [lo, hi] = ir::adaptiveWindow(i, H, oh);
    kh = std::max(kh, hi - lo);
  }
  for (int64_t i = 0; i < ow; ++i) {
    auto [lo, hi] = ir::adaptiveWindow(i, W, ow);
    kw = std::max(kw, hi - lo);
  }
  Value window = b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{kh, kw}, outType.getElementType());
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps{AffineMap::get(6, 0, {d(4), d(5)}, ctx),
                              AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  auto par = utils::IteratorType::parallel, red = utils::IteratorType::reduction;
  SmallVector<utils::IteratorType> iterators{par, par, par, par, red, red};
  return b
      .create<linalg::GenericOp>(
          loc, outType, window, zeroFilled(b, loc, outType), maps, iterators,
          [&](OpBuilder &nb, Location l, ValueRange a) {
            auto c = [&](int64_t v) { return nb.create<arith::ConstantIndexOp>(l, v).getResult(); };
            // Source index on one axis, clamped into the input, and whether it is inside the window.
            auto axis = [&](unsigned outDim, unsigned windowDim, int64_t size, int64_t outSize) {
              Value o = nb.create<linalg::IndexOp>(l, outDim), k = nb.create<linalg::IndexOp>(l, windowDim);
              Value start = nb.create<arith::DivUIOp>(l, nb.create<arith::MulIOp>(l, o, c(size)), c(outSize));
              // ceil((o + 1) * size / outSize) as ((o + 1) * size + outSize - 1) / outSize.
              Value next = nb.create<arith::MulIOp>(l, nb.create<arith::AddIOp>(l, o, c(1)), c(size));
              Value end = nb.create<arith::DivUIOp>(l, nb.create<arith::AddIOp>(l, next, c(outSize - 1)), c(outSize));
              Value i = nb.create<arith::AddIOp>(l, start, k);
              Value inside = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult, i, end);
              return std::make_pair(Value(nb.create<arith::MinUIOp>(l, i, c(size - 1))), inside);
            };
            auto [iy, insideY] = axis(2, 4, H, oh);
            auto [ix, insideX] = axis(3, 5, W, ow);
            Value v = nb.create<tensor::ExtractOp>(
                l, x, ValueRange{nb.create<linalg::IndexOp>(l, 0), nb.create<linalg::IndexOp>(l, 1), iy, ix});
            Value inside = nb.create<arith::AndIOp>(l, insideY, insideX);
            Value term = nb.create<arith::SelectOp>(l, inside, v, f32(nb, l, 0.0));
            nb.create<linalg::YieldOp>(l, Value(nb.create<arith::AddFOp>(l, a[1], term)));
          })
      .getResult(0);
}

/// The sum of each whole image (a global pool) as a reduction of rows of H*W elements, which the
/// CPU runs as vector loops, rather than as one pooling window.
Value imageSum(OpBuilder &b, Location loc, Value x, RankedTensorType outType) {
  auto in = tensorType(x);
  Value rows = reshapeTensor(b, loc, x, {in.getDimSize(0), in.getDimSize(1), in.getDimSize(2) * in.getDimSize(3)});
  Value sum = reduce(
      b, loc, rows, {2}, 0.0, {}, [](OpBuilder &, Location, ValueRange a) { return a[0]; },
      [](OpBuilder &nb, Location l, Value acc, Value v) -> Value { return nb.create<arith::AddFOp>(l, acc, v); });
  return reshapeTensor(b, loc, sum, outType.getShape());
}

/// A 1x1 output → imageSum; equal windows (input divisible by output) → linalg.pooling_nchw_sum
/// with kernel = stride; otherwise the variable-window generic. All then divide by each window's
/// size.
struct AdaptiveAvgPool2dLowering : OpConversionPattern<ir::AdaptiveAvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::AdaptiveAvgPool2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = tensorType(adaptor.getInput());
    auto out = op.getType();
    int64_t H = in.getDimSize(2), W = in.getDimSize(3), oh = out.getDimSize(2), ow = out.getDimSize(3);
    Value sum = oh == 1 && ow == 1 ? imageSum(rewriter, loc, adaptor.getInput(), out)
                : H % oh == 0 && W % ow == 0
                    ? sumPool(rewriter, loc, adaptor.getInput(), out, {H / oh, W / ow}, {H / oh, W / ow})
                    : variableWindowSum(rewriter, loc, adaptor.getInput(), out);
    rewriter.replaceOp(op, divideByWindow(rewriter, loc, sum, adaptiveDivisors(H, W, oh, ow)));
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
