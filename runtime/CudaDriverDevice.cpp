// A CudaDevice on a GPU through the driver API and cuBLAS, both loaded with dlopen: the primary
// context, one module from the artifact's image, one stream, and a cuBLAS handle on that stream.
#include "runtime/CudaDriver.h"

#include <dlfcn.h>

#include <cstdlib>

namespace nncc::rt {
namespace {

// Driver API types and entry points, with the C signatures of cuda.h (int results are CUresult).
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;

struct DriverApi {
  int (*primaryCtxRetain)(CUcontext *, int);
  int (*primaryCtxRelease)(int);
  int (*ctxSetCurrent)(CUcontext);
  int (*moduleLoadData)(CUmodule *, const void *);
  int (*moduleUnload)(CUmodule);
  int (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  int (*memAlloc)(DevicePtr *, size_t);
  int (*memFree)(DevicePtr);
  int (*memcpyHtoDAsync)(DevicePtr, const void *, size_t, CUstream);
  int (*memcpyDtoHAsync)(void *, DevicePtr, size_t, CUstream);
  int (*memcpyDtoDAsync)(DevicePtr, DevicePtr, size_t, CUstream);
  int (*memsetD8Async)(DevicePtr, unsigned char, size_t, CUstream);
  int (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                      CUstream, void **, void **);
  int (*streamCreate)(CUstream *, unsigned);
  int (*streamDestroy)(CUstream);
  int (*streamSynchronize)(CUstream);
  int (*getErrorString)(int, const char **);
};

// cuBLAS's entry points (int results are cublasStatus_t; operations: 0 = N, 1 = T).
struct CublasApi {
  int (*create)(void **);
  int (*destroy)(void *);
  int (*setStream)(void *, CUstream);
  int (*sgemmStridedBatched)(void *, int, int, int, int, int, const float *, const float *, int, long long,
                             const float *, int, long long, const float *, float *, int, long long, int);
};

/// Where libcublas may be: the loader's path, then the toolkit's usual homes.
void *openCublas(std::string *why) {
  std::vector<std::string> candidates = {"libcublas.so.13", "libcublas.so.12", "libcublas.so"};
  for (const char *home : {static_cast<const char *>(std::getenv("CUDA_HOME")),
                           static_cast<const char *>(std::getenv("CUDA_PATH")), "/usr/local/cuda"})
    if (home && *home)
      candidates.push_back(std::string(home) + "/lib64/libcublas.so");
  for (const std::string &name : candidates)
    if (void *library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL))
      return library;
  const char *error = dlerror();
  *why = "cannot load cuBLAS (libcublas.so.13): " + std::string(error ? error : "not found");
  return nullptr;
}

class DriverDevice final : public CudaDevice {
public:
  explicit DriverDevice(std::unique_ptr<CudaDriver> driver) : driver_(std::move(driver)) {}

  ~DriverDevice() override {
    if (stream_)
      api_.streamSynchronize(stream_);
    if (cublas_)
      blas_.destroy(cublas_);
    if (cublasLibrary_)
      dlclose(cublasLibrary_);
    if (stream_)
      api_.streamDestroy(stream_);
    if (module_)
      api_.moduleUnload(module_);
    if (context_)
      api_.primaryCtxRelease(device_);
  }

