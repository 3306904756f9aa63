// Interpreter rules of batch_norm and dropout: the definitions the compiled code must match.
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/NNOps.h"

#include <cmath>

namespace nncc::interp {
namespace {

std::vector<Tensor> batchNorm(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::BatchNormOp>(operation);
  // Operands come in declaration order, absent optionals skipped.
  size_t next = 1;
  auto take = [&](mlir::Value v) { return v ? in[next++] : Tensor(); };
  const Tensor &x = in[0];
  Tensor runningMean = take(op.getRunningMean()), runningVar = take(op.getRunningVar());
  Tensor count = take(op.getNumBatchesTracked());
  Tensor weight = take(op.getWeight()), bias = take(op.getBias());
  const Shape &shape = x.shape();
  int64_t channels = shape[1], outer = shape[0], inner = x.numel() / (outer * channels);
  double n = static_cast<double>(outer * inner);
  double eps = op.getEps().convertToDouble();
  bool batchStats = op.getTraining() || !runningMean.defined();

  std::vector<double> mean(channels), var(channels);
  for (int64_t c = 0; c < channels; ++c) {
    if (!batchStats) {
      mean[c] = runningMean.data()[c];
      var[c] = runningVar.data()[c];
      continue;
    }
    double sum = 0, squares = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i)
        sum += x.data()[(o * channels + c) * inner + i];
    mean[c] = sum / n;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        double d = x.data()[(o * channels + c) * inner + i] - mean[c];
        squares += d * d;
      }
    var[c] = squares / n;
  }
  Tensor y = Tensor::empty(shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t at = (o * channels + c) * inner + i;
        double r = (x.data()[at] - mean[c]) / std::sqrt(var[c] + eps);
        if (weight.defined())
          r = r * weight.data()[c] + bias.data()[c];
        y.data()[at] = static_cast<float>(r);
      }
  std::vector<Tensor> results{y};
  if (op.getUpdatedStats().empty())
    return results;
  double newCount = count.defined() ? count.data()[0] + 1.0 : 0.0;
  double factor = op.getMomentum() ? op.getMomentum()->convertToDouble() : 1.0 / newCount;
  double unbias = n > 1 ? n / (n - 1) : 1.0;
  Tensor newMean = Tensor::empty({channels}), newVar = Tensor::empty({channels});
  for (int64_t c = 0; c < channels; ++c) {
    newMean.data()[c] = static_cast<float>((1 - factor) * runningMean.data()[c] + factor * mean[c]);
    newVar.data()[c] = static_cast<float>((1 - factor) * runningVar.data()[c] + factor * var[c] * unbias);
  }
  results.push_back(newMean);
  results.push_back(newVar);
  if (count.defined())
    results.push_back(Tensor::full({}, static_cast<float>(newCount)));
  return results;
}

/// splitmix64's finalizer, as nn.dropout defines its mask.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::vector<Tensor> dropout(mlir::Operation *operation, const std::vector<Tensor> &in) {
  auto op = mlir::cast<ir::DropoutOp>(operation);
  double p = op.getP().convertToDouble();
  auto seed = static_cast<uint64_t>(op.getSeed());
  if (op.getStep())
    seed += static_cast<uint64_t>(static_cast<int64_t>(in[1].data()[0])) * ir::kDropoutStepStride;
  float p32 = static_cast<float>(p), scale = p < 1 ? static_cast<float>(1.0 / (1.0 - p)) : 0.0f;
  Tensor y = Tensor::empty(in[0].shape());
  for (int64_t i = 0; i < y.numel(); ++i) {
    uint64_t bits = mix(seed + static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ULL) >> 40;
    float u = static_cast<float>(bits) * (1.0f / 16777216.0f);
    y.data()[i] = u < p32 ? 0.0f : (p < 1 ? in[0].data()[i] * scale : 0.0f);
  }
  return {y};
}

} // namespace

void addModeRules(RuleTable &table) {
  table[ir::BatchNormOp::getOperationName()] = batchNorm;
  table[ir::DropoutOp::getOperationName()] = dropout;
}

} // namespace nncc::interp
