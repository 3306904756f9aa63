// Lowering of the backward-only ops of convolution, pooling and embedding to linalg.generic: the
// conv weight gradient and the embedding gradient as reductions, and each window scatter as a
// gather over a compile-time table of the windows that cover each input position, summed in the
// order the interpreter scatters in.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/ConvShapes.h"
#include "dialects/nn/NNOps.h"

#include <limits>

using namespace mlir;

namespace nncc::lowering {
namespace {

/// For each input position on one axis, the output positions whose windows
/// read it, ascending.
using Windows = std::vector<std::vector<int64_t>>;

/// Inverts `reads` (the input positions output `o`'s window reads, possibly
/// outside [0, inSize)) over the outputs [0, outSize).
Windows invert(int64_t inSize, int64_t outSize, llvm::function_ref<std::vector<int64_t>(int64_t)> reads) {
  Windows windows(inSize);
  for (int64_t o = 0; o < outSize; ++o)
    for (int64_t i : reads(o))
      if (i >= 0 && i < inSize)
        windows[i].push_back(o);
  return windows;
}

/// Positions [start, end) of an axis as a list.
std::vector<int64_t> range(int64_t start, int64_t end) {
  std::vector<int64_t> r;
  for (int64_t i = start; i < end; ++i)
    r.push_back(i);
  return r;
}

/// `windows` as an i64 constant [inSize, most windows], padded with -1.
Value windowTable(OpBuilder &b, Location loc, const Windows &windows) {
  size_t most = 1;
  for (const auto &w : windows)
    most = std::max(most, w.size());
  std::vector<int64_t> flat(windows.size() * most, -1);
  for (size_t i = 0; i < windows.size(); ++i)
    std::copy(windows[i].begin(), windows[i].end(), flat.begin() + static_cast<int64_t>(i * most));
  auto type = RankedTensorType::get({static_cast<int64_t>(windows.size()), static_cast<int64_t>(most)},
                                    b.getI64Type());
  return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, ArrayRef<int64_t>(flat)));
}

/// What one covering window adds at an input position: `value`, when
/// `condition` (null: always) holds.
struct Term {
  Value value, condition;
};
using TermFn = llvm::function_ref<Term(OpBuilder &b, Location l, ArrayRef<Value> at, Value oy, Value ox)>;

/// result[..., iy, ix] = the sum of `term` over the windows (oy, ox) that
/// cover (iy, ix), in ascending (oy, ox) order: a generic over the result's
/// dims with one reduction dim over each table's columns. `term` gets the
/// result's indices and the window's (index-typed) position.
Value gatherWindows(OpBuilder &b, Location loc, RankedTensorType type, const Windows &rows, const Windows &cols,
                    TermFn term) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = type.getRank();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> resultDims;
  for (unsigned i = 0; i < rank; ++i)
    resultDims.push_back(d(i));
  SmallVector<AffineMap> maps{AffineMap::get(rank + 2, 0, {d(rank - 2), d(rank)}, ctx),
                              AffineMap::get(rank + 2, 0, {d(rank - 1), d(rank + 1)}, ctx),
                              AffineMap::get(rank + 2, 0, resultDims, ctx)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  Value tables[] = {windowTable(b, loc, rows), windowTable(b, loc, cols)};
  return b
      .create<linalg::GenericOp>(
          loc, type, tables, zeroFilled(b, loc, type), maps, iterators,
          [&](OpBuilder &nb, Location l, ValueRange a) {
            Value zero = nb.create<arith::ConstantOp>(l, nb.getI64IntegerAttr(0));
            auto position = [&](Value window) {
              Value valid = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, window, zero);
              Value clamped = nb.create<arith::SelectOp>(l, valid, window, zero);
              return std::make_pair(valid, Value(nb.create<arith::IndexCastOp>(l, nb.getIndexType(), clamped)));
            };
            auto [validY, oy] = position(a[0]);
            auto [validX, ox] = position(a[1]);
            SmallVector<Value> at;
            for (unsigned i = 0; i < rank; ++i)
              at.push_back(nb.create<linalg::IndexOp>(l, i));
            Term t = term(nb, l, at, oy, ox);
            Value hit = nb.create<arith::AndIOp>(l, validY, validX);
            if (t.condition)
              hit = nb.create<arith::AndIOp>(l, hit, t.condition);
            Value sum = nb.create<arith::AddFOp>(l, a[2], t.value);
            nb.create<linalg::YieldOp>(l, Value(nb.create<arith::SelectOp>(l, hit, sum, a[2])));
          })
      .getResult(0);
}

