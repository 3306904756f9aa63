// Lowering of the ops losses, optimizers and gradient rules are built from: sum (a reduction
// generic), expand and the elementwise math (broadcasting generics), activation_grad (the
// derivative formulas, as PyTorch's backward kernels compute them) and one_hot.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace nncc::lowering {
namespace {

/// Sums over the op's dims into a zero-filled result; with keepdim the
/// summed dims of the result are read and written at index 0.
struct SumLowering : OpConversionPattern<ir::SumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::SumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = tensorType(adaptor.getInput()).getRank();
    MLIRContext *ctx = op.getContext();
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      bool summed = llvm::is_contained(op.getDims(), d);
      iterators.push_back(summed ? utils::IteratorType::reduction : utils::IteratorType::parallel);
      if (!summed)
        outExprs.push_back(getAffineDimExpr(d, ctx));
      else if (op.getKeepdim())
        outExprs.push_back(getAffineConstantExpr(0, ctx));
    }
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank),
                                AffineMap::get(rank, 0, outExprs, ctx)};
    Value init = zeroFilled(rewriter, op.getLoc(), resultType);
    auto sum = rewriter.create<linalg::GenericOp>(
        op.getLoc(), resultType, adaptor.getInput(), init, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange a) {
          b.create<linalg::YieldOp>(l, ValueRange{b.create<arith::AddFOp>(l, a[1], a[0])});
        });
    rewriter.replaceOp(op, sum.getResult(0));
    return success();
  }
};

/// Lowers an op whose result is `body` applied elementwise to its operands
/// (broadcast as numpy does).
template <typename NNOp>
struct PointwiseLowering : OpConversionPattern<NNOp> {
  using Body = std::function<Value(OpBuilder &, Location, ValueRange, NNOp)>;
  PointwiseLowering(MLIRContext *ctx, Body body)
      : OpConversionPattern<NNOp>(ctx), body(std::move(body)) {}
  LogicalResult matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    rewriter.replaceOp(op, elementwise(rewriter, op.getLoc(), type, adaptor.getOperands(),
                                       [&](OpBuilder &b, Location l, ValueRange a) {
                                         return body(b, l, a, op);
                                       }));
    return success();
  }
  Body body;
};

Value sigmoidOf(OpBuilder &b, Location l, Value x) {
  Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, x));
  return b.create<arith::DivFOp>(l, f32(b, l, 1.0), b.create<arith::AddFOp>(l, f32(b, l, 1.0), e));
}

/// f'(x) for activation_grad's kinds, as PyTorch's backward kernels compute it.
Value derivative(OpBuilder &b, Location l, ir::ActivationGradOp op, Value x) {
  auto mul = [&](Value p, Value q) -> Value { return b.create<arith::MulFOp>(l, p, q); };
  auto add = [&](Value p, Value q) -> Value { return b.create<arith::AddFOp>(l, p, q); };
  auto sub = [&](Value p, Value q) -> Value { return b.create<arith::SubFOp>(l, p, q); };
  auto c = [&](double v) { return f32(b, l, v); };
  auto select = [&](arith::CmpFPredicate pred, Value bound, Value then, Value otherwise) -> Value {
    Value cond = b.create<arith::CmpFOp>(l, pred, x, bound);
    return b.create<arith::SelectOp>(l, cond, then, otherwise);
  };
  StringRef kind = op.getKind();
  if (kind == "relu")
    return select(arith::CmpFPredicate::OGT, c(0), c(1), c(0));
  if (kind == "leaky_relu")
    return select(arith::CmpFPredicate::OGT, c(0), c(1), c(op.getAlpha()->convertToDouble()));
  if (kind == "abs")
    return select(arith::CmpFPredicate::OGT, c(0), c(1),
                  select(arith::CmpFPredicate::OLT, c(0), c(-1), c(0)));
  if (kind == "sigmoid") {
    Value s = sigmoidOf(b, l, x);
    return mul(s, sub(c(1), s));
  }
  if (kind == "tanh") {
    Value t = b.create<math::TanhOp>(l, x);
    return sub(c(1), mul(t, t));
  }
  if (kind == "silu") {
    Value s = sigmoidOf(b, l, x);
    return mul(s, add(c(1), mul(x, sub(c(1), s))));
  }
  if (kind == "hardswish") {
    Value middle = add(mul(x, c(1.0 / 3.0)), c(0.5));
    return select(arith::CmpFPredicate::OLT, c(-3), c(0),
                  select(arith::CmpFPredicate::OLE, c(3), middle, c(1)));
  }
  if (kind == "gelu") {
    // Phi(x) + x phi(x)
    Value cdf = mul(c(0.5), add(c(1), b.create<math::ErfOp>(l, mul(x, c(M_SQRT1_2)))));
    Value pdf = mul(b.create<math::ExpOp>(l, mul(mul(x, x), c(-0.5))), c(0.5 * M_2_SQRTPI * M_SQRT1_2));
    return add(cdf, mul(x, pdf));
  }
  // gelu_tanh: d/dx 0.5 x (1 + tanh(k (x + 0.044715 x^3))).
  double beta = std::sqrt(2.0 / M_PI), kappa = 0.044715;
  Value xx = mul(x, x);
  Value t = b.create<math::TanhOp>(l, mul(c(beta), add(x, mul(c(kappa), mul(xx, x)))));
  Value left = mul(c(0.5), add(c(1), t));
  Value right = mul(mul(mul(c(0.5), x), sub(c(1), mul(t, t))),
                    mul(c(beta), add(c(1), mul(c(3 * kappa), xx))));
  return add(left, right);
}

