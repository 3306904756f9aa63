// What gradient rules share: a builder of nn ops at one location that infers result shapes, and
// the glue that attaches a rule function to an op as its GradientOpInterface model.
#pragma once

#include "dialects/nn/NNGradient.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"

namespace nncc::ir::grad {

/// Builds nn ops at one location (the forward op's module path), with result
/// types from the dialect's shape rules. Operands must already satisfy them.
class GradBuilder {
public:
  GradBuilder(mlir::OpBuilder &b, mlir::Location loc) : b_(b), loc_(loc) {}
  mlir::OpBuilder &builder() { return b_; }
  mlir::Location loc() const { return loc_; }

  /// A tensor of `shape` filled with `value` (rank 0 for a scalar).
  mlir::Value constant(double value, const Dims &shape = {});
  mlir::Value add(mlir::Value x, mlir::Value y);
  mlir::Value sub(mlir::Value x, mlir::Value y);
  mlir::Value mul(mlir::Value x, mlir::Value y);
  mlir::Value div(mlir::Value x, mlir::Value y);
  /// x * value, x + value.
  mlir::Value scale(mlir::Value x, double value);
  mlir::Value shift(mlir::Value x, double value);
  mlir::Value neg(mlir::Value x);
  mlir::Value abs(mlir::Value x);
  mlir::Value exp(mlir::Value x);
  mlir::Value log(mlir::Value x);
  mlir::Value sqrt(mlir::Value x);
  mlir::Value sigmoid(mlir::Value x);
  mlir::Value softmax(mlir::Value x, int64_t dim);
  mlir::Value matmul(mlir::Value x, mlir::Value y);
  mlir::Value sum(mlir::Value x, llvm::ArrayRef<int64_t> dims, bool keepdim = false);
  mlir::Value expand(mlir::Value x, const Dims &shape);
  mlir::Value reshape(mlir::Value x, const Dims &shape);
  mlir::Value permute(mlir::Value x, llvm::ArrayRef<int64_t> dims);
  /// Swaps the last two dims.
  mlir::Value transpose(mlir::Value x);
  mlir::Value narrow(mlir::Value x, int64_t dim, int64_t start, int64_t length);
  mlir::Value concat(llvm::ArrayRef<mlir::Value> xs, int64_t dim);
  mlir::Value activationGrad(llvm::StringRef kind, mlir::Value grad, mlir::Value input,
                             std::optional<double> alpha = std::nullopt);
  /// Sums a broadcast gradient back to `shape`: the inverse of numpy
  /// broadcasting (leading dims summed away, stretched size-1 dims kept).
  mlir::Value sumTo(mlir::Value grad, const Dims &shape);
  /// Zeros written around `x` along `dim`: `before` in front, `after` behind.
  mlir::Value padWithZeros(mlir::Value x, int64_t dim, int64_t before, int64_t after);

private:
  mlir::RankedTensorType typeOf(const Dims &shape);
  mlir::OpBuilder &b_;
  mlir::Location loc_;
};

/// The backward of normalizing `x` over `dims` (biased variance over
/// `count` elements, `eps` added): `dx` for `g` the gradient of the
/// normalized value, and `xhat`, the normalized value itself.
struct NormGrad {
  mlir::Value dx, xhat;
};
NormGrad normalizeGrad(GradBuilder &g, mlir::Value grad, mlir::Value x,
                       llvm::ArrayRef<int64_t> dims, int64_t count, double eps);

/// The static shape of a tensor value.
Dims shapeOf(mlir::Value v);
/// Number of elements of `shape`.
int64_t numel(const Dims &shape);

/// A rule for one op: `grads` holds one gradient per result (null where
/// none flows), `operandGrads` is filled per differentiable operand.
template <typename OpTy>
using RuleFn = mlir::LogicalResult (*)(OpTy op, GradBuilder &g, llvm::ArrayRef<mlir::Value> grads,
                                       llvm::MutableArrayRef<mlir::Value> operandGrads);

/// Adapts a rule function to the GradientOpInterface of OpTy.
template <typename OpTy, RuleFn<OpTy> Fn>
struct RuleModel : GradientOpInterface::ExternalModel<RuleModel<OpTy, Fn>, OpTy> {
  mlir::LogicalResult buildGradient(mlir::Operation *op, mlir::OpBuilder &b,
                                    llvm::ArrayRef<mlir::Value> grads,
                                    llvm::MutableArrayRef<mlir::Value> operandGrads) const {
    GradBuilder g(b, op->getLoc());
    return Fn(mlir::cast<OpTy>(op), g, grads, operandGrads);
  }
};

/// Attaches `Fn` as OpTy's gradient rule.
template <typename OpTy, RuleFn<OpTy> Fn> void attach(mlir::MLIRContext *ctx) {
  OpTy::template attachInterface<RuleModel<OpTy, Fn>>(*ctx);
}

/// Per-family registration, called by registerGradientRules.
void attachCoreRules(mlir::MLIRContext *ctx);
void attachActivationRules(mlir::MLIRContext *ctx);
void attachModeRules(mlir::MLIRContext *ctx);
void attachConvRules(mlir::MLIRContext *ctx);
void attachHookRules(mlir::MLIRContext *ctx);

} // namespace nncc::ir::grad