/// dw[g, o, c, ky, kx] += x[n, g, c, oy * s + ky * d, ox * s + kx * d] * dy[n, g, o, oy, ox] over the
/// zero-padded input split by group, reducing over n, oy, ox in that order.
struct Conv2dWeightGradLowering : OpConversionPattern<ir::Conv2dWeightGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::Conv2dWeightGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto s = op.getStride(), p = op.getPadding(), dil = op.getDilation();
    auto groups = static_cast<int64_t>(op.getGroups());
    auto wType = op.getType();
    int64_t og = wType.getDimSize(0) / groups, cg = wType.getDimSize(1);
    Value x = splitChannels(rewriter, loc, padSpatial(rewriter, loc, adaptor.getInput(), p[0], p[1], p[0], p[1], 0.0),
                            groups);
    Value dy = splitChannels(rewriter, loc, adaptor.getGrad(), groups);
    auto splitType = RankedTensorType::get({groups, og, cg, wType.getDimSize(2), wType.getDimSize(3)},
                                           wType.getElementType());
    // Loops: g, o, c, ky, kx (parallel), n, oy, ox (reduction).
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps{
        AffineMap::get(8, 0, {d(5), d(0), d(2), d(6) * s[0] + d(3) * dil[0], d(7) * s[1] + d(4) * dil[1]}, ctx),
        AffineMap::get(8, 0, {d(5), d(0), d(1), d(6), d(7)}, ctx),
        AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
    SmallVector<utils::IteratorType> iterators(5, utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    Value dw = rewriter
                   .create<linalg::GenericOp>(loc, splitType, ValueRange{x, dy},
                                              zeroFilled(rewriter, loc, splitType), maps, iterators,
                                              [](OpBuilder &b, Location l, ValueRange a) {
                                                Value product = b.create<arith::MulFOp>(l, a[0], a[1]);
                                                b.create<linalg::YieldOp>(
                                                    l, Value(b.create<arith::AddFOp>(l, a[2], product)));
                                              })
                   .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, wType, dw,
                                                         ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    return success();
  }
};

struct PadGradLowering : OpConversionPattern<ir::PadGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::PadGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    int64_t rank = type.getRank();
    auto dyType = tensorType(adaptor.getGrad());
    auto pads = op.getPads(); // left, right, top, bottom
    StringRef mode = op.getMode();
    auto sources = [&](int64_t dim, int64_t before) {
      int64_t size = type.getDimSize(dim);
      return invert(size, dyType.getDimSize(dim), [&](int64_t o) {
        return std::vector<int64_t>{ir::padSourceIndex(o, before, size, mode)};
      });
    };
    Value dy = adaptor.getGrad();
    rewriter.replaceOp(op, gatherWindows(rewriter, op.getLoc(), type, sources(rank - 2, pads[2]),
                                         sources(rank - 1, pads[0]),
                                         [&](OpBuilder &b, Location l, ArrayRef<Value> at, Value oy, Value ox) {
                                           SmallVector<Value> from(at.drop_back(2));
                                           from.append({oy, ox});
                                           return Term{b.create<tensor::ExtractOp>(l, dy, from), Value()};
                                         }));
    return success();
  }
};

