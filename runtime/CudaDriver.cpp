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

template <class Fn> Fn entryPoint(void *library, const char *name) {
  return reinterpret_cast<Fn>(dlsym(library, name));
}

/// 80 for "sm_80" or "compute_80" after the prefix, -1 for anything else.
int archNumber(const std::string &key, const std::string &prefix) {
  if (key.rfind(prefix, 0) != 0 || key.size() == prefix.size() ||
      key.find_first_not_of("0123456789", prefix.size()) != std::string::npos || key.size() > prefix.size() + 4)
    return -1;
  return std::stoi(key.substr(prefix.size()));
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
  auto init = entryPoint<CuInit>(driver->library_, "cuInit");
  auto count = entryPoint<CuDeviceGetCount>(driver->library_, "cuDeviceGetCount");
  auto get = entryPoint<CuDeviceGet>(driver->library_, "cuDeviceGet");
  auto getName = entryPoint<CuDeviceGetName>(driver->library_, "cuDeviceGetName");
  auto attribute = entryPoint<CuDeviceGetAttribute>(driver->library_, "cuDeviceGetAttribute");
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

void *CudaDriver::symbol(const char *name) const { return dlsym(library_, name); }

Status CudaDriver::pickImage(int capability, const std::map<std::string, std::string> &images,
                             std::string *key) {
  int bestCubin = -1, bestPtx = -1;
  std::string cubin, ptx, names;
  for (const auto &[name, image] : images) {
    names += (names.empty() ? "" : ", ") + name;
    int sm = archNumber(name, "sm_"), compute = archNumber(name, "compute_");
    if (sm >= 0 && sm / 10 == capability / 10 && sm <= capability && sm > bestCubin)
      bestCubin = sm, cubin = name;
    if (compute >= 0 && compute <= capability && compute > bestPtx)
      bestPtx = compute, ptx = name;
  }
  if (bestCubin >= 0 || bestPtx >= 0) {
    *key = bestCubin >= 0 ? cubin : ptx;
    return Status::Ok();
  }
  return Status::Error("the device is sm_" + std::to_string(capability) +
                       ": the artifact has code only for " + (names.empty() ? "no architecture" : names));
}

} // namespace nncc::rt
