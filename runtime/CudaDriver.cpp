// Loading the CUDA driver API by name with dlopen/dlsym, and the device checks.
#include "runtime/CudaDriver.h"

#include <dlfcn.h>

namespace nncc::rt {
namespace {

// The few driver entry points used, with the driver API's C signatures (int results are CUresult).
using CuInit = int (*)(unsigned);
using CuDeviceGetCount = int (*)(int *);
using CuDeviceGet = int (*)(int *, int);
using CuDeviceGetName = int (*)(char *, int, int);
using CuDeviceGetAttribute = int (*)(int *, int, int);
constexpr int kComputeCapabilityMajor = 75, kComputeCapabilityMinor = 76;

template <class Fn> Fn symbol(void *library, const char *name) {
  return reinterpret_cast<Fn>(dlsym(library, name));
}

} // namespace

CudaDriver::~CudaDriver() {
  if (library_)
    dlclose(library_);
}

Status CudaDriver::load(int device, std::unique_ptr<CudaDriver> *out) {
  std::unique_ptr<CudaDriver> driver(new CudaDriver());
  driver->library_ = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!driver->library_) {
    const char *why = dlerror();
    return Status::Error(std::string("no CUDA device: cannot load the driver library libcuda.so.1 (") +
                         (why ? why : "unknown reason") + ")");
  }
  auto init = symbol<CuInit>(driver->library_, "cuInit");
  auto count = symbol<CuDeviceGetCount>(driver->library_, "cuDeviceGetCount");
  auto get = symbol<CuDeviceGet>(driver->library_, "cuDeviceGet");
  auto getName = symbol<CuDeviceGetName>(driver->library_, "cuDeviceGetName");
  auto attribute = symbol<CuDeviceGetAttribute>(driver->library_, "cuDeviceGetAttribute");
  if (!init || !count || !get || !getName || !attribute)
    return Status::Error("no CUDA device: libcuda.so.1 lacks the driver API's entry points");
  if (int code = init(0))
    return Status::Error("no CUDA device: cuInit failed with CUDA error " + std::to_string(code));
  int devices = 0;
  if (count(&devices) || devices == 0)
    return Status::Error("no CUDA device: the driver reports no GPU");
  if (device < 0 || device >= devices)
    return Status::Error("cuda:" + std::to_string(device) + " does not exist: the driver reports " +
                         std::to_string(devices) + " device" + (devices == 1 ? "" : "s"));
  int handle = 0, major = 0, minor = 0;
  char name[256] = {0};
  if (get(&handle, device) || getName(name, sizeof name, handle) ||
      attribute(&major, kComputeCapabilityMajor, handle) ||
      attribute(&minor, kComputeCapabilityMinor, handle))
    return Status::Error("cuda:" + std::to_string(device) + ": the driver cannot describe the device");
  driver->device_ = device;
  driver->name_ = name;
  driver->capability_ = major * 10 + minor;
  *out = std::move(driver);
  return Status::Ok();
}

Status CudaDriver::checkArchitecture() const {
  if (capability_ >= 80)
    return Status::Ok();
  return Status::Error("cuda:" + std::to_string(device_) + " (" + name_ + ") is sm_" +
                       std::to_string(capability_) +
                       ": the artifact's PTX needs compute_80 or newer");
}

} // namespace nncc::rt
