// In-process compilation: a Module tree or nn IR compiled with the CPU pipeline and run by the JIT.
#pragma once

#include "frontend/StateDict.h"
#include "frontend/Tensor.h"
#include "frontend/Trace.h"
#include "frontend/Training.h"
#include "compiler/Transforms/Fusion.h"
#include "runtime/Model.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
}

namespace nncc {
namespace nn {
class Module;
}

/// Checks `inputs` against `specs` (count and shapes; errors name `model` and `entry`) and returns
/// their data pointers. Index inputs arrive as f32 Tensors holding integers and are converted to
/// the int64 the code reads, kept in `indices`.
std::vector<const void *> bindInputs(const std::string &model, const char *entry,
                                     const std::vector<rt::TensorInfo> &specs,
                                     const std::vector<Tensor> &inputs,
                                     std::vector<std::vector<int64_t>> &indices);

/// `weights` as the runtime takes them (views of the tensors' data).
std::vector<rt::WeightView> weightViewsOf(const StateDict &weights);

/// What compileJit passes to the pipeline beyond the defaults (CpuPipelineOptions).
struct JitOptions {
  /// The recorded hook points kept: those whose path matches; none with stripHooks.
  std::string hookPoints = "*";
  bool stripHooks = false;
  FusionRules fusion;
};

/// A model compiled in-process: the same code `nncc compile` writes to an
/// object file, run through the runtime's Model. Not thread-safe (as
/// rt::Model); the weights are copied in at compile time.
class CompiledModel {
public:
  ~CompiledModel();
  /// Runs forward; throws nncc::Error when an input's shape is wrong.
  std::vector<Tensor> forward(const std::vector<Tensor> &inputs);
  /// Runs the generated backward on `inputs` (the forward is recomputed)
  /// with one gradient per forward output; see rt::Model::backward.
  void backward(const std::vector<Tensor> &inputs, const std::vector<Tensor> &grad_outputs,
                rt::GradMode mode = rt::GradMode::Accumulate);
  /// One compiled training step; returns the loss before the update.
  Tensor train_step(const std::vector<Tensor> &inputs, const Tensor &target);
  /// A copy of parameter `name`'s accumulated gradient.
  Tensor grad(const std::string &name) const;
  void zero_grad() { model_->zero_grad(); }
  /// The parameters and persistent buffers with their current values (a
  /// train-mode forward updates running statistics), as copies.
  StateDict state_dict() const;
  rt::Model &runtime() { return *model_; }

private:
  friend std::unique_ptr<CompiledModel> compileJit(mlir::ModuleOp, const StateDict &,
                                                   const std::string &, bool,
                                                   const JitOptions &);
  CompiledModel() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine_;
  std::unique_ptr<rt::Model> model_;
};

/// Compiles an nn module (consumed: it is lowered in place) with `weights`;
/// with `train`, also its backward and (when recorded with a loss) train step.
std::unique_ptr<CompiledModel> compileJit(mlir::ModuleOp module, const StateDict &weights,
                                          const std::string &name = "model", bool train = false,
                                          const JitOptions &options = {});

/// Records `module` on `inputs` (through `body` when given, as trace does)
/// in its current mode and compiles it, with the module's current
/// parameters and buffers as weights. Hook points (where the module tree
/// has hooks, and at paths matching `hookPoints`) run the module tree's
/// hooks (nn::bindModuleHooks), so `module` must outlive the result; more
/// callbacks can be attached through runtime().hooks().
std::unique_ptr<CompiledModel> compile(nn::Module &module, const std::vector<InputSpec> &inputs,
                                       const ForwardBody &body = nullptr,
                                       const std::string &hookPoints = "");

/// Records `module` for training (traceTraining) and compiles forward,
/// backward and train_step over its current parameters and buffers, with
/// its hooks bound as compile() binds them.
std::unique_ptr<CompiledModel> compileTraining(nn::Module &module, const TrainingSpec &spec);

} // namespace nncc
