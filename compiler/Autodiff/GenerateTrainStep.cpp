// nncc-generate-train-step: @train_forward (model + loss) becomes @train_step, which also
// differentiates the loss and applies the optimizer to every trainable parameter.
#include "compiler/Autodiff/Autodiff.h"
#include "compiler/Autodiff/Optimizers.h"
#include "compiler/Passes.h"
#include "dialects/nn/gradients/GradientUtils.h"

namespace nncc {
#define GEN_PASS_DEF_GENERATETRAINSTEP
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct GenerateTrainStepPass : impl::GenerateTrainStepBase<GenerateTrainStepPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // A model recorded without a loss has no train step, only a backward.
    auto step = module.lookupSymbol<func::FuncOp>("train_forward");
    if (!step || step.isExternal())
      return;
    Block &body = step.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    auto scalar = RankedTensorType::get({}, Float32Type::get(&getContext()));
    if (ret.getNumOperands() != 1 || ret.getOperand(0).getType() != scalar) {
      step.emitOpError("must return the loss as one tensor<f32>");
      return signalPassFailure();
    }
    step.setSymName("train_step");

    // Each step draws new dropout masks: the step counter offsets their seeds
    // (the backward rule passes it on, so a step's backward uses its mask).
    StateDecls state(module);
    SmallVector<ir::DropoutOp> dropouts;
    step.walk([&](ir::DropoutOp op) {
      if (!op.getStep())
        dropouts.push_back(op);
    });
    if (!dropouts.empty()) {
      OpBuilder top(&body, body.begin());
      Value counter = state.read(top, step.getLoc(), "optim.step", scalar);
      for (ir::DropoutOp op : dropouts)
        op.getStepMutable().assign(counter);
    }

    OpBuilder b(ret);
    Value loss = ret.getOperand(0);
    ir::grad::GradBuilder g(b, loss.getLoc());
    SmallVector<Value> sources;
    SmallVector<ParameterReads> params = parameterReads(module, step, sources);
    auto grads = differentiate(step, sources, {{loss, g.constant(1.0)}}, b);
    if (failed(grads))
      return signalPassFailure();

    auto optimizer = OptimizerBuilder::create(module, b, state);
    if (failed(optimizer))
      return signalPassFailure();
    for (auto &[param, reads] : params) {
      Value total = totalGradient(b, reads, *grads);
      if (!total)
        continue;
      std::string key = ir::kGradPrefix + param.getSymName().str();
      if (Operation *def = total.getDefiningOp(); def && def->getNumResults() == 1)
        def->setLoc(NameLoc::get(b.getStringAttr(key), def->getLoc()));
      // The step's gradients stay inspectable, as p.grad after
      // zero_grad(), backward() and step() in PyTorch.
      if (module.lookupSymbol(key))
        state.write(b, total.getLoc(), key, total);
      optimizer->update(param.getSymName(), reads.front(), total);
    }
    eraseDeadOps(step);
  }
};

} // namespace
} // namespace nncc
