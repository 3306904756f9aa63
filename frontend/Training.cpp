// traceTraining: forward and train_forward recorded by one Recorder, so they share declarations.
#include "frontend/Training.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"
#include "frontend/Module.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace nncc {

TracedModel traceTraining(nn::Module &module, const TrainingSpec &spec) {
  if (!spec.loss)
    throw Error("traceTraining(" + module.name() + "): no loss function given");
  TracedModel traced;
  traced.context = makeRecordingContext();
  mlir::OpBuilder b(traced.context.get());
  traced.module = mlir::ModuleOp::create(b.getUnknownLoc());
  (*traced.module)->setAttr(ir::kOptimizerAttr, optim::toAttribute(traced.context.get(), spec.optimizer));
  Recorder recorder(module, *traced.module);
  recorder.setHookPoints(spec.hook_points);
  recorder.record("forward", spec.inputs, spec.body);
  traced.calls = recorder.calls();

  bool wasTraining = module.is_training();
  module.train(true);
  struct RestoreMode {
    nn::Module &module;
    bool training;
    ~RestoreMode() { module.train(training); }
  } restore{module, wasTraining};
  std::vector<InputSpec> inputs = spec.inputs;
  inputs.push_back(spec.target);
  size_t numInputs = spec.inputs.size();
  recorder.record("train_forward", inputs, [&](const std::vector<SymTensor> &args) {
    std::vector<SymTensor> modelInputs(args.begin(), args.begin() + numInputs);
    SymTensor output = spec.body ? spec.body(modelInputs).at(0) : module(modelInputs.at(0));
    SymTensor loss = spec.loss(output, args.back());
    if (!loss.defined() || loss.dim() != 0)
      throw Error("traceTraining(" + module.name() + "): the loss must be a scalar, got shape " +
                  (loss.defined() ? ir::formatDims(loss.shape()) : std::string("none")));
    return std::vector<SymTensor>{loss};
  });
  verifyRecorded(traced, module.name());
  return traced;
}

} // namespace nncc
