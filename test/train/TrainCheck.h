// What the training tests share: the nn IR after autodiff, interpreted, and state with the
// compiler-added gradient and optimizer buffers.
#pragma once

#include "../layers/LayerCheck.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Registration.h"
#include "dialects/nn/NNOps.h"
#include "frontend/Training.h"
#include "frontend/nn.h"

namespace nncc::testing {

/// Runs autodiff on `module` in place: it then has @backward, and
/// @train_step when it was recorded with a loss.
inline void generateTraining(mlir::ModuleOp module) {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  module.getContext()->appendDialectRegistry(registry);
  CpuPipelineOptions options;
  options.stopAfter = CpuStage::Autodiff;
  options.train = true;
  runCpuPipeline(module, options);
}

/// copiedState, plus a zero tensor for every buffer the compiler declared
/// (grad.*, optim.*).
inline StateDict interpreterState(nn::Module &module, mlir::ModuleOp ir) {
  StateDict state = copiedState(module);
  for (auto buffer : ir.getOps<ir::BufferOp>())
    if (!state.contains(buffer.getSymName().str())) {
      auto shape = buffer.getType().getShape();
      state.insert(buffer.getSymName().str(), Tensor::zeros(Shape(shape.begin(), shape.end())));
    }
  return state;
}

} // namespace nncc::testing
