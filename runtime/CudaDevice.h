// What the CUDA model runs on: device memory, the artifact's kernels and cuBLAS GEMMs on one
// stream. CudaDriver opens a GPU through the driver API; tests run the same plan on a host
// emulation of the generated code (test/cuda).
#pragma once

#include "runtime/CudaPlan.h"
#include "runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc::rt {

/// A device address (CUdeviceptr).
using DevicePtr = uint64_t;

class CudaDevice {
public:
  virtual ~CudaDevice() = default;

  /// "cuda:0 (NVIDIA H100, sm_90)", for messages.
  virtual std::string describe() const = 0;
  /// Resolves the artifact's kernels, by name, for launch(); with `gemms`, also readies cuBLAS.
  virtual Status prepare(const std::vector<std::string> &kernels, bool gemms) = 0;

  virtual Status allocate(size_t bytes, DevicePtr *out) = 0;
  virtual void release(DevicePtr ptr) = 0;
  /// Copies and fills, ordered on the device's stream; download() waits for its bytes.
  virtual Status upload(DevicePtr dst, const void *src, size_t bytes) = 0;
  virtual Status download(void *dst, DevicePtr src, size_t bytes) = 0;
  virtual Status copy(DevicePtr dst, DevicePtr src, size_t bytes) = 0;
  virtual Status zero(DevicePtr dst, size_t bytes) = 0;

  /// Launches prepared kernel `kernel` with the base pointers `args`.
  virtual Status launch(int kernel, unsigned grid, unsigned block, const std::vector<DevicePtr> &args) = 0;
  /// C = op(A) op(B) + beta C, column-major, as GemmStep says, with `a`, `b`, `c` the matrices' first
  /// elements; with g.epilogue, D = act(... + bias) instead, `bias` and `d` their first elements.
  virtual Status gemm(const GemmStep &g, DevicePtr a, DevicePtr b, DevicePtr c, DevicePtr bias, DevicePtr d) = 0;
  /// Waits for everything queued, reporting a failure of any of it.
  virtual Status synchronize() = 0;
};

} // namespace nncc::rt
