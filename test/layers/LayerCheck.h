// Runs one layer case through the reference interpreter and the JIT and compares both with a
// PyTorch golden: <dir>/input.npy, <dir>/output.npy and, when present, <dir>/weights.safetensors.
#pragma once

#include "../e2e/TensorGolden.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "frontend/Trace.h"
#include "frontend/nn.h"

#include <filesystem>

namespace nncc::testing {

/// Loads the case's weights into `module` (strict), puts it in `training`
/// mode, records it on the golden input's shape, and checks that the
/// interpreter and the JIT both give the golden output within `rtol` and
/// agree with each other.
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
  StateDict state;
  for (auto &[key, t] : module.named_parameters())
    state.insert(key, t);
  for (auto &[key, t] : module.named_buffers())
    state.insert(key, t);
  Tensor reference = interpret(*traced.module, "forward", {x}, state)[0];
  EXPECT_TRUE(allClose(reference, expected, rtol)) << "interpreter vs PyTorch";
  Tensor compiled = compile(module, {{"x", x.shape()}})->forward({x})[0];
  EXPECT_TRUE(allClose(compiled, expected, rtol)) << "JIT vs PyTorch";
  EXPECT_TRUE(allClose(compiled, reference, rtol)) << "JIT vs interpreter";
}

} // namespace nncc::testing
