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

// cuBLASLt's, for GEMMs with epilogues, and the enumerators of cublasLt.h and library_types.h used.
struct CublasLtApi {
  int (*create)(void **);
  int (*destroy)(void *);
  int (*descCreate)(void **, int, int);
  int (*descDestroy)(void *);
  int (*descSet)(void *, int, const void *, size_t);
  int (*layoutCreate)(void **, int, uint64_t, uint64_t, int64_t);
  int (*layoutDestroy)(void *);
  int (*matmul)(void *, void *, const void *, const void *, void *, const void *, void *, const void *,
                const void *, void *, void *, void *, const void *, void *, size_t, CUstream);
};
constexpr int kComputeF32 = 68, kRealF32 = 0;                                   // CUBLAS_COMPUTE_32F, CUDA_R_32F
constexpr int kDescTransA = 3, kDescTransB = 4, kDescEpilogue = 7, kDescBias = 8; // CUBLASLT_MATMUL_DESC_*
constexpr uint32_t kEpilogueBias = 4, kEpilogueReluBias = 6;                      // CUBLASLT_EPILOGUE_*

/// Points function pointers at a library's entry points (by `lookup`), noting any that is missing.
template <class Lookup> struct Binder {
  Lookup lookup;
  bool found = true;
  template <class Fn> void operator()(Fn &fn, const char *name) {
    fn = reinterpret_cast<Fn>(lookup(name));
    found = found && fn;
  }
};
template <class Lookup> Binder<Lookup> binder(Lookup lookup) { return {lookup}; }

/// Where a cuBLAS library (`stem`, as "libcublas") may be: the loader's path, then the toolkit's
/// usual homes.
void *openLibrary(const std::string &stem, std::string *why) {
  std::vector<std::string> candidates = {stem + ".so.13", stem + ".so.12", stem + ".so"};
  for (const char *home : {static_cast<const char *>(std::getenv("CUDA_HOME")),
                           static_cast<const char *>(std::getenv("CUDA_PATH")), "/usr/local/cuda"})
    if (home && *home)
      candidates.push_back(std::string(home) + "/lib64/" + stem + ".so");
  for (const std::string &name : candidates)
    if (void *library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL))
      return library;
  const char *error = dlerror();
  *why = "cannot load " + stem + ".so.13: " + std::string(error ? error : "not found");
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
    if (cublasLt_)
      lt_.destroy(cublasLt_);
    if (cublasLibrary_)
      dlclose(cublasLibrary_);
    if (cublasLtLibrary_)
      dlclose(cublasLtLibrary_);
    if (stream_)
      api_.streamDestroy(stream_);
    if (module_)
      api_.moduleUnload(module_);
    if (context_)
      api_.primaryCtxRelease(device_);
  }

  Status open(const std::map<std::string, std::string> &images) {
    const CudaDriver &d = *driver_;
    auto bind = binder([&](const char *name) { return d.symbol(name); });
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
    if (!bind.found)
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
    if (!(cublasLibrary_ = openLibrary("libcublas", &why)) || !(cublasLtLibrary_ = openLibrary("libcublasLt", &why)))
      return Status::Error(why);
    auto blas = binder([&](const char *name) { return dlsym(cublasLibrary_, name); });
    blas(blas_.create, "cublasCreate_v2");
    blas(blas_.destroy, "cublasDestroy_v2");
    blas(blas_.setStream, "cublasSetStream_v2");
    blas(blas_.sgemmStridedBatched, "cublasSgemmStridedBatched");
    if (!blas.found)
      return Status::Error("cuBLAS lacks cublasSgemmStridedBatched");
    auto bind = binder([&](const char *name) { return dlsym(cublasLtLibrary_, name); });
    bind(lt_.create, "cublasLtCreate");
    bind(lt_.destroy, "cublasLtDestroy");
    bind(lt_.descCreate, "cublasLtMatmulDescCreate");
    bind(lt_.descDestroy, "cublasLtMatmulDescDestroy");
    bind(lt_.descSet, "cublasLtMatmulDescSetAttribute");
    bind(lt_.layoutCreate, "cublasLtMatrixLayoutCreate");
    bind(lt_.layoutDestroy, "cublasLtMatrixLayoutDestroy");
    bind(lt_.matmul, "cublasLtMatmul");
    if (!bind.found)
      return Status::Error("cuBLASLt lacks the matmul entry points");
    if (int status = lt_.create(&cublasLt_); status != 0)
      return Status::Error("cublasLtCreate failed with status " + std::to_string(status));
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

  Status gemm(const GemmStep &g, DevicePtr a, DevicePtr b, DevicePtr c, DevicePtr bias, DevicePtr d) override {
    const float one = 1.0f, beta = g.beta;
    if (g.epilogue)
      return epilogueGemm(g, a, b, c, bias, d);
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

  /// D = act(op(A) op(B) + beta C + bias) through cuBLASLt (batch 1).
  Status epilogueGemm(const GemmStep &g, DevicePtr a, DevicePtr b, DevicePtr c, DevicePtr bias, DevicePtr d) {
    void *desc = nullptr, *la = nullptr, *lb = nullptr, *lc = nullptr, *ld = nullptr;
    int32_t transa = g.transa, transb = g.transb;
    uint32_t epilogue = g.relu ? kEpilogueReluBias : kEpilogueBias;
    const void *biasPointer = reinterpret_cast<const void *>(bias);
    const float one = 1.0f, beta = g.beta;
    // Layouts describe the stored matrices: op(A) is m x k, so A is k x m when transposed.
    int status = lt_.descCreate(&desc, kComputeF32, kRealF32);
    if (!status)
      status = lt_.descSet(desc, kDescTransA, &transa, sizeof transa) || lt_.descSet(desc, kDescTransB, &transb, sizeof transb) ||
               lt_.descSet(desc, kDescEpilogue, &epilogue, sizeof epilogue) ||
               lt_.descSet(desc, kDescBias, &biasPointer, sizeof biasPointer);
    if (!status)
      status = lt_.layoutCreate(&la, kRealF32, g.transa ? g.k : g.m, g.transa ? g.m : g.k, g.a.ld) ||
               lt_.layoutCreate(&lb, kRealF32, g.transb ? g.n : g.k, g.transb ? g.k : g.n, g.b.ld) ||
               lt_.layoutCreate(&lc, kRealF32, g.m, g.n, g.c.ld) || lt_.layoutCreate(&ld, kRealF32, g.m, g.n, g.d.ld);
    if (!status)
      status = lt_.matmul(cublasLt_, desc, &one, reinterpret_cast<const void *>(a), la, reinterpret_cast<const void *>(b),
                          lb, &beta, reinterpret_cast<const void *>(c), lc, reinterpret_cast<void *>(d), ld, nullptr,
                          nullptr, 0, stream_);
    for (void *layout : {la, lb, lc, ld})
      if (layout)
        lt_.layoutDestroy(layout);
    if (desc)
      lt_.descDestroy(desc);
    if (status != 0)
      return Status::Error("cublasLtMatmul with a bias" + std::string(g.relu ? " and ReLU" : "") +
                           " epilogue failed with status " + std::to_string(status));
    return Status::Ok();
  }

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
  CublasLtApi lt_{};
  void *cublasLibrary_ = nullptr, *cublas_ = nullptr, *cublasLtLibrary_ = nullptr, *cublasLt_ = nullptr;
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