/// result[..., c] = (indices[...] == c && indices[...] != ignore_index).
struct OneHotLowering : OpConversionPattern<ir::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::OneHotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps = rowMaps(op.getContext(), rank);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    Value empty = rewriter.create<tensor::EmptyOp>(op.getLoc(), resultType.getShape(),
                                                   resultType.getElementType());
    std::optional<int64_t> ignore = op.getIgnoreIndex();
    auto generic = rewriter.create<linalg::GenericOp>(
        op.getLoc(), resultType, adaptor.getIndices(), empty, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value cls = b.create<arith::IndexCastOp>(l, b.getI64Type(),
                                                   b.create<linalg::IndexOp>(l, rank - 1));
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[0], cls);
          if (ignore) {
            Value ignored = b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(*ignore));
            Value kept = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, a[0], ignored);
            hit = b.create<arith::AndIOp>(l, hit, kept);
          }
          Value one = b.create<arith::SelectOp>(l, hit, f32(b, l, 1.0), f32(b, l, 0.0));
          b.create<linalg::YieldOp>(l, one);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

template <typename NNOp, typename MathOp> void addUnary(RewritePatternSet &patterns) {
  patterns.add<PointwiseLowering<NNOp>>(
      patterns.getContext(),
      [](OpBuilder &b, Location l, ValueRange a, NNOp) -> Value { return b.create<MathOp>(l, a[0]); });
}

} // namespace

void populateTrainOpsLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  MLIRContext *ctx = patterns.getContext();
  target.addIllegalOp<ir::SumOp, ir::ExpandOp, ir::ExpOp, ir::LogOp, ir::SqrtOp, ir::AbsOp,
                      ir::NegOp, ir::ActivationGradOp, ir::OneHotOp>();
  patterns.add<SumLowering, OneHotLowering>(ctx);
  patterns.add<PointwiseLowering<ir::ExpandOp>>(
      ctx, [](OpBuilder &, Location, ValueRange a, ir::ExpandOp) { return a[0]; });
  addUnary<ir::ExpOp, math::ExpOp>(patterns);
  addUnary<ir::LogOp, math::LogOp>(patterns);
  addUnary<ir::SqrtOp, math::SqrtOp>(patterns);
  addUnary<ir::AbsOp, math::AbsFOp>(patterns);
  addUnary<ir::NegOp, arith::NegFOp>(patterns);
  patterns.add<PointwiseLowering<ir::ActivationGradOp>>(
      ctx, [](OpBuilder &b, Location l, ValueRange a, ir::ActivationGradOp op) -> Value {
        return b.create<arith::MulFOp>(l, a[0], derivative(b, l, op, a[1]));
      });
}

} // namespace nncc::lowering
