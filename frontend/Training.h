// Recording a model for training: its forward, and its forward in train mode followed by a loss,
// with the optimizer the compiled train step applies.
#pragma once

#include "frontend/Optim.h"
#include "frontend/Trace.h"

namespace nncc {

/// The loss of a model's output against a target, e.g. F::cross_entropy.
using LossFn = std::function<SymTensor(const SymTensor &output, const SymTensor &target)>;

/// What a train step needs besides the model.
struct TrainingSpec {
  /// The model's inputs, as for trace().
  std::vector<InputSpec> inputs;
  /// The target the loss compares the output with (DType::i64 for class indices).
  InputSpec target;
  LossFn loss;
  optim::Options optimizer = optim::SGDOptions(0.01);
  /// For models whose forward takes several inputs, as for trace(); the
  /// first output goes to the loss.
  ForwardBody body = nullptr;
  /// Hook points of every kind at the module paths and parameter keys matching this glob, as
  /// for trace().
  std::string hook_points;
};

/// Records `@forward` in the module's current mode, and `@train_forward(inputs...,
/// target) -> loss` in train mode (the module's mode is restored after),
/// with the optimizer as the module attribute `nn.optimizer`. Compiling
/// with training on (CpuPipelineOptions::train, `nncc compile --mode=train`)
/// turns the latter into `@train_step`. Throws nncc::Error on a bad spec,
/// naming the module path where recording failed.
TracedModel traceTraining(nn::Module &module, const TrainingSpec &spec);

} // namespace nncc
