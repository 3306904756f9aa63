// The hook goldens' model (make_hook_goldens.py) and the three ways the tests run it with hooks:
// the reference interpreter with bound hooks, JIT-compiled code, and the CUDA target under host
// emulation (its hook points run the callbacks on host copies).
#pragma once

#include "test/train/TrainCheck.h"
#include "frontend/HookBinding.h"
#include "test/cuda/CudaEmulation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <gtest/gtest.h>

namespace nncc::testing {

/// Sequential(Conv2d(3, 4, 3, padding=1), ReLU(), Flatten(), Linear(64, 5)) with the golden
/// weights, in eval mode.
inline std::shared_ptr<nn::Sequential> hookModel() {
  auto model = std::make_shared<nn::Sequential>(std::vector<std::shared_ptr<nn::Module>>{
      std::make_shared<nn::Conv2d>(3, 4, 3, 1, 1), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(64, 5)});
  model->load_state_dict(load_safetensors(golden("hook/weights.safetensors")));
  model->eval();
  return model;
}

inline Tensor hookInput() { return loadTensor(golden("hook/input.npy")); }
inline const Shape kHookInputShape{2, 3, 4, 4};

enum class Backend { Interpreter, Compiled, CudaEmulated };

inline std::string backendName(const ::testing::TestParamInfo<Backend> &info) {
  return info.param == Backend::Interpreter ? "Interpreter"
         : info.param == Backend::Compiled  ? "Compiled"
                                            : "CudaEmulated";
}

/// `model` recorded (with hook points at `hookPoints`) and compiled for CUDA, on the host
/// emulation, with the module tree's hooks bound.
inline std::unique_ptr<rt::CudaModel> cudaWithHooks(nn::Module &model, const Tensor &x, bool train,
                                                    const std::string &hookPoints = "") {
  TracedModel traced = trace(model, {{"x", x.shape()}}, nullptr, hookPoints);
  CudaArtifact artifact = cudaOf(*traced.module, train);
  auto onCuda = cudaModel(artifact, copiedState(model),
                          std::make_unique<EmulatedDevice>(artifact.program.source, train ? "hooked_train" : "hooked"));
  if (onCuda)
    nn::bindModuleHooks(model, onCuda->hooks());
  return onCuda;
}

/// Forward of `model` on `x`, with the module tree's hooks (and hook points at `hookPoints`).
inline Tensor forwardWithHooks(Backend backend, nn::Module &model, const Tensor &x,
                               const std::string &hookPoints = "") {
  if (backend == Backend::Compiled)
    return compile(model, {{"x", x.shape()}}, nullptr, hookPoints)->forward({x})[0];
  if (backend == Backend::CudaEmulated) { // throws the model's error, as the JIT's forward does
    auto onCuda = cudaWithHooks(model, x, false, hookPoints);
    if (!onCuda)
      throw Error("the CUDA model did not load");
    Tensor y = Tensor::empty(onCuda->outputs()[0].shape);
    const void *inputs[] = {x.data()};
    float *outputs[] = {y.data()};
    if (rt::Status s = onCuda->forward(inputs, outputs); !s.ok())
      throw Error(s.message());
    return y;
  }
  TracedModel traced = trace(model, {{"x", x.shape()}}, nullptr, hookPoints);
  rt::Hooks hooks;
  nn::bindModuleHooks(model, hooks);
  return interpret(*traced.module, "forward", {x}, copiedState(model), &hooks)[0];
}

/// The gradient of every trainable parameter of sum(model(x)), by key, with the tree's hooks.
inline std::map<std::string, Tensor> gradientsWithHooks(Backend backend, nn::Module &model,
                                                        const Tensor &x) {
  std::map<std::string, Tensor> grads;
  if (backend == Backend::Compiled) {
    TracedModel traced = trace(model, {{"x", x.shape()}});
    auto jit = compileJit(*traced.module, copiedState(model), "hooked", /*train=*/true);
    nn::bindModuleHooks(model, jit->runtime().hooks());
    const auto &out = jit->runtime().outputs()[0].shape;
    jit->backward({x}, {Tensor::ones(out)});
    for (auto &[key, param] : model.named_parameters())
      grads[key] = jit->grad(key);
    return grads;
  }
  if (backend == Backend::CudaEmulated) {
    auto onCuda = cudaWithHooks(model, x, true);
    if (!onCuda)
      return grads;
    auto results = runEntry(*onCuda, "backward", {x, Tensor::ones(onCuda->outputs()[0].shape)});
    for (auto &[key, param] : model.named_parameters())
      grads[key] = results["grad." + key];
    return grads;
  }
  TracedModel traced = trace(model, {{"x", x.shape()}});
  generateTraining(*traced.module);
  StateDict state = interpreterState(model, *traced.module);
  rt::Hooks hooks;
  nn::bindModuleHooks(model, hooks);
  auto forward = traced.module->lookupSymbol<mlir::func::FuncOp>("forward");
  auto outType = mlir::cast<mlir::RankedTensorType>(forward.getResultTypes()[0]);
  interpret(*traced.module, "backward",
            {x, Tensor::ones(Shape(outType.getShape().begin(), outType.getShape().end()))}, state,
            &hooks);
  for (auto &[key, param] : model.named_parameters())
    grads[key] = state.at("grad." + key);
  return grads;
}

} // namespace nncc::testing