/// Each window's argmax as a flat index y * W + x into its input plane: a reduction over the
/// window in order keeping the first maximum (or the last NaN), as PyTorch's kernel; -1 for a
/// window that reads no input.
Value windowArgmax(OpBuilder &b, Location loc, ir::MaxPool2dGradOp op, Value x) {
  MLIRContext *ctx = b.getContext();
  auto in = tensorType(x);
  auto outShape = tensorType(op.getGrad()).getShape();
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding(), dil = op.getDilation();
  int64_t H = in.getDimSize(2), W = in.getDimSize(3);
  auto bestType = RankedTensorType::get(outShape, b.getF32Type());
  auto indexType = RankedTensorType::get(outShape, b.getI64Type());
  Value lowest = f32(b, loc, -std::numeric_limits<double>::infinity());
  Value none = b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(-1));
  auto filled = [&](Value value, Type element) {
    Value empty = b.create<tensor::EmptyOp>(loc, outShape, element);
    return b.create<linalg::FillOp>(loc, value, empty).getResult(0);
  };
  Value best = filled(lowest, b.getF32Type()), index = filled(none, b.getI64Type());
  Value window = b.create<tensor::EmptyOp>(loc, k, b.getF32Type());
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap out = AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx);
  SmallVector<AffineMap> maps{AffineMap::get(6, 0, {d(4), d(5)}, ctx), out, out};
  auto par = utils::IteratorType::parallel, red = utils::IteratorType::reduction;
  SmallVector<utils::IteratorType> iterators{par, par, par, par, red, red};
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{bestType, indexType}, window, ValueRange{best, index}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        auto c = [&](int64_t v) { return nb.create<arith::ConstantIndexOp>(l, v).getResult(); };
        // The input position on one axis, whether it is inside, and it clamped inside.
        auto axis = [&](unsigned outDim, unsigned windowDim, int64_t stride, int64_t pad, int64_t dilation,
                        int64_t size) {
          Value o = nb.create<linalg::IndexOp>(l, outDim), w = nb.create<linalg::IndexOp>(l, windowDim);
          Value i = nb.create<arith::SubIOp>(
              l, nb.create<arith::AddIOp>(l, nb.create<arith::MulIOp>(l, o, c(stride)),
                                          nb.create<arith::MulIOp>(l, w, c(dilation))),
              c(pad));
          Value inside = nb.create<arith::AndIOp>(l, nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, i, c(0)),
                                                  nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, i, c(size)));
          return std::make_tuple(i, inside, Value(nb.create<arith::SelectOp>(l, inside, i, c(0))));
        };
        auto [iy, insideY, cy] = axis(2, 4, s[0], p[0], dil[0], H);
        auto [ix, insideX, cx] = axis(3, 5, s[1], p[1], dil[1], W);
        Value v = nb.create<tensor::ExtractOp>(
            l, x, ValueRange{nb.create<linalg::IndexOp>(l, 0), nb.create<linalg::IndexOp>(l, 1), cy, cx});
        Value first = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, a[2],
                                               nb.create<arith::ConstantOp>(l, nb.getI64IntegerAttr(0)));
        Value greater = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, v, a[1]);
        Value nan = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, v, v);
        Value take = nb.create<arith::AndIOp>(
            l, nb.create<arith::AndIOp>(l, insideY, insideX),
            nb.create<arith::OrIOp>(l, first, nb.create<arith::OrIOp>(l, greater, nan)));
        Value flat = nb.create<arith::IndexCastOp>(
            l, nb.getI64Type(), nb.create<arith::AddIOp>(l, nb.create<arith::MulIOp>(l, iy, c(W)), ix));
        nb.create<linalg::YieldOp>(l, ValueRange{nb.create<arith::SelectOp>(l, take, v, a[1]),
                                                 nb.create<arith::SelectOp>(l, take, flat, a[2])});
      });
  return generic.getResult(1);
}

/// The argmax of every window, then for each input position the sum of dy over the windows that
/// cover it and chose it.
struct MaxPool2dGradLowering : OpConversionPattern<ir::MaxPool2dGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::MaxPool2dGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    auto outShape = tensorType(adaptor.getGrad()).getShape();
    auto k = op.getKernel(), s = op.getStride(), p = op.getPadding(), dil = op.getDilation();
    int64_t W = type.getDimSize(3);
    Value argmax = windowArgmax(rewriter, loc, op, adaptor.getInput());
    auto windows = [&](int i) {
      return invert(type.getDimSize(2 + i), outShape[2 + i], [&](int64_t o) {
        std::vector<int64_t> reads;
        for (int64_t j = 0; j < k[i]; ++j)
          reads.push_back(o * s[i] - p[i] + j * dil[i]);
        return reads;
      });
    };
    Value dy = adaptor.getGrad();
    rewriter.replaceOp(op, gatherWindows(rewriter, loc, type, windows(0), windows(1),
                                         [&](OpBuilder &b, Location l, ArrayRef<Value> at, Value oy, Value ox) {
                                           SmallVector<Value> from{at[0], at[1], oy, ox};
                                           Value flat = b.create<arith::AddIOp>(
                                               l, b.create<arith::MulIOp>(
                                                      l, at[2], b.create<arith::ConstantIndexOp>(l, W)),
                                               at[3]);
                                           Value chosen = b.create<arith::CmpIOp>(
                                               l, arith::CmpIPredicate::eq,
                                               b.create<tensor::ExtractOp>(l, argmax, from),
                                               b.create<arith::IndexCastOp>(l, b.getI64Type(), flat));
                                           return Term{b.create<tensor::ExtractOp>(l, dy, from), chosen};
                                         }));
    return success();
  }
};

/// The sum of dy[n, c, oy, ox] / divisor[oy, ox] over the windows covering each input position.
Value spreadWindows(OpBuilder &b, Location loc, Value dy, RankedTensorType type, const Windows &rows,
                    const Windows &cols, ArrayRef<float> divisors) {
  auto outShape = tensorType(dy).getShape();
  auto divType = RankedTensorType::get({outShape[2], outShape[3]}, b.getF32Type());
  Value div = b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(divType, divisors));
  auto term = [&](OpBuilder &nb, Location l, ArrayRef<Value> at, Value oy, Value ox) {
    Value g = nb.create<tensor::ExtractOp>(l, dy, ValueRange{at[0], at[1], oy, ox});
    Value divisor = nb.create<tensor::ExtractOp>(l, div, ValueRange{oy, ox});
    return Term{nb.create<arith::DivFOp>(l, g, divisor), Value()};
  };
  return gatherWindows(b, loc, type, rows, cols, term);
}

