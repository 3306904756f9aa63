// The CUDA target without a GPU. The four reference models' generated CUDA C is compiled as host
// C++ under the emulation header and run kernel by kernel from the launch plan; forward (eval and
// train mode) and the generated backward must match the reference interpreter. Where the CUDA
// toolkit was found, the same source goes through NVRTC to PTX for compute_80 and compute_90,
// and ptxas assembles it for sm_90.
#include "test/ReferenceModels.h"
#include "test/cuda/CudaEmulation.h"
#include "test/train/TrainCheck.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace nncc::testing {
namespace {

struct Case {
  std::string name;
  std::function<std::shared_ptr<nn::Module>()> build;
  Shape input;
};

std::vector<Case> cases() {
  return {{"mlp", [] { return std::shared_ptr<nn::Module>(mlp()); }, {4, 16}},
          {"cnn", [] { return std::shared_ptr<nn::Module>(cnn()); }, {2, 3, 8, 8}},
          {"resnet", [] { return std::shared_ptr<nn::Module>(resnetBlocks()); }, {1, 8, 6, 6}},
          {"encoder", [] { return std::shared_ptr<nn::Module>(encoderLayer()); }, {2, 5, 8}}};
}

Tensor randomInput(const Shape &shape) {
  manual_seed(11);
  return nn::init::uniform_(Tensor::empty(shape), -1, 1);
}

/// A model with seeded weights and BatchNorm statistics that are not the identity.
std::shared_ptr<nn::Module> seeded(const Case &c) {
  manual_seed(5);
  auto model = c.build();
  for (auto &[key, buffer] : model->named_buffers())
    if (key.find("running_mean") != std::string::npos)
      nn::init::uniform_(buffer, -0.5, 0.5);
    else if (key.find("running_var") != std::string::npos)
      nn::init::uniform_(buffer, 0.5, 2.0);
  return model;
}

/// The shape of @forward's first result.
Shape forwardOutputShape(mlir::ModuleOp module) {
  auto type = mlir::cast<mlir::RankedTensorType>(
      module.lookupSymbol<mlir::func::FuncOp>("forward").getResultTypes()[0]);
  return Shape(type.getShape().begin(), type.getShape().end());
}

class CudaEmulation : public ::testing::TestWithParam<Case> {};

TEST_P(CudaEmulation, ForwardMatchesTheInterpreterInEvalAndTrainMode) {
  const Case &c = GetParam();
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "train mode" : "eval mode");
    auto model = seeded(c);
    model->train(training);
    Tensor x = randomInput(c.input);
    TracedModel traced = trace(*model, {{"x", c.input}});
    StateDict state = copiedState(*model);
    Tensor expected = interpret(*traced.module, "forward", {x}, copiedState(*model))[0];
    CudaArtifact artifact = cudaOf(*traced.module, false);
    Emulation emu(artifact.program.source, c.name + (training ? "_train" : "_eval"));
    auto results = runEmulated(artifact, emu, "forward", {x}, state);
    ASSERT_TRUE(results.count("output0"));
    EXPECT_TRUE(allClose(results["output0"], expected, 1e-5));
  }
}

TEST_P(CudaEmulation, GeneratedBackwardMatchesTheInterpreter) {
  const Case &c = GetParam();
  auto model = seeded(c);
  model->eval();
  Tensor x = randomInput(c.input);
  TracedModel traced = trace(*model, {{"x", c.input}});
  mlir::OwningOpRef<mlir::ModuleOp> forCuda = traced.module->clone();
  generateTraining(*traced.module);
  StateDict state = interpreterState(*model, *traced.module);
  Tensor gradOut = randomInput(forwardOutputShape(*traced.module));
  interpret(*traced.module, "backward", {x, gradOut}, state);

  CudaArtifact artifact = cudaOf(*forCuda, true);
  Emulation emu(artifact.program.source, c.name + "_backward");
  auto results = runEmulated(artifact, emu, "backward", {x, gradOut}, interpreterState(*model, *traced.module));
  int checked = 0;
  for (auto &[key, param] : model->named_parameters()) {
    std::string name = "grad." + key;
    ASSERT_TRUE(results.count(name)) << name;
    EXPECT_TRUE(allClose(results[name], state.at(name), 1e-4)) << name;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_P(CudaEmulation, NvrtcCompilesToPtxAndPtxasAssemblesIt) {
  if (!haveNvrtc())
    GTEST_SKIP() << "built without the CUDA toolkit";
  const Case &c = GetParam();
  auto model = seeded(c);
  model->eval();
  TracedModel traced = trace(*model, {{"x", c.input}});
  CudaArtifact artifact = cudaOf(*traced.module, true);
  EXPECT_NE(compileToPtx(artifact.program.source, "compute_90").find(".entry nncc_k0"),
            std::string::npos);
  checkPtx(artifact.program.source, c.name);
}

TEST_P(CudaEmulation, TrainStepMatchesTheInterpreterOverThreeSteps) {
  const Case &c = GetParam();
  auto model = seeded(c);
  model->train();
  Tensor x = randomInput(c.input);
  Shape outShape = forwardOutputShape(*trace(*model, {{"x", c.input}}).module);
  Tensor target = randomInput(outShape);
  TrainingSpec spec;
  spec.inputs = {{"x", c.input}};
  spec.target = {"t", outShape};
  spec.loss = [](const SymTensor &y, const SymTensor &t) { return nn::functional::mse_loss(y, t); };
  // SGD with momentum: Adam's update is lr * sign(g) for gradients near zero, so rounding in the
  // last bit of such a gradient would flip a weight's step.
  spec.optimizer = optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-3);
  TracedModel traced = traceTraining(*model, spec);
  mlir::OwningOpRef<mlir::ModuleOp> forCuda = traced.module->clone();
  generateTraining(*traced.module);
  StateDict expected = interpreterState(*model, *traced.module);
  StateDict emulated = interpreterState(*model, *traced.module);

  CudaArtifact artifact = cudaOf(*forCuda, true);
  Emulation emu(artifact.program.source, c.name + "_train_step");
  for (int step = 0; step < 3; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    Tensor loss = interpret(*traced.module, "train_step", {x, target}, expected)[0];
    auto results = runEmulated(artifact, emu, "train_step", {x, target}, emulated);
    ASSERT_TRUE(results.count("output0"));
    EXPECT_TRUE(allClose(results["output0"], loss, 1e-4)) << "loss";
    // The step's new parameters, buffers and optimizer state, as the runtime copies them back.
    for (auto &[name, value] : results)
      if (name != "output0" && emulated.contains(name))
        Tensor(emulated.at(name)).copy_(value); // copies share storage with the state
  }
  for (auto &[key, param] : model->named_parameters())
    EXPECT_TRUE(allClose(emulated.at(key), expected.at(key), 1e-4)) << key;
}

INSTANTIATE_TEST_SUITE_P(ReferenceModels, CudaEmulation, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &info) { return info.param.name; });

TEST(CudaTarget, HookPointsAreAClearError) {
  auto model = seeded(cases()[0]);
  TracedModel traced = trace(*model, {{"x", {4, 16}}}, nullptr, "*");
  std::string error = errorOf([&] { cudaOf(*traced.module, false); });
  EXPECT_NE(error.find("hook points do not run on the CUDA target yet; compile with --strip-hooks"),
            std::string::npos)
      << error;
}

} // namespace
} // namespace nncc::testing
