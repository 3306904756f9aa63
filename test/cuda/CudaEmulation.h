// Running the CUDA target's generated source under host emulation in tests: the source compiled
// as host C++ with the emulation header, loaded, and run kernel by kernel from the launch plan.
#pragma once

#include "compiler/Registration.h"
#include "compiler/Target/CUDA/CudaCompile.h"
#include "frontend/StateDict.h"
#include "frontend/Tensor.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace nncc::testing {

using Launcher = void (*)(void (*)(void **), unsigned, unsigned, void **);

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
inline std::map<std::string, Tensor> runEmulated(const CudaArtifact &artifact, const Emulation &emu,
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
inline CudaArtifact cudaOf(mlir::ModuleOp module, bool train) {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  module.getContext()->appendDialectRegistry(registry);
  CpuPipelineOptions options;
  options.modelName = "model";
  options.train = train;
  return compileCuda(module, options);
}

/// Where the CUDA toolkit was found: `source` compiles with NVRTC for compute_80 and compute_90,
/// and ptxas assembles the compute_90 PTX for sm_90.
inline void checkPtx(const std::string &source, const std::string &name) {
  if (!haveNvrtc())
    return;
  std::string dir = ::testing::TempDir() + "nncc_ptx_" + name;
  std::filesystem::create_directories(dir);
  for (const char *arch : {"compute_80", "compute_90"}) {
    std::string ptx;
    try {
      ptx = compileToPtx(source, arch);
    } catch (const std::exception &e) {
      ADD_FAILURE() << e.what();
      return;
    }
    std::ofstream(dir + "/" + arch + ".ptx") << ptx;
  }
  std::string command = std::string(NNCC_PTXAS) + " -arch=sm_90 " + dir + "/compute_90.ptx -o " + dir +
                        "/model.cubin 2> " + dir + "/ptxas.log";
  EXPECT_EQ(std::system(command.c_str()), 0) << "ptxas failed; see " << dir << "/ptxas.log";
}

} // namespace nncc::testing
