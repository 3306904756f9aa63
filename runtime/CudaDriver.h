// The CUDA driver, loaded at run time with dlopen: binaries never link it (nor its stub), so they
// start and report clearly on machines without a driver or a GPU.
#pragma once

#include "runtime/CudaDevice.h"
#include "runtime/Status.h"

#include <map>
#include <memory>
#include <string>

namespace nncc::rt {

class CudaDriver {
public:
  ~CudaDriver();
  CudaDriver(const CudaDriver &) = delete;
  CudaDriver &operator=(const CudaDriver &) = delete;

  /// Loads libcuda.so.1, initialises it and picks device `device` (cuda:N). Errors read
  /// "no CUDA device: ..." (no driver library, no device, initialisation failed) or name the
  /// device index out of range.
  static Status load(int device, std::unique_ptr<CudaDriver> *out);

  int device() const { return device_; }
  const std::string &name() const { return name_; }
  /// The compute capability as major * 10 + minor (90 for sm_90).
  int computeCapability() const { return capability_; }

  /// Whether code compiled for the virtual architectures `compute_80` and `compute_90` (the CUDA
  /// target's PTX) runs on this device; the error names the device and its sm_XX otherwise.
  Status checkArchitecture() const;

  /// The image of `images` (keys "sm_XY" for CUBIN, "compute_XY" for PTX) that runs on a device of
  /// compute capability `capability`: the CUBIN of the same major version with the highest minor
  /// version not above the device's, else the newest PTX not above it. The error names the
  /// device's sm_XX and the images there are.
  static Status pickImage(int capability, const std::map<std::string, std::string> &images,
                          std::string *key);

  /// Opens the device `driver` picked: its primary context, the module from the image that fits
  /// it (pickImage), and a stream. The device owns the driver.
  static Status open(std::unique_ptr<CudaDriver> driver, const std::map<std::string, std::string> &images,
                     std::unique_ptr<CudaDevice> *out);

  /// A driver API entry point by its exported name, or nullptr.
  void *symbol(const char *name) const;

private:
  CudaDriver() = default;
  void *library_ = nullptr;
  int device_ = 0;
  int capability_ = 0;
  std::string name_;
};

} // namespace nncc::rt
