// Lowering patterns of nn ops to linalg, one populate function per op family, and shared builders.
#pragma once

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <optional>
#include <vector>

namespace nncc::lowering {

/// Patterns for linear, relu, add, mul, matmul and flatten; marks them illegal.
void populateCoreLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// Patterns for constant, sub, div, reshape, permute, narrow and concat.
void populateTensorOpsLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// Patterns for batch_norm and dropout; marks them illegal.
void populateModeLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// Patterns for the activations, softmax, log_softmax, layer_norm and group_norm.
void populateActivationLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// Patterns for conv2d, conv_transpose2d, pad and the 2-D pools.
void populateConvLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// Patterns for sum, expand, the elementwise math ops, activation_grad and one_hot.
void populateTrainOpsLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// Patterns for the backward-only ops of convolution, pooling and embedding.
void populateGradOpsLowering(mlir::RewritePatternSet &patterns, mlir::ConversionTarget &target);

/// `x` with the same elements in row-major order under `shape`.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                          llvm::ArrayRef<int64_t> shape);

/// Reduces `input` over `reduced` into a tensor of the kept dims, starting
/// from `init`: acc = combine(acc, term(x, perKept...)), where each of
/// `perKept` already has the kept dims' shape.
mlir::Value reduce(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                   llvm::ArrayRef<int64_t> reduced, double init, mlir::ValueRange perKept,
                   llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)> term,
                   llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value, mlir::Value)> combine);

/// An f32 scalar constant.
mlir::Value f32(mlir::OpBuilder &b, mlir::Location loc, double value);

/// The type of a ranked tensor value.
mlir::RankedTensorType tensorType(mlir::Value v);

/// A zero-filled tensor of `type` (a matmul accumulator).
mlir::Value zeroFilled(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type);

/// The indexing map that reads `operand` (numpy-broadcast) inside a loop nest
/// over `resultType`'s dimensions: leading dimensions are dropped, and size-1
/// dimensions that stretch read index 0.
mlir::AffineMap broadcastMap(mlir::RankedTensorType operand, mlir::RankedTensorType resultType);

/// The indexing maps of a generic over `rank` dims that reads an operand
/// indexed by every dim but the last (indices, one per row) and writes the
/// whole result.
llvm::SmallVector<mlir::AffineMap> rowMaps(mlir::MLIRContext *ctx, int64_t rank);

/// An elementwise linalg.generic over `resultType` whose scalar body is
/// `body(inputs...)`; inputs broadcast as broadcastMap says.
mlir::Value elementwise(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
                        mlir::ValueRange inputs,
                        llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                                       mlir::ValueRange)> body);

/// `x` padded on the last two dims of [N, C, H, W] by [top, left] low and [bottom, right] high with `value`.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x, int64_t top, int64_t left,
                       int64_t bottom, int64_t right, double value);

/// [N, G*K, H, W] as [N, G, K, H, W].
mlir::Value splitChannels(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x, int64_t groups);

/// What average pooling divides each window of an H x W plane by, row-major over the [oh, ow] output
/// (count_include_pad, ceil_mode's clipped windows and divisor_override are known at compile time).
std::vector<float> avgPoolDivisors(int64_t H, int64_t W, int64_t oh, int64_t ow, llvm::ArrayRef<int64_t> kernel,
                                   llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> padding,
                                   std::optional<uint64_t> divisorOverride, bool countIncludePad);

/// The size of each adaptive-pool window of an H x W plane, row-major over the [oh, ow] output.
std::vector<float> adaptiveDivisors(int64_t H, int64_t W, int64_t oh, int64_t ow);

/// Lowers a broadcasting binary nn op (lhs, rhs) to one elementwise generic
/// applying `ArithOp`.
template <typename NNOp, typename ArithOp>
struct BroadcastBinaryLowering : mlir::OpConversionPattern<NNOp> {
  using mlir::OpConversionPattern<NNOp>::OpConversionPattern;
  mlir::LogicalResult matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                                      mlir::ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, elementwise(rewriter, op.getLoc(), op.getType(),
                                       {adaptor.getLhs(), adaptor.getRhs()},
                                       [](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange a) -> mlir::Value {
                                         return b.create<ArithOp>(l, a[0], a[1]);
                                       }));
    return mlir::success();
  }
};

} // namespace nncc::lowering
