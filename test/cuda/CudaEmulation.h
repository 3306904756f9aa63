// Running the CUDA target's artifacts in tests through the runtime's rt::CudaModel, on either of
// two devices:
// - EmulatedDevice: the generated source compiled as host C++ with the emulation header and
//   loaded; kernels run thread by thread on the CPU, GEMMs on the header's host GEMM.
// - a GPU through the driver (gpuDevice), where there is one.
#pragma once

#include "compiler/Driver/Jit.h"
#include "compiler/Registration.h"
#include "compiler/Target/CUDA/CudaCompile.h"
#include "frontend/StateDict.h"
#include "frontend/Tensor.h"
#include "runtime/CudaDriver.h"
#include "runtime/CudaModel.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace nncc::testing {

/// The generated source compiled as host C++, as a CudaDevice whose memory is host memory.
class EmulatedDevice final : public rt::CudaDevice {
public:
  EmulatedDevice(const std::string &source, const std::string &name) {
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
  ~EmulatedDevice() override {
    if (lib_)
      dlclose(lib_);
  }

  std::string describe() const override { return "CUDA emulation on the host"; }
  rt::Status prepare(const std::vector<std::string> &kernels, bool) override {
    if (!lib_)
      return rt::Status::Error("the emulation did not build");
    launcher_ = reinterpret_cast<Launcher>(dlsym(lib_, "nncc_emu_launch"));
    gemm_ = reinterpret_cast<Gemm>(dlsym(lib_, "nncc_emu_gemm"));
    epilogue_ = reinterpret_cast<Epilogue>(dlsym(lib_, "nncc_emu_gemm_epilogue"));
    for (const std::string &k : kernels) {
      kernels_.push_back(reinterpret_cast<void (*)(void **)>(dlsym(lib_, (k + "_host").c_str())));
      barriers_.push_back(dlsym(lib_, (k + "_barriers").c_str()) != nullptr);
      if (!kernels_.back())
        return rt::Status::Error("no kernel " + k);
    }
    return launcher_ && gemm_ && epilogue_ ? rt::Status::Ok() : rt::Status::Error("the emulation header is missing");
  }
  rt::Status allocate(size_t bytes, rt::DevicePtr *out) override {
    *out = reinterpret_cast<rt::DevicePtr>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
    return *out ? rt::Status::Ok() : rt::Status::Error("out of host memory");
  }
  void release(rt::DevicePtr ptr) override { std::free(host(ptr)); }
  rt::Status upload(rt::DevicePtr dst, const void *src, size_t bytes) override {
    std::memcpy(host(dst), src, bytes);
    return rt::Status::Ok();
  }
  rt::Status download(void *dst, rt::DevicePtr src, size_t bytes) override {
    std::memcpy(dst, host(src), bytes);
    return rt::Status::Ok();
  }
  rt::Status copy(rt::DevicePtr dst, rt::DevicePtr src, size_t bytes) override {
    std::memmove(host(dst), host(src), bytes);
    return rt::Status::Ok();
  }
  rt::Status zero(rt::DevicePtr dst, size_t bytes) override {
    std::memset(host(dst), 0, bytes);
    return rt::Status::Ok();
  }
  rt::Status launch(int kernel, unsigned grid, unsigned block, const std::vector<rt::DevicePtr> &args) override {
    std::vector<void *> pointers;
    for (rt::DevicePtr a : args)
      pointers.push_back(host(a));
    launcher_(kernels_.at(kernel), grid, block, pointers.data(), barriers_.at(kernel));
    blockReductions += barriers_.at(kernel);
    return rt::Status::Ok();
  }
  rt::Status gemm(const rt::GemmStep &g, rt::DevicePtr a, rt::DevicePtr b, rt::DevicePtr c, rt::DevicePtr bias,
                  rt::DevicePtr d) override {
    ++gemms;
    gemm_(g.transa, g.transb, g.m, g.n, g.k, static_cast<float *>(host(a)), g.a.ld, g.a.stride,
          static_cast<float *>(host(b)), g.b.ld, g.b.stride, g.beta, static_cast<float *>(host(c)), g.c.ld,
          g.c.stride, g.batch);
    if (g.epilogue) {
      ++epilogues;
      epilogue_(g.m, g.n, static_cast<float *>(host(c)), g.c.ld, static_cast<float *>(host(bias)), g.relu,
                static_cast<float *>(host(d)), g.d.ld);
    }
    return rt::Status::Ok();
  }
  rt::Status synchronize() override { return rt::Status::Ok(); }

  /// GEMMs, of them those with a bias epilogue, and block-reduction kernels (with barriers) run
  /// so far.
  int gemms = 0, epilogues = 0, blockReductions = 0;

private:
  using Launcher = void (*)(void (*)(void **), unsigned, unsigned, void **, int);
  using Gemm = void (*)(int, int, long long, long long, long long, const float *, long long, long long,
                        const float *, long long, long long, float, float *, long long, long long, long long);
  static void *host(rt::DevicePtr p) { return reinterpret_cast<void *>(p); }
  void *lib_ = nullptr;
  Launcher launcher_ = nullptr;
  using Epilogue = void (*)(long long, long long, const float *, long long, const float *, int, float *, long long);
  Gemm gemm_ = nullptr;
  Epilogue epilogue_ = nullptr;
  std::vector<void (*)(void **)> kernels_;
  std::vector<int> barriers_;
};

/// The GPU cuda:0 with `artifact`'s images, or nullptr with `why` set where there is none (no
/// driver, no GPU, or no NVRTC to make the images).
inline std::unique_ptr<rt::CudaDevice> gpuDevice(const CudaArtifact &artifact, std::string *why) {
  std::unique_ptr<rt::CudaDriver> driver;
  if (rt::Status s = rt::CudaDriver::load(0, &driver); !s.ok()) {
    *why = s.message();
    return nullptr;
  }
  if (!haveNvrtc()) {
    *why = "built without NVRTC";
    return nullptr;
  }
  std::unique_ptr<rt::CudaDevice> device;
  rt::Status s = rt::CudaDriver::open(std::move(driver), compileImages(artifact.program.source), &device);
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok())
    *why = s.message();
  return device;
}

