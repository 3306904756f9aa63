// GradBuilder: nn ops with shapes from the dialect's shape rules, for gradient rules to build from.
#include "dialects/nn/gradients/GradientUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace nncc::ir::grad {

Dims shapeOf(Value v) {
  auto shape = cast<RankedTensorType>(v.getType()).getShape();
  return Dims(shape.begin(), shape.end());
}

int64_t numel(const Dims &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

RankedTensorType GradBuilder::typeOf(const Dims &shape) {
  return RankedTensorType::get(shape, b_.getF32Type());
}

/// The shape a rule gives; rules are only called on operands that satisfy
/// them, so a failure is a bug in a gradient rule.
static Dims checked(std::optional<Dims> shape, const std::string &error) {
  if (!shape)
    llvm::report_fatal_error(llvm::Twine("nncc gradient rule built an ill-shaped op: ") + error);
  return *shape;
}

Value GradBuilder::constant(double value, const Dims &shape) {
  auto type = typeOf(shape);
  auto attr = DenseElementsAttr::get(type, b_.getF32FloatAttr(static_cast<float>(value)).getValue());
  return b_.create<ConstantOp>(loc_, type, attr);
}

template <typename OpTy> static Value binary(OpBuilder &b, Location loc, Value x, Value y) {
  std::string error;
  Dims shape = checked(broadcastShape(shapeOf(x), shapeOf(y), error), error);
  return b.create<OpTy>(loc, RankedTensorType::get(shape, b.getF32Type()), x, y);
}

Value GradBuilder::add(Value x, Value y) { return binary<AddOp>(b_, loc_, x, y); }
Value GradBuilder::sub(Value x, Value y) { return binary<SubOp>(b_, loc_, x, y); }
Value GradBuilder::mul(Value x, Value y) { return binary<MulOp>(b_, loc_, x, y); }
Value GradBuilder::div(Value x, Value y) { return binary<DivOp>(b_, loc_, x, y); }
Value GradBuilder::scale(Value x, double value) { return mul(x, constant(value)); }
Value GradBuilder::shift(Value x, double value) { return add(x, constant(value)); }
Value GradBuilder::neg(Value x) { return b_.create<NegOp>(loc_, x.getType(), x); }
Value GradBuilder::abs(Value x) { return b_.create<AbsOp>(loc_, x.getType(), x); }
Value GradBuilder::exp(Value x) { return b_.create<ExpOp>(loc_, x.getType(), x); }
Value GradBuilder::log(Value x) { return b_.create<LogOp>(loc_, x.getType(), x); }
Value GradBuilder::sqrt(Value x) { return b_.create<SqrtOp>(loc_, x.getType(), x); }
Value GradBuilder::sigmoid(Value x) { return b_.create<SigmoidOp>(loc_, x.getType(), x); }
Value GradBuilder::softmax(Value x, int64_t dim) {
  return b_.create<SoftmaxOp>(loc_, x.getType(), x, dim);
}

Value GradBuilder::matmul(Value x, Value y) {
  std::string error;
  Dims shape = checked(matmulShape(shapeOf(x), shapeOf(y), error), error);
  return b_.create<MatmulOp>(loc_, typeOf(shape), x, y);
}

Value GradBuilder::sum(Value x, ArrayRef<int64_t> dims, bool keepdim) {
  if (dims.empty())
    return x;
  Dims in = shapeOf(x), out;
  for (int64_t d = 0; d < static_cast<int64_t>(in.size()); ++d) {
    if (!llvm::is_contained(dims, d))
      out.push_back(in[d]);
    else if (keepdim)
      out.push_back(1);
  }
  SmallVector<int64_t> sorted(dims);
  llvm::sort(sorted);
  return b_.create<SumOp>(loc_, typeOf(out), x, sorted, keepdim);
}

Value GradBuilder::expand(Value x, const Dims &shape) {
  if (shapeOf(x) == shape)
    return x;
  return b_.create<ExpandOp>(loc_, typeOf(shape), x);
}

Value GradBuilder::reshape(Value x, const Dims &shape) {
  if (shapeOf(x) == shape)
    return x;
  return b_.create<ReshapeOp>(loc_, typeOf(shape), x);
}

Value GradBuilder::permute(Value x, ArrayRef<int64_t> dims) {
  std::string error;
  Dims shape = checked(permuteShape(shapeOf(x), Dims(dims.begin(), dims.end()), error), error);
  return b_.create<PermuteOp>(loc_, typeOf(shape), x, dims);
}

Value GradBuilder::transpose(Value x) {
  int64_t rank = static_cast<int64_t>(shapeOf(x).size());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d)
    dims.push_back(d);
  std::swap(dims[rank - 1], dims[rank - 2]);
  return permute(x, dims);
}

