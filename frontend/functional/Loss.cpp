// Recording reductions, elementwise math and the losses. Losses are compositions of nn ops, so
// the autodiff pass differentiates them with the ops' own rules.
#include "frontend/functional/Loss.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/functional/Activation.h"
#include "frontend/functional/Record.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <algorithm>

namespace nncc {

using namespace functional_detail;

namespace nn::functional {
namespace {

/// `dims` made non-negative, sorted and checked against `rank`; empty means all.
std::vector<int64_t> normalizeDims(Recorder &rec, const char *op, std::vector<int64_t> dims,
                                   int64_t rank) {
  if (dims.empty())
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(d);
  for (int64_t &d : dims) {
    if (d < -rank || d >= std::max<int64_t>(rank, 1))
      rec.fail(op, "Dimension out of range (expected to be in range of [" + std::to_string(-rank) +
                       ", " + std::to_string(rank - 1) + "], but got " + std::to_string(d) + ")");
    d = d < 0 ? d + rank : d;
  }
  std::sort(dims.begin(), dims.end());
  if (std::adjacent_find(dims.begin(), dims.end()) != dims.end())
    rec.fail(op, "dim appears multiple times in the list of dims");
  if (rank == 0)
    dims.clear();
  return dims;
}

template <typename OpTy> SymTensor unaryOp(const char *name, const SymTensor &input) {
  Recorder &rec = recorderOf(name, {&input});
  return build<OpTy>(rec, name, [&](std::string &) { return std::optional<ir::Dims>(input.shape()); },
                     valueOf(input));
}

void checkReduction(Recorder &rec, const char *op, const std::string &reduction) {
  if (reduction != "mean" && reduction != "sum" && reduction != "none")
    rec.fail(op, reduction + " is not a valid value for reduction");
}

SymTensor reduce(const SymTensor &loss, const std::string &reduction) {
  if (reduction == "mean")
    return mean(loss);
  if (reduction == "sum")
    return sum(loss);
  return loss;
}

/// One-hot rows [..., C] of int64 `target` [...] (zero rows where ignored).
SymTensor oneHot(Recorder &rec, const SymTensor &target, int64_t classes, int64_t ignore_index) {
  ir::Dims shape = target.shape();
  shape.push_back(classes);
  auto type = tensorTypeOf(rec.builder().getContext(), shape);
  auto op = rec.builder().create<ir::OneHotOp>(rec.location(), type, valueOf(target),
                                               rec.builder().getI64IntegerAttr(ignore_index));
  return SymTensor(&rec, op.getResult().getAsOpaquePointer(), shape);
}

/// Checks target [N, d...] against input [N, C, d...] and returns the input
/// with classes last, [N, d..., C], to line up with the one-hot target.
SymTensor classesLast(Recorder &rec, const char *op, const SymTensor &input,
                                          const SymTensor &target) {
  if (!target.defined() || !target.is_index() || target.recorder() != &rec)
    rec.fail(op, "target must be int64 class indices (an input declared with DType::i64) of the "
                 "same recording");
  if (input.dim() < 2)
    rec.fail(op, "input must be [N, C] or [N, C, d...], got " + ir::formatDims(input.shape()));
  ir::Dims expected = input.shape();
  expected.erase(expected.begin() + 1);
  if (target.shape() != expected)
    rec.fail(op, "Expected target of shape " + ir::formatDims(expected) + " for input " +
                     ir::formatDims(input.shape()) + ", got " + ir::formatDims(target.shape()));
  if (input.dim() == 2)
    return input;
  std::vector<int64_t> order{0};
  for (int64_t d = 2; d < input.dim(); ++d)
    order.push_back(d);
  order.push_back(1);
  return input.permute(order);
}

void checkClassWeight(Recorder &rec, const char *op, const Tensor &weight, int64_t classes) {
  if (weight.defined() && weight.shape() != ir::Dims{classes})
    rec.fail(op, "weight tensor should be defined either for all " + std::to_string(classes) +
                     " classes or no classes but got weight tensor of shape: " +
                     ir::formatDims(weight.shape()));
}

/// The NLL terms of log-probabilities [..., C]: the loss of each target,
/// and its weight (0 where ignored).
std::pair<SymTensor, SymTensor> nllTerms(Recorder &rec, const SymTensor &logp, const SymTensor &target,
                                         const Tensor &weight, int64_t ignore_index) {
  SymTensor hot = oneHot(rec, target, logp.size(-1), ignore_index);
  if (weight.defined())
    hot = hot * constant(weight, logp);
  return {-sum(hot * logp, {-1}), sum(hot, {-1})};
}

} // namespace

SymTensor sum(const SymTensor &input, const std::vector<int64_t> &dims, bool keepdim) {
  Recorder &rec = recorderOf("sum", {&input});
  std::vector<int64_t> reduced = normalizeDims(rec, "sum", dims, input.dim());
  if (reduced.empty())
    return input;
  ir::Dims shape;
  for (int64_t d = 0; d < input.dim(); ++d) {
    if (!std::count(reduced.begin(), reduced.end(), d))
      shape.push_back(input.size(d));
    else if (keepdim)
      shape.push_back(1);
  }
  return build<ir::SumOp>(rec, "sum", [&](std::string &) { return std::optional<ir::Dims>(shape); },
                          valueOf(input), reduced, keepdim);
}

SymTensor mean(const SymTensor &input, const std::vector<int64_t> &dims, bool keepdim) {
  Recorder &rec = recorderOf("mean", {&input});
  int64_t count = 1;
  for (int64_t d : normalizeDims(rec, "mean", dims, input.dim()))
    count *= input.size(d);
  return sum(input, dims, keepdim) / static_cast<double>(count);
}

SymTensor exp(const SymTensor &input) { return unaryOp<ir::ExpOp>("exp", input); }
SymTensor log(const SymTensor &input) { return unaryOp<ir::LogOp>("log", input); }
SymTensor sqrt(const SymTensor &input) { return unaryOp<ir::SqrtOp>("sqrt", input); }
SymTensor abs(const SymTensor &input) { return unaryOp<ir::AbsOp>("abs", input); }

SymTensor constant(const Tensor &value, const SymTensor &like) {
  Recorder &rec = recorderOf("constant", {&like});
  auto type = tensorTypeOf(rec.builder().getContext(), value.shape());
  auto attr = mlir::DenseElementsAttr::get(
      type, llvm::ArrayRef<float>(value.data(), static_cast<size_t>(value.numel())));
  return build<ir::ConstantOp>(
      rec, "constant", [&](std::string &) { return std::optional<ir::Dims>(value.shape()); }, attr);
}

SymTensor mse_loss(const SymTensor &input, const SymTensor &target, const std::string &reduction) {
  Recorder &rec = recorderOf("mse_loss", {&input, &target});
  checkReduction(rec, "mse_loss", reduction);
  SymTensor diff = input - target;
  return reduce(diff * diff, reduction);
}

SymTensor l1_loss(const SymTensor &input, const SymTensor &target, const std::string &reduction) {
  Recorder &rec = recorderOf("l1_loss", {&input, &target});
  checkReduction(rec, "l1_loss", reduction);
  return reduce(abs(input - target), reduction);
}

SymTensor nll_loss(const SymTensor &input, const SymTensor &target, const Tensor &weight,
                   int64_t ignore_index, const std::string &reduction) {
  Recorder &rec = recorderOf("nll_loss", {&input});
  checkReduction(rec, "nll_loss", reduction);
  SymTensor logp = classesLast(rec, "nll_loss", input, target);
  checkClassWeight(rec, "nll_loss", weight, input.size(1));
  auto [loss, weights] = nllTerms(rec, logp, target, weight, ignore_index);
  if (reduction == "mean")
    return sum(loss) / sum(weights);
  return reduction == "sum" ? sum(loss) : loss;
}

SymTensor cross_entropy(const SymTensor &input, const SymTensor &target, const Tensor &weight,
                        int64_t ignore_index, const std::string &reduction, double label_smoothing) {
  Recorder &rec = recorderOf("cross_entropy", {&input});
  checkReduction(rec, "cross_entropy", reduction);
  if (label_smoothing < 0 || label_smoothing > 1)
    rec.fail("cross_entropy", "label_smoothing must be between 0.0 and 1.0. Got: " +
                                  std::to_string(label_smoothing));
  SymTensor logp = log_softmax(classesLast(rec, "cross_entropy", input, target), -1);
  int64_t classes = input.size(1);
  checkClassWeight(rec, "cross_entropy", weight, classes);
  auto [loss, weights] = nllTerms(rec, logp, target, weight, ignore_index);
  if (label_smoothing > 0) {
    // The uniform part: -sum_c w_c logp_c per row, 0 where the target is ignored.
    SymTensor weighted = weight.defined() ? logp * constant(weight, logp) : logp;
    SymTensor kept = sum(oneHot(rec, target, classes, ignore_index), {-1});
    SymTensor smooth = -sum(weighted, {-1}) * kept;
    loss = loss * (1.0 - label_smoothing) + smooth * (label_smoothing / static_cast<double>(classes));
  }
  if (reduction == "mean")
    return sum(loss) / sum(weights);
  return reduction == "sum" ? sum(loss) : loss;
}

SymTensor binary_cross_entropy_with_logits(const SymTensor &input, const SymTensor &target,
                                           const Tensor &weight, const std::string &reduction,
                                           const Tensor &pos_weight) {
  Recorder &rec = recorderOf("binary_cross_entropy_with_logits", {&input, &target});
  checkReduction(rec, "binary_cross_entropy_with_logits", reduction);
  if (target.shape() != input.shape())
    rec.fail("binary_cross_entropy_with_logits",
             "Target size (" + ir::formatDims(target.shape()) +
                 ") must be the same as input size (" + ir::formatDims(input.shape()) + ")");
  // softplus(-x) = log(exp(-m) + exp(-x - m)) + m with m = max(-x, 0), stable for any x.
  SymTensor m = relu(-input);
  SymTensor softplus = log(exp(-m) + exp(-input - m)) + m;
  SymTensor logWeight = pos_weight.defined()
                            ? (constant(pos_weight, input) - 1.0) * target + 1.0
                            : scalar(1.0, input);
  SymTensor loss = (1.0 - target) * input + logWeight * softplus;
  if (weight.defined())
    loss = loss * constant(weight, input);
  return reduce(loss, reduction);
}

} // namespace nn::functional
} // namespace nncc