/// A CUDA model of `artifact` on `device`, with weights from `state`.
inline std::unique_ptr<rt::CudaModel> cudaModel(const CudaArtifact &artifact, const StateDict &state,
                                                std::unique_ptr<rt::CudaDevice> device) {
  std::unique_ptr<rt::CudaModel> model;
  rt::Status s = rt::CudaModel::create(artifact.description().dump(), weightViewsOf(state), std::move(device), &model);
  EXPECT_TRUE(s.ok()) << s.message();
  return model;
}

/// Runs `entry` of `model` on `inputs`; returns its outputs by manifest name, then every
/// parameter and buffer (gradients and optimizer state included) as the call left it.
inline std::map<std::string, Tensor> runEntry(rt::CudaModel &model, const std::string &entry,
                                              const std::vector<Tensor> &inputs) {
  std::vector<std::vector<int64_t>> indices;
  std::vector<const void *> in = bindInputs(model.name(), entry.c_str(), *model.entry_inputs(entry), inputs, indices);
  std::map<std::string, Tensor> results;
  std::vector<float *> out;
  for (const rt::TensorInfo &o : *model.entry_outputs(entry)) {
    results[o.name] = Tensor::empty(o.shape);
    out.push_back(results[o.name].data());
  }
  rt::Status s = entry == "forward"    ? model.forward(in.data(), out.data())
                 : entry == "backward" ? model.backward(in.data())
                                       : model.train_step(in.data(), out.at(0));
  EXPECT_TRUE(s.ok()) << s.message();
  for (const rt::StateSlot &t : model.state()) {
    Tensor value = Tensor::empty(t.shape);
    EXPECT_TRUE(model.read(t.name, value.data()).ok()) << t.name;
    results[t.name] = value;
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

/// The forward of the model recorded as `traced` (consumed), compiled for CUDA and run under host
/// emulation on `inputs` with weights from `state`; its outputs in order. Also checks that NVRTC
/// and ptxas take the source, where the toolkit is.
inline std::vector<Tensor> emulatedForward(mlir::ModuleOp traced, const std::vector<Tensor> &inputs,
                                           const StateDict &state, const std::string &name);

/// Where the CUDA toolkit was found: `source` compiles with NVRTC to PTX for compute_80 and
/// compute_90 and to CUBINs for sm_80 and sm_90, and ptxas assembles the compute_90 PTX.
inline void checkPtx(const std::string &source, const std::string &name) {
  if (!haveNvrtc())
    return;
  std::string dir = ::testing::TempDir() + "nncc_ptx_" + name;
  std::filesystem::create_directories(dir);
  std::map<std::string, std::string> images;
  try {
    images = compileImages(source);
  } catch (const std::exception &e) {
    ADD_FAILURE() << e.what();
    return;
  }
  for (const char *cubin : {"sm_80", "sm_90"})
    EXPECT_EQ(images[cubin].compare(0, 4, "\x7f" "ELF"), 0) << cubin << " is not an ELF CUBIN";
  std::ofstream(dir + "/compute_90.ptx") << images["compute_90"];
  std::string command = std::string(NNCC_PTXAS) + " -arch=sm_90 " + dir + "/compute_90.ptx -o " + dir +
                        "/model.cubin 2> " + dir + "/ptxas.log";
  EXPECT_EQ(std::system(command.c_str()), 0) << "ptxas failed; see " << dir << "/ptxas.log";
}

inline std::vector<Tensor> emulatedForward(mlir::ModuleOp traced, const std::vector<Tensor> &inputs,
                                           const StateDict &state, const std::string &name) {
  CudaArtifact artifact = cudaOf(traced, false);
  std::unique_ptr<rt::CudaModel> model =
      cudaModel(artifact, state, std::make_unique<EmulatedDevice>(artifact.program.source, name));
  if (!model)
    return {};
  std::map<std::string, Tensor> results = runEntry(*model, "forward", inputs);
  std::vector<Tensor> outputs;
  for (const rt::TensorInfo &o : model->outputs())
    outputs.push_back(results[o.name]);
  checkPtx(artifact.program.source, name);
  return outputs;
}

} // namespace nncc::testing
