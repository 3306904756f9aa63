// The CUDA target's four reference models through the runtime's rt::CudaModel: forward (eval and
// train mode), the generated backward and three train steps must match the reference
// interpreter.
// - Emulated/...: on the host emulation of the generated CUDA C (GEMMs on its host GEMM), on any
//   machine. Where the CUDA toolkit was found, the same source also goes through NVRTC to PTX
//   and CUBINs, and ptxas assembles the PTX for sm_90.
// - Gpu/...: the same checks on cuda:0 (kernels from NVRTC's images, GEMMs on cuBLAS); skipped
//   without a driver and a GPU. CTest runs them as their own test, labelled gpu.
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

/// Where the model runs: the host emulation, or the GPU.
enum class Backend { Emulated, Gpu };

class CudaTarget : public ::testing::TestWithParam<std::tuple<Backend, Case>> {
protected:
  const Case &model() const { return std::get<1>(GetParam()); }
  /// `artifact` as an rt::CudaModel with weights from `state` on this test's backend; nullptr
  /// (the test skips) where there is no GPU.
  std::unique_ptr<rt::CudaModel> load(const CudaArtifact &artifact, const StateDict &state,
                                      const std::string &name) {
    std::unique_ptr<rt::CudaDevice> device;
    if (std::get<0>(GetParam()) == Backend::Emulated)
      device = std::make_unique<EmulatedDevice>(artifact.program.source, name);
    else if (!(device = gpuDevice(artifact, &skipped_)))
      return nullptr;
    return cudaModel(artifact, state, std::move(device));
  }
  std::string skipped_;
};

/// Skips the test where load() found no GPU.
#define LOAD_OR_SKIP(model, ...)                                                                   \
  auto model = load(__VA_ARGS__);                                                                  \
  if (!model) {                                                                                    \
    if (!skipped_.empty())                                                                         \
      GTEST_SKIP() << skipped_;                                                                    \
    FAIL() << "the model did not load";                                                            \
  }

TEST_P(CudaTarget, ForwardMatchesTheInterpreterInEvalAndTrainMode) {
  const Case &c = model();
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "train mode" : "eval mode");
    auto model = seeded(c);
    model->train(training);
    Tensor x = randomInput(c.input);
    TracedModel traced = trace(*model, {{"x", c.input}});
    StateDict state = copiedState(*model);
    Tensor expected = interpret(*traced.module, "forward", {x}, copiedState(*model))[0];
    CudaArtifact artifact = cudaOf(*traced.module, false);
    LOAD_OR_SKIP(onCuda, artifact, state, c.name + (training ? "_train" : "_eval"));
    auto results = runEntry(*onCuda, "forward", {x});
    ASSERT_TRUE(results.count("output0"));
    EXPECT_TRUE(allClose(results["output0"], expected, 1e-5));
  }
}

TEST_P(CudaTarget, GeneratedBackwardMatchesTheInterpreter) {
  const Case &c = model();
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
  LOAD_OR_SKIP(onCuda, artifact, interpreterState(*model, *traced.module), c.name + "_backward");
  auto results = runEntry(*onCuda, "backward", {x, gradOut});
  int checked = 0;
  for (auto &[key, param] : model->named_parameters()) {
    std::string name = "grad." + key;
    ASSERT_TRUE(results.count(name)) << name;
    EXPECT_TRUE(allClose(results[name], state.at(name), 1e-4)) << name;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_P(CudaTarget, NvrtcCompilesToPtxAndCubinAndPtxasAssemblesIt) {
  if (!haveNvrtc())
    GTEST_SKIP() << "built without the CUDA toolkit";
  const Case &c = model();
  auto model = seeded(c);
  model->eval();
  TracedModel traced = trace(*model, {{"x", c.input}});
  CudaArtifact artifact = cudaOf(*traced.module, true);
  EXPECT_NE(compileForArch(artifact.program.source, "compute_90").find(".entry nncc_k0"),
            std::string::npos);
  checkPtx(artifact.program.source, c.name);
}

TEST_P(CudaTarget, TrainStepMatchesTheInterpreterOverThreeSteps) {
  const Case &c = model();
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

  CudaArtifact artifact = cudaOf(*forCuda, true);
  LOAD_OR_SKIP(onCuda, artifact, interpreterState(*model, *traced.module), c.name + "_train_step");
  std::map<std::string, Tensor> results;
  for (int step = 0; step < 3; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    Tensor loss = interpret(*traced.module, "train_step", {x, target}, expected)[0];
    results = runEntry(*onCuda, "train_step", {x, target});
    ASSERT_TRUE(results.count("output0"));
    EXPECT_TRUE(allClose(results["output0"], loss, 1e-4)) << "loss";
  }
  // The parameters, buffers and optimizer state the model holds after the steps. (Gradients are
  // the backward test's; some, such as a conv bias's before a train-mode BatchNorm, are zero in
  // exact arithmetic and rounding noise in both.)
  for (const auto &[key, want] : expected)
    if (results.count(key) && key.rfind("grad.", 0) != 0)
      EXPECT_TRUE(allClose(results[key], want, 1e-4)) << key;
  for (auto &[key, param] : model->named_parameters())
    EXPECT_TRUE(results.count(key)) << key;
}

std::string caseName(const ::testing::TestParamInfo<std::tuple<Backend, Case>> &info) {
  return std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(Emulated, CudaTarget,
                         ::testing::Combine(::testing::Values(Backend::Emulated), ::testing::ValuesIn(cases())),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Gpu, CudaTarget,
                         ::testing::Combine(::testing::Values(Backend::Gpu), ::testing::ValuesIn(cases())),
                         caseName);

} // namespace
} // namespace nncc::testing
