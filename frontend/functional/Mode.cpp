// Recording batch_norm (with the running-statistics update as nn.assign) and dropout.
#include "frontend/functional/Mode.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/PyRepr.h"
#include "frontend/Random.h"
#include "frontend/functional/Record.h"

namespace nncc::nn::functional {

using namespace functional_detail;

SymTensor batch_norm_tracked(const SymTensor &input, const Tensor &running_mean,
                             const Tensor &running_var, const Tensor &num_batches_tracked,
                             const SymTensor &weight, const SymTensor &bias, bool training,
                             std::optional<double> momentum, double eps) {
  Recorder &rec = recorderOf("batch_norm", {&input});
  if (input.dim() < 2)
    rec.fail("batch_norm", "input must be [N, C, ...], got " + ir::formatDims(input.shape()));
  bool running = running_mean.defined() && running_var.defined();
  bool useBatchStats = training || !running;
  if (useBatchStats && input.numel() / input.size(1) <= 1)
    rec.fail("batch_norm", "Expected more than 1 value per channel when training, got input size " +
                               ir::formatDims(input.shape()));
  SymTensor mean, var, count;
  if (running) {
    mean = SymTensor(running_mean);
    var = SymTensor(running_var);
    if (num_batches_tracked.defined())
      count = SymTensor(num_batches_tracked);
  }
  Shape channels{input.size(1)};
  auto checkChannels = [&](const char *what, const Shape &shape) {
    if (shape != channels)
      rec.fail("batch_norm", std::string(what) + " " + ir::formatDims(shape) +
                                 " does not match the channels of input " +
                                 ir::formatDims(input.shape()));
  };
  if (running) {
    checkChannels("running_mean", running_mean.shape());
    checkChannels("running_var", running_var.shape());
  }
  if (weight.defined())
    checkChannels("weight", weight.shape());
  if (bias.defined())
    checkChannels("bias", bias.shape());
  if (count.defined() && !num_batches_tracked.shape().empty())
    rec.fail("batch_norm", "num_batches_tracked must be a scalar, got " +
                               ir::formatDims(num_batches_tracked.shape()));
  if (weight.defined() != bias.defined())
    rec.fail("batch_norm", "weight and bias must both be given or both be None");
  if (running && training && !momentum && !count.defined())
    rec.fail("batch_norm", "a cumulative average (momentum=None) needs num_batches_tracked");

  bool updates = running && training;
  mlir::OpBuilder &b = rec.builder();
  mlir::MLIRContext *ctx = b.getContext();
  llvm::SmallVector<mlir::Type> resultTypes{tensorTypeOf(ctx, input.shape())};
  if (updates) {
    resultTypes.push_back(tensorTypeOf(ctx, running_mean.shape()));
    resultTypes.push_back(tensorTypeOf(ctx, running_var.shape()));
    if (count.defined())
      resultTypes.push_back(tensorTypeOf(ctx, num_batches_tracked.shape()));
  }
  auto value = [](const SymTensor &t) { return t.defined() ? valueOf(t) : mlir::Value(); };
  auto op = b.create<ir::BatchNormOp>(
      rec.location(), mlir::TypeRange(resultTypes), valueOf(input), value(mean), value(var),
      value(count), value(weight), value(bias), b.getF64FloatAttr(eps),
      momentum ? b.getF64FloatAttr(*momentum) : mlir::FloatAttr(),
      training ? b.getUnitAttr() : mlir::UnitAttr());
  if (updates) {
    auto result = [&](unsigned i, const Shape &shape) {
      return SymTensor(&rec, op->getResult(i).getAsOpaquePointer(), shape);
    };
    rec.assign(running_mean, result(1, running_mean.shape()));
    rec.assign(running_var, result(2, running_var.shape()));
    if (count.defined())
      rec.assign(num_batches_tracked, result(3, num_batches_tracked.shape()));
  }
  return SymTensor(&rec, op.getResult().getAsOpaquePointer(), input.shape());
}

SymTensor batch_norm(const SymTensor &input, const Tensor &running_mean, const Tensor &running_var,
                     const SymTensor &weight, const SymTensor &bias, bool training, double momentum,
                     double eps) {
  return batch_norm_tracked(input, running_mean, running_var, Tensor(), weight, bias, training,
                            momentum, eps);
}

SymTensor dropout(const SymTensor &input, double p, bool training) {
  Recorder &rec = recorderOf("dropout", {&input});
  if (!(p >= 0 && p <= 1))
    rec.fail("dropout", "dropout probability has to be between 0 and 1, but got " + pyFloat(p));
  if (!training || p == 0)
    return input;
  auto seed = static_cast<int64_t>(Generator::global().random64());
  return build<ir::DropoutOp>(
      rec, "dropout", [&](std::string &) { return std::optional<ir::Dims>(input.shape()); },
      valueOf(input), mlir::Value(), rec.builder().getF64FloatAttr(p), rec.builder().getI64IntegerAttr(seed));
}

} // namespace nncc::nn::functional
