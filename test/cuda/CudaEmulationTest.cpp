// The CUDA target without a GPU. The four reference models' generated CUDA C is compiled as host
// C++ under the emulation header and run kernel by kernel from the launch plan; forward (eval and
// train mode) and the generated backward must match the reference interpreter. Where the CUDA
// toolkit was found, the same source goes through NVRTC to PTX for compute_80 and compute_90,
// and ptxas assembles it for sm_90.
#include "compiler/Driver/Driver.h"
#include "compiler/Interpreter/Interpreter.h"
#include "compiler/Registration.h"
#include "compiler/Target/CUDA/CudaCompile.h"
#include "test/ReferenceModels.h"
#include "test/e2e/TensorGolden.h"
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

using Launcher = void (*)(void (*)(void **), unsigned, unsigned, void **);

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

/// The generated source compiled as host C++ and loaded.
class Emulation {
public:
  Emulation(const std::string &source, const std::string &name) {
    std::string dir = ::testing::TempDir() + "nncc_cuda_" + name;
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/model.cu") << source;
    std::string command = std::string(NNCC_HOST_CXX) +
                          " -x c++ -std=c++17 -O1 -fPIC -shared -DNNCC_CUDA_EMULATION -include " +
                          NNCC_CUDA_EMULATION_HEADER + " " + dir + "/model.cu -o " + dir +
                          "/model.so 2> " + dir + "/build.log";
    EXPECT_EQ(std::system(command.c_str()), 0) << "host compile failed; see " << dir << "/build.log";
    lib_ = dlopen((dir + "/model.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    EXPECT_NE(lib_, nullptr) << dlerror();
  }
  ~Emulation() {
    if (lib_)
      dlclose(lib_);
  }
  void *symbol(const std::string &name) const { return lib_ ? dlsym(lib_, name.c_str()) : nullptr; }

private:
  void *lib_ = nullptr;
};

/// Runs entry `entry` of `artifact` under emulation: `inputs` in order, parameters and buffers
/// from `state`; returns every output and update by its manifest name.
std::map<std::string, Tensor> runEmulated(const CudaArtifact &artifact, const Emulation &emu,
                                          const std::string &entry, const std::vector<Tensor> &inputs,
                                          const StateDict &state) {
  nlohmann::json manifest = nlohmann::json::parse(artifact.manifest);
  nlohmann::json args, launches;
  for (const auto &e : manifest["entries"])
    if (e["name"] == entry)
      args = e["args"];
  for (const auto &f : artifact.program.plan)
    if (f["name"] == entry)
      launches = f["launches"];
  std::vector<std::vector<uint8_t>> memory;
  size_t nextInput = 0;
  for (const auto &a : args) {
    Shape shape = a["shape"].get<Shape>();
    int64_t numel = 1;
    for (int64_t d : shape)
      numel *= d;
    std::string role = a["role"], dtype = a["dtype"], name = a["name"];
    size_t bytes = static_cast<size_t>(numel) * (dtype == "i8" ? 1 : dtype == "i64" ? 8 : 4);
    memory.emplace_back(bytes, 0);
    if (role == "input") {
      const Tensor &t = inputs.at(nextInput++);
      std::memcpy(memory.back().data(), t.data(), bytes);
    } else if ((role == "parameter" || role == "buffer") && state.find(name)) {
      std::memcpy(memory.back().data(), state.find(name)->data(), bytes);
    }
  }
  auto launch = reinterpret_cast<Launcher>(emu.symbol("nncc_emu_launch"));
  EXPECT_NE(launch, nullptr);
  for (const auto &l : launches) {
    auto kernel = reinterpret_cast<void (*)(void **)>(emu.symbol(l["kernel"].get<std::string>() + "_host"));
    EXPECT_NE(kernel, nullptr) << l["kernel"];
    if (!kernel || !launch)
      return {};
    std::vector<void *> pointers;
    for (int arg : l["args"])
      pointers.push_back(memory[static_cast<size_t>(arg)].data());
    int64_t threads = l["threads"], block = l["block"];
    launch(kernel, static_cast<unsigned>((threads + block - 1) / block), static_cast<unsigned>(block),
           pointers.data());
  }
  std::map<std::string, Tensor> results;
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i]["role"] == "output" || args[i]["role"] == "update") {
      Tensor t = Tensor::empty(args[i]["shape"].get<Shape>());
      std::memcpy(t.data(), memory[i].data(), t.numel() * sizeof(float));
      results[args[i]["name"]] = t;
    }
  return results;
}

/// `module` compiled for CUDA (the module is consumed).
CudaArtifact cudaOf(mlir::ModuleOp module, bool train) {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  module.getContext()->appendDialectRegistry(registry);
  CpuPipelineOptions options;
  options.modelName = "model";
  options.train = train;
  return compileCuda(module, options);
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
  auto outType = mlir::cast<mlir::RankedTensorType>(
      traced.module->lookupSymbol<mlir::func::FuncOp>("forward").getResultTypes()[0]);
  Tensor gradOut = randomInput(Shape(outType.getShape().begin(), outType.getShape().end()));
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
  std::string dir = ::testing::TempDir() + "nncc_ptx_" + c.name;
  std::filesystem::create_directories(dir);
  for (const char *arch : {"compute_80", "compute_90"}) {
    std::string ptx = compileToPtx(artifact.program.source, arch);
    EXPECT_NE(ptx.find(".entry nncc_k0"), std::string::npos) << arch;
    std::ofstream(dir + "/" + arch + ".ptx") << ptx;
  }
  std::string command = std::string(NNCC_PTXAS) + " -arch=sm_90 " + dir + "/compute_90.ptx -o " + dir +
                        "/model.cubin 2> " + dir + "/ptxas.log";
  EXPECT_EQ(std::system(command.c_str()), 0) << "ptxas failed; see " << dir << "/ptxas.log";
  EXPECT_GT(std::filesystem::file_size(dir + "/model.cubin"), 0u);
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
