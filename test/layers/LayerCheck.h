// Runs one layer case through the reference interpreter and the JIT and compares both with a
// PyTorch golden: <dir>/input.npy, <dir>/output.npy and, when present, <dir>/weights.safetensors.
#pragma once

#include "../cuda/CudaEmulation.h"
#include "../e2e/TensorGolden.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "frontend/Trace.h"
#include "frontend/nn.h"

#include <algorithm>
#include <filesystem>

namespace nncc::testing {

/// Every parameter and buffer of `module` by key, as fresh copies, so a
/// train-mode run does not change the module.
inline StateDict copiedState(nn::Module &module) {
  StateDict state;
  for (auto &[key, t] : module.named_parameters())
    if (t.defined())
      state.insert(key, t.clone());
  for (auto &[key, t] : module.named_buffers())
    if (t.defined())
      state.insert(key, t.clone());
  return state;
}

/// Loads the case's weights into `module` (strict), puts it in `training`
/// mode, records it on the golden input's shape, and checks that the
/// interpreter and the JIT both give the golden output within `rtol` and
/// agree with each other. When the case has state_after.safetensors (the
/// state_dict after PyTorch's forward, e.g. updated running statistics), the
/// state both leave behind is checked against it too. The CUDA target's code, run under host
/// emulation, must give the same output and state.
inline void checkLayer(nn::Module &module, const std::string &caseDir, bool training = false,
                       double rtol = 1e-5) {
  SCOPED_TRACE(caseDir);
  std::string dir = golden(caseDir);
  if (std::filesystem::exists(dir + "/weights.safetensors"))
    module.load_state_dict(load_safetensors(dir + "/weights.safetensors"));
  module.train(training);
  Tensor x = loadTensor(dir + "/input.npy");
  Tensor expected = loadTensor(dir + "/output.npy");
  TracedModel traced = trace(module, {{"x", x.shape()}});
  StateDict state = copiedState(module);
  Tensor reference = interpret(*traced.module, "forward", {x}, state)[0];
  EXPECT_TRUE(allClose(reference, expected, rtol)) << "interpreter vs PyTorch";
  auto jit = compile(module, {{"x", x.shape()}});
  Tensor compiled = jit->forward({x})[0];
  EXPECT_TRUE(allClose(compiled, expected, rtol)) << "JIT vs PyTorch";
  EXPECT_TRUE(allClose(compiled, reference, rtol)) << "JIT vs interpreter";
  TracedModel forCuda = trace(module, {{"x", x.shape()}});
  CudaArtifact cuda = cudaOf(*forCuda.module, false);
  std::string emulationName = caseDir;
  std::replace(emulationName.begin(), emulationName.end(), '/', '_');
  std::unique_ptr<rt::CudaModel> onCuda = cudaModel(
      cuda, copiedState(module), std::make_unique<EmulatedDevice>(cuda.program.source, emulationName));
  ASSERT_NE(onCuda, nullptr);
  std::map<std::string, Tensor> cudaResults = runEntry(*onCuda, "forward", {x});
  ASSERT_TRUE(cudaResults.count("output0")) << "CUDA emulation gave no output";
  EXPECT_TRUE(allClose(cudaResults["output0"], expected, rtol)) << "CUDA (emulated) vs PyTorch";
  checkPtx(cuda.program.source, emulationName);
  if (!std::filesystem::exists(dir + "/state_after.safetensors"))
    return;
  StateDict after = load_safetensors(dir + "/state_after.safetensors");
  for (const auto &[key, want] : after)
    if (cudaResults.count(key))
      EXPECT_TRUE(allClose(cudaResults[key], want, rtol)) << "CUDA (emulated) state " << key;
  StateDict jitState = jit->state_dict();
  for (const auto &[key, want] : after) {
    ASSERT_TRUE(state.contains(key)) << key;
    EXPECT_TRUE(allClose(state.at(key), want, rtol)) << "interpreter state " << key;
    ASSERT_TRUE(jitState.contains(key)) << key;
    EXPECT_TRUE(allClose(jitState.at(key), want, rtol)) << "JIT state " << key;
  }
}

} // namespace nncc::testing
