// The CUDA runtime's own rules, without a GPU: which kernel image a device runs, the checks on a
// launch plan, errors for bad inputs, and that GEMMs reach the device as GEMMs.
#include "test/ReferenceModels.h"
#include "test/cuda/CudaEmulation.h"
#include "test/layers/LayerCheck.h"

#include <gtest/gtest.h>

namespace nncc::testing {
namespace {

std::string pick(int capability, const std::map<std::string, std::string> &images) {
  std::string key;
  rt::Status s = rt::CudaDriver::pickImage(capability, images, &key);
  return s.ok() ? key : s.message();
}

TEST(CudaImages, ADevicePicksTheCubinOfItsMajorVersionElseTheNewestPtxBelowIt) {
  std::map<std::string, std::string> all = {
      {"sm_80", ""}, {"sm_90", ""}, {"compute_80", ""}, {"compute_90", ""}};
  EXPECT_EQ(pick(90, all), "sm_90");
  EXPECT_EQ(pick(80, all), "sm_80");
  EXPECT_EQ(pick(86, all), "sm_80");   // sm_80 code runs on sm_86
  EXPECT_EQ(pick(100, all), "compute_90"); // no sm_100 CUBIN: the driver compiles the PTX
  EXPECT_EQ(pick(89, {{"sm_90", ""}, {"compute_80", ""}}), "compute_80");
  EXPECT_EQ(pick(75, all),
            "the device is sm_75: the artifact has code only for compute_80, compute_90, sm_80, sm_90");
  EXPECT_EQ(pick(90, {}), "the device is sm_90: the artifact has code only for no architecture");
}

/// An MLP's artifact, compiled for CUDA in eval mode, with its weights.
struct Mlp {
  std::shared_ptr<nn::Module> module = mlp();
  CudaArtifact artifact;
  Mlp() {
    TracedModel traced = trace(*module, {{"x", {4, 16}}});
    artifact = cudaOf(*traced.module, false);
  }
  std::string create(const nlohmann::json &plan, const StateDict &state,
                     std::unique_ptr<rt::CudaModel> *out = nullptr) {
    nlohmann::json description = artifact.description();
    description["plan"] = plan;
    std::unique_ptr<rt::CudaModel> model;
    rt::Status s = rt::CudaModel::create(description.dump(), weightViewsOf(state),
                                         std::make_unique<EmulatedDevice>(artifact.program.source, "mlp_rt"),
                                         out ? out : &model);
    return s.ok() ? "" : s.message();
  }
};

TEST(CudaModel, LinearLayersRunAsGemmsWithBiasAndReluEpilogues) {
  Mlp m;
  auto device = std::make_unique<EmulatedDevice>(m.artifact.program.source, "mlp_gemms");
  EmulatedDevice *emulated = device.get();
  auto model = cudaModel(m.artifact, copiedState(*m.module), std::move(device));
  ASSERT_NE(model, nullptr);
  manual_seed(3);
  Tensor x = nn::init::uniform_(Tensor::empty({4, 16}), -1, 1);
  Tensor y = runEntry(*model, "forward", {x})["output0"];
  EXPECT_EQ(emulated->gemms, 3); // one per Linear
  EXPECT_EQ(emulated->epilogues, 3); // each bias add, and the ReLU after it, in the GEMM
  TracedModel traced = trace(*m.module, {{"x", {4, 16}}});
  EXPECT_TRUE(allClose(y, interpret(*traced.module, "forward", {x}, copiedState(*m.module))[0], 1e-5));
}

TEST(CudaModel, ConvolutionsRunAsIm2colAndAGemmOverTheWorkspace) {
  auto module = cnn(); // two convolutions (the second with stride 2) and a Linear
  module->eval();
  manual_seed(8);
  Tensor x = nn::init::uniform_(Tensor::empty({2, 3, 8, 8}), -1, 1);
  TracedModel traced = trace(*module, {{"x", {2, 3, 8, 8}}});
  Tensor expected = interpret(*traced.module, "forward", {x}, copiedState(*module))[0];
  CudaArtifact artifact = cudaOf(*trace(*module, {{"x", {2, 3, 8, 8}}}).module, false);
  EXPECT_NE(artifact.program.source.find("im2col of a convolution"), std::string::npos);
  // The first convolution's columns: 2 images x 27 rows x 64 positions, in floats.
  EXPECT_EQ(artifact.program.plan[0].value("workspace_bytes", 0), 4 * 2 * 27 * 64);
  auto device = std::make_unique<EmulatedDevice>(artifact.program.source, "conv_gemms");
  EmulatedDevice *emulated = device.get();
  auto model = cudaModel(artifact, copiedState(*module), std::move(device));
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(allClose(runEntry(*model, "forward", {x})["output0"], expected, 1e-5));
  EXPECT_EQ(emulated->gemms, 3);
}

TEST(CudaModel, LongReductionsRunAsABlockPerOutputWithBarriers) {
  // Softmax and LayerNorm over 1000 features of 3 rows: max, sum, mean and variance reductions
  // of 1000 elements into 3 outputs each.
  std::vector<std::shared_ptr<nn::Module>> layers{std::make_shared<nn::LayerNorm>(1000),
                                                  std::make_shared<nn::Softmax>(1)};
  auto module = std::make_shared<nn::Sequential>(layers);
  manual_seed(4);
  for (auto &[key, p] : module->named_parameters())
    nn::init::uniform_(p, 0.5, 1.5);
  Tensor x = nn::init::normal_(Tensor::empty({3, 1000}), 0, 3);
  TracedModel traced = trace(*module, {{"x", {3, 1000}}});
  Tensor expected = interpret(*traced.module, "forward", {x}, copiedState(*module))[0];
  CudaArtifact artifact = cudaOf(*trace(*module, {{"x", {3, 1000}}}).module, false);
  EXPECT_NE(artifact.program.source.find("__syncthreads();"), std::string::npos);
  auto device = std::make_unique<EmulatedDevice>(artifact.program.source, "block_reductions");
  EmulatedDevice *emulated = device.get();
  auto model = cudaModel(artifact, copiedState(*module), std::move(device));
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(allClose(runEntry(*model, "forward", {x})["output0"], expected, 1e-5));
  EXPECT_GE(emulated->blockReductions, 3);
  checkPtx(artifact.program.source, "block_reductions");
}

TEST(CudaModel, HookPointsRunTheirCallbacksOnHostCopiesAsTheInterpreterDoes) {
  auto module = mlp();
  manual_seed(6);
  Tensor x = nn::init::uniform_(Tensor::empty({4, 16}), -1, 1);
  TracedModel traced = trace(*module, {{"x", {4, 16}}}, nullptr, "*");
  CudaArtifact artifact = cudaOf(*trace(*module, {{"x", {4, 16}}}, nullptr, "*").module, false);
  EXPECT_NE(artifact.program.source.find("// hook point"), std::string::npos);
  auto model = cudaModel(artifact, copiedState(*module),
                         std::make_unique<EmulatedDevice>(artifact.program.source, "hooks"));
  ASSERT_NE(model, nullptr);
  // The same callbacks on both: record the ReLUs' outputs and the modules' inputs, and halve the
  // first Linear's output, which the rest of the model must then see.
  auto attach = [](rt::Hooks &hooks, std::vector<std::vector<float>> *seen) {
    hooks.attach("*", rt::HookKind::Forward, [seen](const rt::HookEvent &e) {
      seen->emplace_back(e.tensor.data, e.tensor.data + e.tensor.numel());
      if (e.input.data)
        seen->emplace_back(e.input.data, e.input.data + e.input.numel());
      if (e.path == "0")
        for (int64_t i = 0; i < e.tensor.numel(); ++i)
          e.tensor.data[i] *= 0.5f;
    });
  };
  std::vector<std::vector<float>> onCuda, interpreted;
  attach(model->hooks(), &onCuda);
  rt::Hooks reference;
  attach(reference, &interpreted);
  Tensor expected = interpret(*traced.module, "forward", {x}, copiedState(*module), &reference)[0];
  Tensor y = runEntry(*model, "forward", {x})["output0"];
  EXPECT_TRUE(allClose(y, expected, 1e-5));
  ASSERT_EQ(onCuda.size(), interpreted.size());
  EXPECT_GE(onCuda.size(), 5u);
  for (size_t i = 0; i < onCuda.size(); ++i) {
    ASSERT_EQ(onCuda[i].size(), interpreted[i].size()) << i;
    for (size_t j = 0; j < onCuda[i].size(); ++j)
      EXPECT_NEAR(onCuda[i][j], interpreted[i][j], 1e-5 * (1 + std::abs(interpreted[i][j]))) << i;
  }
  // A throwing callback is the call's error, naming the hook point.
  model->hooks().attach("2", rt::HookKind::Forward, [](const rt::HookEvent &) { throw std::runtime_error("bad"); });
  const void *inputs[] = {x.data()};
  float out[20];
  float *outputs[] = {out};
  EXPECT_EQ(model->forward(inputs, outputs).message(),
            "model 'model' on CUDA emulation on the host: forward: forward hook at '2': bad");
}

TEST(CudaModel, PlansThatWouldGoOutOfBoundsAreRefusedAtLoad) {
  Mlp m;
  StateDict state = copiedState(*m.module);
  nlohmann::json plan = m.artifact.program.plan;
  nlohmann::json &launches = plan[0]["launches"];
  auto gemm = std::find_if(launches.begin(), launches.end(), [](const auto &l) { return l["op"] == "gemm"; });
  ASSERT_NE(gemm, launches.end());
  (*gemm)["k"] = 1000;
  EXPECT_EQ(m.create(plan, state),
            "model 'model': CUDA plan of 'forward': a GEMM reads or writes outside its arguments");
  plan = m.artifact.program.plan;
  plan[0]["launches"][0]["args"] = {99};
  plan[0]["launches"][0]["op"] = "kernel";
  plan[0]["launches"][0]["kernel"] = "nncc_k0";
  plan[0]["launches"][0]["threads"] = 1;
  plan[0]["launches"][0]["block"] = 256;
  EXPECT_EQ(m.create(plan, state),
            "model 'model': CUDA plan of 'forward': kernel nncc_k0 takes an argument the entry does not have");
  plan = m.artifact.program.plan;
  plan[0]["launches"][0]["op"] = "memcpy";
  EXPECT_EQ(m.create(plan, state), "model 'model': CUDA plan of 'forward': unknown step 'memcpy'");
  plan = m.artifact.program.plan;
  plan[0]["name"] = "predict";
  EXPECT_EQ(m.create(plan, state), "model 'model': the CUDA plan has entry 'predict', which the manifest lacks");
}

TEST(CudaModel, MissingWeightsAndNullInputsAreOneLineErrors) {
  Mlp m;
  StateDict partial = select(copiedState(*m.module), [](const std::string &k) { return k != "2.bias"; });
  EXPECT_EQ(m.create(m.artifact.program.plan, partial), "model 'model': weights have no tensor '2.bias'");
  std::unique_ptr<rt::CudaModel> model;
  ASSERT_EQ(m.create(m.artifact.program.plan, copiedState(*m.module), &model), "");
  const void *inputs[] = {nullptr};
  float out[20];
  float *outputs[] = {out};
  rt::Status s = model->forward(inputs, outputs);
  EXPECT_EQ(s.message(), "model 'model': forward input 'x' is null");
  EXPECT_EQ(model->backward(inputs).message(),
            "model 'model' was compiled without backward (compile with --mode=train)");
  float value;
  EXPECT_EQ(model->read("nope", &value).message(), "model 'model' has no parameter or buffer 'nope'");
}

TEST(CudaModel, LoadingAnArtifactWithoutImagesOrWithoutADriverSaysWhy) {
  std::string dir = ::testing::TempDir() + "nncc_cuda_load";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/m.cuda.json") << R"({"manifest": {}, "plan": [], "images": {}})";
  std::unique_ptr<rt::CudaModel> model;
  EXPECT_EQ(rt::CudaModel::load(dir + "/m.cuda.json", 0, &model).message(),
            dir + "/m.cuda.json: the artifact has no kernel images (it was compiled without NVRTC)");
  EXPECT_EQ(rt::CudaModel::load(dir + "/absent.cuda.json", 0, &model).message().find(dir + "/absent.cuda.json"), 0u);
  std::unique_ptr<rt::CudaDriver> driver;
  if (rt::CudaDriver::load(0, &driver).ok())
    GTEST_SKIP() << "this machine has a CUDA driver";
  std::ofstream(dir + "/m.cuda.json")
      << R"({"manifest": {}, "plan": [], "images": {"sm_90": "m.sm_90.cubin"}, "weights": "m.safetensors"})";
  std::ofstream(dir + "/m.sm_90.cubin") << "x";
  save_safetensors(StateDict(), dir + "/m.safetensors");
  std::string error = rt::CudaModel::load(dir + "/m.cuda.json", 0, &model).message();
  EXPECT_EQ(error.rfind("no CUDA device: ", 0), 0u) << error;
}

} // namespace
} // namespace nncc::testing
