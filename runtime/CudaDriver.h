// The CUDA driver, loaded at run time with dlopen: binaries never link it (nor its stub), so they
// start and report clearly on machines without a driver or a GPU.
#pragma once

#include "runtime/Status.h"

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

private:
  CudaDriver() = default;
  void *library_ = nullptr;
  int device_ = 0;
  int capability_ = 0;
  std::string name_;
};

} // namespace nncc::rt