  Status open(const std::map<std::string, std::string> &images) {
    const CudaDriver &d = *driver_;
    bool found = true;
    auto bind = [&](auto &fn, const char *name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(d.symbol(name));
      found = found && fn;
    };
    bind(api_.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
    bind(api_.primaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
    bind(api_.ctxSetCurrent, "cuCtxSetCurrent");
    bind(api_.moduleLoadData, "cuModuleLoadData");
    bind(api_.moduleUnload, "cuModuleUnload");
    bind(api_.moduleGetFunction, "cuModuleGetFunction");
    bind(api_.memAlloc, "cuMemAlloc_v2");
    bind(api_.memFree, "cuMemFree_v2");
    bind(api_.memcpyHtoDAsync, "cuMemcpyHtoDAsync_v2");
    bind(api_.memcpyDtoHAsync, "cuMemcpyDtoHAsync_v2");
    bind(api_.memcpyDtoDAsync, "cuMemcpyDtoDAsync_v2");
    bind(api_.memsetD8Async, "cuMemsetD8Async");
    bind(api_.launchKernel, "cuLaunchKernel");
    bind(api_.streamCreate, "cuStreamCreate");
    bind(api_.streamDestroy, "cuStreamDestroy_v2");
    bind(api_.streamSynchronize, "cuStreamSynchronize");
    bind(api_.getErrorString, "cuGetErrorString");
    if (!found)
      return Status::Error("no CUDA device: libcuda.so.1 lacks the driver API's entry points");
    std::string key;
    if (Status s = CudaDriver::pickImage(d.computeCapability(), images, &key); !s.ok())
      return Status::Error(describe() + ": " + s.message());
    image_ = key;
    // The device handle of cuda:N is N for the driver API.
    device_ = d.device();
    if (Status s = check(api_.primaryCtxRetain(&context_, device_), "creating a context"); !s.ok())
      return s;
    if (Status s = check(api_.ctxSetCurrent(context_), "making the context current"); !s.ok())
      return s;
    std::string code = images.at(key); // PTX must end with a NUL; a CUBIN ignores one more byte
    code.push_back('\0');
    if (Status s = check(api_.moduleLoadData(&module_, code.data()), "loading the " + key + " image");
        !s.ok())
      return s;
    return check(api_.streamCreate(&stream_, 0), "creating a stream");
  }

  std::string describe() const override {
    return "cuda:" + std::to_string(driver_->device()) + " (" + driver_->name() + ", sm_" +
           std::to_string(driver_->computeCapability()) + (image_.empty() ? "" : ", running " + image_) + ")";
  }

  Status prepare(const std::vector<std::string> &kernels, bool gemms) override {
    functions_.clear();
    for (const std::string &name : kernels) {
      CUfunction f = nullptr;
      if (Status s = check(api_.moduleGetFunction(&f, module_, name.c_str()), "finding kernel " + name);
          !s.ok())
        return s;
      functions_.push_back(f);
    }
    if (!gemms || cublas_)
      return Status::Ok();
    std::string why;
    if (!(cublasLibrary_ = openCublas(&why)))
      return Status::Error(why);
    blas_.create = reinterpret_cast<decltype(blas_.create)>(dlsym(cublasLibrary_, "cublasCreate_v2"));
    blas_.destroy = reinterpret_cast<decltype(blas_.destroy)>(dlsym(cublasLibrary_, "cublasDestroy_v2"));
    blas_.setStream = reinterpret_cast<decltype(blas_.setStream)>(dlsym(cublasLibrary_, "cublasSetStream_v2"));
    blas_.sgemmStridedBatched = reinterpret_cast<decltype(blas_.sgemmStridedBatched)>(
        dlsym(cublasLibrary_, "cublasSgemmStridedBatched"));
    if (!blas_.create || !blas_.destroy || !blas_.setStream || !blas_.sgemmStridedBatched)
      return Status::Error("cuBLAS lacks cublasSgemmStridedBatched");
    if (int status = blas_.create(&cublas_); status != 0)
      return Status::Error("cublasCreate failed with status " + std::to_string(status));
    if (int status = blas_.setStream(cublas_, stream_); status != 0)
      return Status::Error("cublasSetStream failed with status " + std::to_string(status));
    return Status::Ok();
  }

  Status allocate(size_t bytes, DevicePtr *out) override {
    return check(api_.memAlloc(out, bytes), "allocating " + std::to_string(bytes) + " bytes");
  }
  void release(DevicePtr ptr) override { api_.memFree(ptr); }
  Status upload(DevicePtr dst, const void *src, size_t bytes) override {
    return check(api_.memcpyHtoDAsync(dst, src, bytes, stream_), "copying to the device");
  }
  Status download(void *dst, DevicePtr src, size_t bytes) override {
    if (Status s = check(api_.memcpyDtoHAsync(dst, src, bytes, stream_), "copying from the device"); !s.ok())
      return s;
    return synchronize();
  }
  Status copy(DevicePtr dst, DevicePtr src, size_t bytes) override {
    return check(api_.memcpyDtoDAsync(dst, src, bytes, stream_), "copying on the device");
  }
  Status zero(DevicePtr dst, size_t bytes) override {
    return check(api_.memsetD8Async(dst, 0, bytes, stream_), "clearing device memory");
  }

  Status launch(int kernel, unsigned grid, unsigned block, const std::vector<DevicePtr> &args) override {
    // cuLaunchKernel takes a pointer to each parameter's value.
    params_.clear();
    for (const DevicePtr &arg : args)
      params_.push_back(const_cast<DevicePtr *>(&arg));
    return check(api_.launchKernel(functions_.at(kernel), grid, 1, 1, block, 1, 1, 0, stream_,
                                   params_.data(), nullptr),
                 "launching");
  }

  Status gemm(const GemmStep &g, DevicePtr a, DevicePtr b, DevicePtr c) override {
    const float one = 1.0f, beta = g.beta;
    int status = blas_.sgemmStridedBatched(
        cublas_, g.transa ? 1 : 0, g.transb ? 1 : 0, static_cast<int>(g.m), static_cast<int>(g.n),
        static_cast<int>(g.k), &one, reinterpret_cast<const float *>(a), static_cast<int>(g.a.ld),
        g.a.stride, reinterpret_cast<const float *>(b), static_cast<int>(g.b.ld), g.b.stride, &beta,
        reinterpret_cast<float *>(c), static_cast<int>(g.c.ld), g.c.stride, static_cast<int>(g.batch));
    if (status != 0)
      return Status::Error("cublasSgemmStridedBatched failed with status " + std::to_string(status));
    return Status::Ok();
  }

  Status synchronize() override { return check(api_.streamSynchronize(stream_), "running"); }

private:
  Status check(int result, const std::string &what) const {
    if (result == 0)
      return Status::Ok();
    const char *text = nullptr;
    if (api_.getErrorString)
      api_.getErrorString(result, &text);
    return Status::Error(what + " failed: CUDA error " + std::to_string(result) +
                         (text ? std::string(" (") + text + ")" : std::string()));
  }

  std::unique_ptr<CudaDriver> driver_;
  DriverApi api_{};
  CublasApi blas_{};
  int device_ = 0;
  CUcontext context_ = nullptr;
  CUmodule module_ = nullptr;
  CUstream stream_ = nullptr;
  void *cublasLibrary_ = nullptr, *cublas_ = nullptr;
  std::string image_;
  std::vector<CUfunction> functions_;
  std::vector<void *> params_;
};

} // namespace

Status CudaDriver::open(std::unique_ptr<CudaDriver> driver, const std::map<std::string, std::string> &images,
                        std::unique_ptr<CudaDevice> *out) {
  if (Status s = driver->checkArchitecture(); !s.ok())
    return s;
  auto device = std::make_unique<DriverDevice>(std::move(driver));
  if (Status s = device->open(images); !s.ok())
    return s;
  *out = std::move(device);
  return Status::Ok();
}

} // namespace nncc::rt