Value GradBuilder::narrow(Value x, int64_t dim, int64_t start, int64_t length) {
  std::string error;
  Dims shape = checked(narrowShape(shapeOf(x), dim, start, length, error), error);
  return b_.create<NarrowOp>(loc_, typeOf(shape), x, dim, start, length);
}

Value GradBuilder::concat(ArrayRef<Value> xs, int64_t dim) {
  if (xs.size() == 1)
    return xs.front();
  std::vector<Dims> shapes;
  for (Value x : xs)
    shapes.push_back(shapeOf(x));
  std::string error;
  Dims shape = checked(concatShape(shapes, dim, error), error);
  return b_.create<ConcatOp>(loc_, typeOf(shape), xs, dim);
}

Value GradBuilder::activationGrad(StringRef kind, Value grad, Value input,
                                  std::optional<double> alpha) {
  FloatAttr alphaAttr = alpha ? b_.getF64FloatAttr(*alpha) : FloatAttr();
  return b_.create<ActivationGradOp>(loc_, grad.getType(), kind, grad, input, alphaAttr);
}

Value GradBuilder::sumTo(Value grad, const Dims &shape) {
  Dims in = shapeOf(grad);
  if (in == shape)
    return grad;
  int64_t lead = static_cast<int64_t>(in.size() - shape.size());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < static_cast<int64_t>(in.size()); ++d)
    if (d < lead || (shape[d - lead] == 1 && in[d] != 1))
      dims.push_back(d);
  return reshape(sum(grad, dims, /*keepdim=*/false), shape);
}

Value GradBuilder::padWithZeros(Value x, int64_t dim, int64_t before, int64_t after) {
  SmallVector<Value> parts;
  Dims shape = shapeOf(x);
  if (before > 0) {
    shape[dim] = before;
    parts.push_back(constant(0.0, shape));
  }
  parts.push_back(x);
  if (after > 0) {
    shape[dim] = after;
    parts.push_back(constant(0.0, shape));
  }
  return concat(parts, dim);
}

NormGrad normalizeGrad(GradBuilder &g, Value grad, Value x, ArrayRef<int64_t> dims, int64_t count,
                       double eps) {
  double inv = 1.0 / static_cast<double>(count);
  Value mean = g.scale(g.sum(x, dims, /*keepdim=*/true), inv);
  Value centered = g.sub(x, mean);
  Value var = g.scale(g.sum(g.mul(centered, centered), dims, /*keepdim=*/true), inv);
  Value rstd = g.div(g.constant(1.0), g.sqrt(g.shift(var, eps)));
  Value xhat = g.mul(centered, rstd);
  Value meanGrad = g.scale(g.sum(grad, dims, /*keepdim=*/true), inv);
  Value meanGradXhat = g.scale(g.sum(g.mul(grad, xhat), dims, /*keepdim=*/true), inv);
  Value dx = g.mul(rstd, g.sub(g.sub(grad, meanGrad), g.mul(xhat, meanGradXhat)));
  return {dx, xhat};
}

} // namespace nncc::ir::grad
