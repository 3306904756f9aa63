// nncc-generate-backward: @backward recomputes @forward and accumulates each trainable
// parameter's gradient into its grad.<name> buffer.
#include "compiler/Autodiff/Autodiff.h"
#include "compiler/Autodiff/StateDecls.h"
#include "compiler/Passes.h"
#include "dialects/nn/gradients/GradientUtils.h"

namespace nncc {
#define GEN_PASS_DEF_GENERATEBACKWARD
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct GenerateBackwardPass : impl::GenerateBackwardBase<GenerateBackwardPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto forward = module.lookupSymbol<func::FuncOp>("forward");
    if (!forward || forward.isExternal()) {
      module.emitError("no @forward to differentiate");
      return signalPassFailure();
    }
    if (module.lookupSymbol("backward")) {
      module.emitError("the module already has a @backward");
      return signalPassFailure();
    }
    auto backward = forward.clone();
    backward.setSymName("backward");
    module.getBody()->getOperations().insertAfter(Block::iterator(forward), backward);
    // The forward already updated the running statistics; recomputing it
    // must not update them again.
    backward.walk([](ir::AssignOp assign) { assign.erase(); });

    Block &body = backward.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    SmallVector<std::pair<Value, Value>> seeds;
    for (auto [i, output] : llvm::enumerate(ret.getOperands())) {
      unsigned index = backward.getNumArguments();
      backward.insertArgument(index, output.getType(), {}, output.getLoc());
      backward.setArgAttr(index, kNameAttr,
                          StringAttr::get(&getContext(), "grad_output" + std::to_string(i)));
      seeds.push_back({output, body.getArgument(index)});
    }

    SmallVector<Value> sources;
    SmallVector<ParameterReads> params = parameterReads(module, backward, sources);
    OpBuilder b(ret);
    auto grads = differentiate(backward, sources, seeds, b);
    if (failed(grads))
      return signalPassFailure();

    StateDecls state(module);
    for (auto &[param, reads] : params) {
      Value total = totalGradient(b, reads, *grads);
      if (!total)
        continue;
      std::string key = ir::kGradPrefix + param.getSymName().str();
      Value old = state.read(b, total.getLoc(), key, param.getType());
      Location named = NameLoc::get(b.getStringAttr(key), total.getLoc());
      Value sum = b.create<ir::AddOp>(named, param.getType(), old, total);
      state.write(b, total.getLoc(), key, sum);
    }
    b.create<func::ReturnOp>(ret.getLoc());
    ret.erase();
    backward.setType(FunctionType::get(&getContext(), backward.getArgumentTypes(), {}));
    eraseDeadOps(backward);
  }
};

} // namespace
} // namespace nncc