struct AvgPool2dGradLowering : OpConversionPattern<ir::AvgPool2dGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::AvgPool2dGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    auto outShape = tensorType(adaptor.getGrad()).getShape();
    auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
    int64_t H = type.getDimSize(2), W = type.getDimSize(3);
    // The padded part of a window counts towards the divisor only: invert drops it.
    auto windows = [&](int i, int64_t size) {
      return invert(size, outShape[2 + i], [&](int64_t o) {
        auto [start, end] = ir::avgPoolWindow(o, k[i], s[i], p[i], size);
        return range(start, end);
      });
    };
    std::vector<float> divisors = avgPoolDivisors(H, W, outShape[2], outShape[3], k, s, p, op.getDivisorOverride(),
                                                  op.getCountIncludePad());
    rewriter.replaceOp(op, spreadWindows(rewriter, op.getLoc(), adaptor.getGrad(), type, windows(0, H),
                                         windows(1, W), divisors));
    return success();
  }
};

struct AdaptiveAvgPool2dGradLowering : OpConversionPattern<ir::AdaptiveAvgPool2dGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::AdaptiveAvgPool2dGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    auto outShape = tensorType(adaptor.getGrad()).getShape();
    int64_t H = type.getDimSize(2), W = type.getDimSize(3), oh = outShape[2], ow = outShape[3];
    auto windows = [&](int64_t in, int64_t out) {
      return invert(in, out, [&](int64_t o) {
        auto [start, end] = ir::adaptiveWindow(o, in, out);
        return range(start, end);
      });
    };
    rewriter.replaceOp(op, spreadWindows(rewriter, op.getLoc(), adaptor.getGrad(), type, windows(H, oh),
                                         windows(W, ow), adaptiveDivisors(H, W, oh, ow)));
    return success();
  }
};

/// dw[r, j] = the sum over the indices i (in order) equal to r of dy[i, j]: a generic over
/// [rows, D] reducing over the flattened indices. Indices outside the table match no row; the
/// padding row matches none.
struct EmbeddingGradLowering : OpConversionPattern<ir::EmbeddingGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::EmbeddingGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = op.getType();
    int64_t dim = type.getDimSize(1), count = tensorType(adaptor.getIndices()).getNumElements();
    Value indices = reshapeTensor(rewriter, loc, adaptor.getIndices(), {count});
    Value dy = reshapeTensor(rewriter, loc, adaptor.getGrad(), {count, dim});
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps{AffineMap::get(3, 0, {d(2)}, ctx), AffineMap::get(3, 0, {d(2), d(1)}, ctx),
                                AffineMap::get(3, 0, {d(0), d(1)}, ctx)};
    SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel, utils::IteratorType::parallel,
                                               utils::IteratorType::reduction};
    std::optional<uint64_t> paddingIdx = op.getPaddingIdx();
    Value dw = rewriter
                   .create<linalg::GenericOp>(
                       loc, type, ValueRange{indices, dy}, zeroFilled(rewriter, loc, type), maps, iterators,
                       [&](OpBuilder &b, Location l, ValueRange a) {
                         Value row = b.create<arith::IndexCastOp>(l, b.getI64Type(), b.create<linalg::IndexOp>(l, 0));
                         Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[0], row);
                         if (paddingIdx) {
                           Value padding = b.create<arith::ConstantOp>(
                               l, b.getI64IntegerAttr(static_cast<int64_t>(*paddingIdx)));
                           hit = b.create<arith::AndIOp>(
                               l, hit, b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, a[0], padding));
                         }
                         Value sum = b.create<arith::AddFOp>(l, a[2], a[1]);
                         b.create<linalg::YieldOp>(l, Value(b.create<arith::SelectOp>(l, hit, sum, a[2])));
                       })
                   .getResult(0);
    rewriter.replaceOp(op, dw);
    return success();
  }
};

} // namespace

void populateGradOpsLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  target.addIllegalOp<ir::Conv2dWeightGradOp, ir::PadGradOp, ir::MaxPool2dGradOp, ir::AvgPool2dGradOp,
                      ir::AdaptiveAvgPool2dGradOp, ir::EmbeddingGradOp>();
  patterns.add<Conv2dWeightGradLowering, PadGradLowering, MaxPool2dGradLowering, AvgPool2dGradLowering,
               AdaptiveAvgPool2dGradLowering, EmbeddingGradLowering>(patterns.getContext());
}

} // namespace nncc::lowering
