// Lowering of the activations (math-dialect bodies), softmax/log_softmax (max-subtracted
// reductions), layer_norm and group_norm (mean and biased variance, then the affine transform).
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace nncc::lowering {
namespace {

Value sigmoid(OpBuilder &b, Location l, Value x) {
  Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, x));
  return b.create<arith::DivFOp>(l, f32(b, l, 1.0), b.create<arith::AddFOp>(l, f32(b, l, 1.0), e));
}

/// Lowers a unary op to one elementwise generic whose body is `fn`.
template <typename NNOp>
struct UnaryLowering : OpConversionPattern<NNOp> {
  using Body = std::function<Value(OpBuilder &, Location, Value, NNOp)>;
  UnaryLowering(MLIRContext *ctx, Body body) : OpConversionPattern<NNOp>(ctx), body(std::move(body)) {}
  LogicalResult matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                                       [&](OpBuilder &b, Location l, ValueRange a) {
                                         return body(b, l, a[0], op);
                                       }));
    return success();
  }
  Body body;
};

} // namespace

/// The map from a loop nest over `rank` dims to the dims not in `reduced`.
static AffineMap keptDims(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> reduced) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(reduced, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> reduced, double init,
             ValueRange perKept, function_ref<Value(OpBuilder &, Location, ValueRange)> term,
             function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = tensorType(input);
  int64_t rank = type.getRank();
  SmallVector<int64_t> keptShape;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(reduced, d))
      keptShape.push_back(type.getDimSize(d));
  auto keptType = RankedTensorType::get(keptShape, type.getElementType());
  Value empty = b.create<tensor::EmptyOp>(loc, keptShape, type.getElementType());
  Value acc = b.create<linalg::FillOp>(loc, f32(b, loc, init), empty).getResult(0);
  AffineMap kept = keptDims(b.getContext(), rank, reduced);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  SmallVector<Value> ins{input};
  for (Value v : perKept) {
    maps.push_back(kept);
    ins.push_back(v);
  }
  maps.push_back(kept);
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(llvm::is_contained(reduced, d) ? utils::IteratorType::reduction
                                                       : utils::IteratorType::parallel);
  return b
      .create<linalg::GenericOp>(loc, keptType, ins, acc, maps, iterators,
                                 [&](OpBuilder &nb, Location l, ValueRange a) {
                                   Value t = term(nb, l, a.drop_back());
                                   nb.create<linalg::YieldOp>(l, combine(nb, l, a.back(), t));
                                 })
      .getResult(0);
}

namespace {

/// An elementwise generic over `input`'s shape that also reads `perKept`
/// (shaped as the dims not in `reduced`) and `extra` (with their maps).
Value overInput(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> reduced, ValueRange perKept,
                ArrayRef<std::pair<Value, AffineMap>> extra,
                function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  auto type = tensorType(input);
  int64_t rank = type.getRank();
  AffineMap kept = keptDims(b.getContext(), rank, reduced);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  SmallVector<Value> ins{input};
  for (Value v : perKept) {
    maps.push_back(kept);
    ins.push_back(v);
  }
  for (auto &[v, map] : extra) {
    maps.push_back(map);
    ins.push_back(v);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
  Value init = b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b
      .create<linalg::GenericOp>(loc, type, ins, init, maps, parallel,
                                 [&](OpBuilder &nb, Location l, ValueRange a) {
                                   nb.create<linalg::YieldOp>(l, body(nb, l, a.drop_back()));
                                 })
      .getResult(0);
}

Value add(OpBuilder &b, Location l, Value acc, Value v) { return b.create<arith::AddFOp>(l, acc, v); }
Value maximum(OpBuilder &b, Location l, Value acc, Value v) { return b.create<arith::MaximumFOp>(l, acc, v); }

/// Mean and biased variance of `input` over `reduced`, shaped as the kept dims.
std::pair<Value, Value> moments(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> reduced) {
  auto type = tensorType(input);
  double count = 1;
  for (int64_t d : reduced)
    count *= static_cast<double>(type.getDimSize(d));
  auto first = [](OpBuilder &, Location, ValueRange a) { return a[0]; };
  Value sum = reduce(b, loc, input, reduced, 0.0, {}, first, add);
  Value mean = elementwise(b, loc, tensorType(sum), sum, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return nb.create<arith::DivFOp>(l, a[0], f32(nb, l, count));
  });
  Value squares = reduce(b, loc, input, reduced, 0.0, mean, [](OpBuilder &nb, Location l, ValueRange a) -> Value {
    Value d = nb.create<arith::SubFOp>(l, a[0], a[1]);
    return nb.create<arith::MulFOp>(l, d, d);
  }, add);
  Value var = elementwise(b, loc, tensorType(squares), squares, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return nb.create<arith::DivFOp>(l, a[0], f32(nb, l, count));
  });
  return {mean, var};
}

