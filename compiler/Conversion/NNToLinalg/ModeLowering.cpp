// Lowering of batch_norm (eval and train, with the running-statistics update) and dropout.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace nncc::lowering {
namespace {

/// Maps over an input of rank `rank` that read a per-channel [C] operand.
AffineMap channelMap(MLIRContext *ctx, int64_t rank) {
  return AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
}

/// Sums over every dim of `input` but 1, into a [C] tensor; `term` maps
/// (element, channel operands...) to what is summed.
Value channelSum(OpBuilder &b, Location loc, Value input, ValueRange perChannel,
                 function_ref<Value(OpBuilder &, Location, ValueRange)> term) {
  auto type = tensorType(input);
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  auto channels = RankedTensorType::get({type.getDimSize(1)}, type.getElementType());
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  for (size_t i = 0; i <= perChannel.size(); ++i)
    maps.push_back(channelMap(ctx, rank));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::reduction);
  iterators[1] = utils::IteratorType::parallel;
  SmallVector<Value> ins{input};
  ins.append(perChannel.begin(), perChannel.end());
  return b
      .create<linalg::GenericOp>(
          loc, channels, ins, zeroFilled(b, loc, channels), maps, iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value t = term(nb, nloc, args.drop_back());
            nb.create<linalg::YieldOp>(nloc, Value(nb.create<arith::AddFOp>(nloc, args.back(), t)));
          })
      .getResult(0);
}

struct BatchNormLowering : OpConversionPattern<ir::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::BatchNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = tensorType(x);
    int64_t rank = type.getRank();
    double count = static_cast<double>(type.getNumElements() / type.getDimSize(1));
    auto channels = RankedTensorType::get({type.getDimSize(1)}, type.getElementType());
    bool batchStats = op.getTraining() || !adaptor.getRunningMean();
    double eps = op.getEps().convertToDouble();

    Value mean, var;
    if (batchStats) {
      Value sum = channelSum(rewriter, loc, x, {}, [](OpBuilder &, Location, ValueRange a) { return a[0]; });
      mean = elementwise(rewriter, loc, channels, sum, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        return b.create<arith::DivFOp>(l, a[0], f32(b, l, count));
      });
      Value squares = channelSum(rewriter, loc, x, mean, [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
        return b.create<arith::MulFOp>(l, d, d);
      });
      var = elementwise(rewriter, loc, channels, squares, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        return b.create<arith::DivFOp>(l, a[0], f32(b, l, count));
      });
    } else {
      mean = adaptor.getRunningMean();
      var = adaptor.getRunningVar();
    }

    // y = (x - mean) / sqrt(var + eps) * weight + bias, in one loop nest.
    SmallVector<Value> ins{x, mean, var};
    if (adaptor.getWeight()) {
      ins.push_back(adaptor.getWeight());
      ins.push_back(adaptor.getBias());
    }
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    for (size_t i = 1; i < ins.size(); ++i)
      maps.push_back(channelMap(ctx, rank));
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
    Value init = rewriter.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
    Value y = rewriter
                  .create<linalg::GenericOp>(
                      loc, type, ins, init, maps, parallel,
                      [&](OpBuilder &b, Location l, ValueRange a) {
                        Value centered = b.create<arith::SubFOp>(l, a[0], a[1]);
                        Value stddev = b.create<math::SqrtOp>(l, b.create<arith::AddFOp>(l, a[2], f32(b, l, eps)));
                        Value r = b.create<arith::DivFOp>(l, centered, stddev);
                        if (a.size() > 4)
                          r = b.create<arith::AddFOp>(l, b.create<arith::MulFOp>(l, r, a[3]), a[4]);
                        b.create<linalg::YieldOp>(l, r);
                      })
                  .getResult(0);

    SmallVector<Value> results{y};
    if (!op.getUpdatedStats().empty()) {
      // factor = momentum, or 1 / (num_batches_tracked + 1) for a cumulative average.
      Value count1;
      if (Value nbt = adaptor.getNumBatchesTracked()) {
        auto scalar = cast<RankedTensorType>(nbt.getType());
        count1 = elementwise(rewriter, loc, scalar, nbt, [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return b.create<arith::AddFOp>(l, a[0], f32(b, l, 1.0));
        });
      }
      auto blend = [&](Value running, Value batch, double scale) {
        SmallVector<Value> operands{running, batch};
        if (!op.getMomentum())
          operands.push_back(count1);
        std::optional<double> momentum;
        if (op.getMomentum())
          momentum = op.getMomentum()->convertToDouble();
        return elementwise(rewriter, loc, channels, operands, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value f = momentum ? f32(b, l, *momentum) : b.create<arith::DivFOp>(l, f32(b, l, 1.0), a[2]);
          Value keep = b.create<arith::SubFOp>(l, f32(b, l, 1.0), f);
          Value scaled = b.create<arith::MulFOp>(l, a[1], f32(b, l, scale));
          return b.create<arith::AddFOp>(l, b.create<arith::MulFOp>(l, keep, a[0]),
                                         b.create<arith::MulFOp>(l, f, scaled));
        });
      };
      results.push_back(blend(adaptor.getRunningMean(), mean, 1.0));
      results.push_back(blend(adaptor.getRunningVar(), var, count > 1 ? count / (count - 1) : 1.0));
      if (count1)
        results.push_back(count1);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// splitmix64's finalizer, the mixing function of nn.dropout's mask.
Value mix(OpBuilder &b, Location loc, Value z) {
  auto i64 = [&](uint64_t v) {
    return b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(static_cast<int64_t>(v)));
  };
  z = b.create<arith::MulIOp>(loc, b.create<arith::XOrIOp>(loc, z, b.create<arith::ShRUIOp>(loc, z, i64(30))),
                              i64(0xBF58476D1CE4E5B9ULL));
  z = b.create<arith::MulIOp>(loc, b.create<arith::XOrIOp>(loc, z, b.create<arith::ShRUIOp>(loc, z, i64(27))),
                              i64(0x94D049BB133111EBULL));
  return b.create<arith::XOrIOp>(loc, z, b.create<arith::ShRUIOp>(loc, z, i64(31)));
}

struct DropoutLowering : OpConversionPattern<ir::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ir::DropoutOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    double p = op.getP().convertToDouble();
    auto seed = static_cast<int64_t>(op.getSeed());
    Value init = rewriter.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<Value> ins{adaptor.getInput()};
    if (adaptor.getStep()) {
      // The step is read at every element, as a broadcast scalar.
      maps.insert(maps.begin() + 1, AffineMap::get(rank, 0, {}, op.getContext()));
      ins.push_back(adaptor.getStep());
    }
    SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
    Value y = rewriter
                  .create<linalg::GenericOp>(
                      loc, type, ins, init, maps, parallel,
                      [&](OpBuilder &b, Location l, ValueRange a) {
                        // The element's flat index, row-major.
                        Value flat = b.create<arith::ConstantIndexOp>(l, 0);
                        for (int64_t d = 0; d < rank; ++d) {
                          Value size = b.create<arith::ConstantIndexOp>(l, type.getDimSize(d));
                          flat = b.create<arith::AddIOp>(l, b.create<arith::MulIOp>(l, flat, size),
                                                         b.create<linalg::IndexOp>(l, d));
                        }
                        Value index = b.create<arith::IndexCastOp>(l, b.getI64Type(), flat);
                        Value golden = b.create<arith::ConstantOp>(
                            l, b.getI64IntegerAttr(static_cast<int64_t>(0x9E3779B97F4A7C15ULL)));
                        Value base = b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(seed));
                        if (ins.size() == 2) {
                          Value step = b.create<arith::FPToSIOp>(l, b.getI64Type(), a[1]);
                          Value stride = b.create<arith::ConstantOp>(
                              l, b.getI64IntegerAttr(static_cast<int64_t>(ir::kDropoutStepStride)));
                          base = b.create<arith::AddIOp>(l, base, b.create<arith::MulIOp>(l, step, stride));
                        }
                        Value z = b.create<arith::AddIOp>(l, base, b.create<arith::MulIOp>(l, index, golden));
                        Value bits = b.create<arith::ShRUIOp>(
                            l, mix(b, l, z), b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(40)));
                        Value u = b.create<arith::MulFOp>(l, b.create<arith::UIToFPOp>(l, b.getF32Type(), bits),
                                                          f32(b, l, 1.0 / 16777216.0));
                        Value drop = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, u, f32(b, l, p));
                        Value kept = p < 1 ? b.create<arith::MulFOp>(l, a[0], f32(b, l, 1.0 / (1.0 - p))).getResult()
                                           : f32(b, l, 0.0);
                        b.create<linalg::YieldOp>(l, Value(b.create<arith::SelectOp>(l, drop, f32(b, l, 0.0), kept)));
                      })
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateModeLowering(RewritePatternSet &patterns, ConversionTarget &target) {
  target.addIllegalOp<ir::BatchNormOp, ir::DropoutOp>();
  target.addLegalDialect<math::MathDialect>();
  patterns.add<BatchNormLowering, DropoutLowering>(patterns.getContext());
}

} // namespace nncc::lowering