/// (x - mean) / sqrt(var + eps).
Value normalized(OpBuilder &b, Location l, Value x, Value mean, Value var, double eps) {
  Value stddev = b.create<math::SqrtOp>(l, b.create<arith::AddFOp>(l, var, f32(b, l, eps)));
  return b.create<arith::DivFOp>(l, b.create<arith::SubFOp>(l, x, mean), stddev);
}

template <typename NNOp, bool Log>
struct SoftmaxLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    int64_t rank = op.getType().getRank();
    auto dimAttr = static_cast<int64_t>(op.getDim());
    int64_t dim = dimAttr < 0 ? dimAttr + rank : dimAttr;
    auto first = [](OpBuilder &, Location, ValueRange a) { return a[0]; };
    Value max = reduce(rewriter, loc, x, {dim}, -std::numeric_limits<double>::infinity(), {}, first, maximum);
    Value sum = reduce(rewriter, loc, x, {dim}, 0.0, max, [](OpBuilder &b, Location l, ValueRange a) -> Value {
      return b.create<math::ExpOp>(l, b.create<arith::SubFOp>(l, a[0], a[1]));
    }, add);
    Value y = overInput(rewriter, loc, x, {dim}, {max, sum}, {}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
      Value shifted = b.create<arith::SubFOp>(l, a[0], a[1]);
      if (Log)
        return b.create<arith::SubFOp>(l, shifted, b.create<math::LogOp>(l, a[2]));
      return b.create<arith::DivFOp>(l, b.create<math::ExpOp>(l, shifted), a[2]);
    });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<ir::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    int64_t rank = op.getType().getRank();
    auto k = static_cast<int64_t>(op.getNormalizedNdim());
    SmallVector<int64_t> reduced;
    for (int64_t d = rank - k; d < rank; ++d)
      reduced.push_back(d);
    auto [mean, var] = moments(rewriter, loc, x, reduced);
    double eps = op.getEps().convertToDouble();
    SmallVector<std::pair<Value, AffineMap>> affine;
    if (adaptor.getWeight()) {
      SmallVector<AffineExpr> trailing;
      for (int64_t d : reduced)
        trailing.push_back(getAffineDimExpr(d, rewriter.getContext()));
      AffineMap map = AffineMap::get(rank, 0, trailing, rewriter.getContext());
      affine = {{adaptor.getWeight(), map}, {adaptor.getBias(), map}};
    }
    Value y = overInput(rewriter, loc, x, reduced, {mean, var}, affine, [&](OpBuilder &b, Location l, ValueRange a) {
      Value r = normalized(b, l, a[0], a[1], a[2], eps);
      return a.size() > 3 ? b.create<arith::AddFOp>(l, b.create<arith::MulFOp>(l, r, a[3]), a[4]).getResult() : r;
    });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct GroupNormLowering : OpConversionPattern<ir::GroupNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::GroupNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t n = type.getDimSize(0), c = type.getDimSize(1), rank = type.getRank();
    auto groups = static_cast<int64_t>(op.getNumGroups());
    int64_t spatial = type.getNumElements() / (n * c);
    // [N, C, ...] viewed as [N, G, C/G, S]: statistics over the last two dims.
    Value x4 = reshapeTensor(rewriter, loc, adaptor.getInput(), {n, groups, c / groups, spatial});
    auto [mean, var] = moments(rewriter, loc, x4, {2, 3});
    double eps = op.getEps().convertToDouble();
    Value y4 = overInput(rewriter, loc, x4, {2, 3}, {mean, var}, {}, [&](OpBuilder &b, Location l, ValueRange a) {
      return normalized(b, l, a[0], a[1], a[2], eps);
    });
    Value y = reshapeTensor(rewriter, loc, y4, type.getShape());
    if (adaptor.getWeight()) {
      AffineMap channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, rewriter.getContext())}, rewriter.getContext());
      y = overInput(rewriter, loc, y, {}, {}, {{adaptor.getWeight(), channel}, {adaptor.getBias(), channel}},
                    [](OpBuilder &b, Location l, ValueRange a) -> Value {
                      return b.create<arith::AddFOp>(l, b.create<arith::MulFOp>(l, a[0], a[1]), a[2]);
                    });
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateActivationLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  MLIRContext *ctx = patterns.getContext();
  target.addIllegalOp<ir::SigmoidOp, ir::TanhOp, ir::SiluOp, ir::HardswishOp, ir::LeakyReluOp,
                      ir::GeluOp, ir::SoftmaxOp, ir::LogSoftmaxOp, ir::LayerNormOp, ir::GroupNormOp>();
  target.addLegalDialect<math::MathDialect>();
  patterns.add<UnaryLowering<ir::SigmoidOp>>(ctx, [](OpBuilder &b, Location l, Value x, ir::SigmoidOp) {
    return sigmoid(b, l, x);
  });
  patterns.add<UnaryLowering<ir::TanhOp>>(ctx, [](OpBuilder &b, Location l, Value x, ir::TanhOp) -> Value {
    return b.create<math::TanhOp>(l, x);
  });
  patterns.add<UnaryLowering<ir::SiluOp>>(ctx, [](OpBuilder &b, Location l, Value x, ir::SiluOp) -> Value {
    return b.create<arith::MulFOp>(l, x, sigmoid(b, l, x));
  });
  patterns.add<UnaryLowering<ir::HardswishOp>>(ctx, [](OpBuilder &b, Location l, Value x, ir::HardswishOp) -> Value {
    Value shifted = b.create<arith::AddFOp>(l, x, f32(b, l, 3.0));
    Value relu6 = b.create<arith::MinimumFOp>(l, b.create<arith::MaximumFOp>(l, shifted, f32(b, l, 0.0)), f32(b, l, 6.0));
    return b.create<arith::DivFOp>(l, b.create<arith::MulFOp>(l, x, relu6), f32(b, l, 6.0));
  });
  patterns.add<UnaryLowering<ir::LeakyReluOp>>(ctx, [](OpBuilder &b, Location l, Value x, ir::LeakyReluOp op) -> Value {
    Value scaled = b.create<arith::MulFOp>(l, x, f32(b, l, op.getNegativeSlope().convertToDouble()));
    Value positive = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, x, f32(b, l, 0.0));
    return b.create<arith::SelectOp>(l, positive, x, scaled);
  });
  patterns.add<UnaryLowering<ir::GeluOp>>(ctx, [](OpBuilder &b, Location l, Value x, ir::GeluOp op) -> Value {
    Value phi;
    if (op.getApproximate() == "tanh") {
      // 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
      Value cube = b.create<arith::MulFOp>(l, b.create<arith::MulFOp>(l, x, x), x);
      Value inner = b.create<arith::AddFOp>(l, x, b.create<arith::MulFOp>(l, cube, f32(b, l, 0.044715)));
      Value t = b.create<math::TanhOp>(l, b.create<arith::MulFOp>(l, inner, f32(b, l, std::sqrt(2.0 / M_PI))));
      phi = b.create<arith::MulFOp>(l, f32(b, l, 0.5), b.create<arith::AddFOp>(l, f32(b, l, 1.0), t));
    } else {
      // 0.5 * (1 + erf(x / sqrt(2)))
      Value e = b.create<math::ErfOp>(l, b.create<arith::MulFOp>(l, x, f32(b, l, M_SQRT1_2)));
      phi = b.create<arith::MulFOp>(l, f32(b, l, 0.5), b.create<arith::AddFOp>(l, f32(b, l, 1.0), e));
    }
    return b.create<arith::MulFOp>(l, x, phi);
  });
  patterns.add<SoftmaxLowering<ir::SoftmaxOp, false>, SoftmaxLowering<ir::LogSoftmaxOp, true>,
               LayerNormLowering, GroupNormLowering>(ctx);
}

} // namespace nncc::lowering
