// NVRTC: CUDA C to PTX or CUBIN in-process (built only where CMake found the CUDA toolkit).
#include "compiler/Target/CUDA/CudaCompile.h"
#include "frontend/Error.h"

#include <nvrtc.h>

#include <vector>

namespace nncc {

bool haveNvrtc() { return true; }

std::string compileForArch(const std::string &source, const std::string &arch) {
  nvrtcProgram program;
  if (nvrtcCreateProgram(&program, source.c_str(), "nncc.cu", 0, nullptr, nullptr) != NVRTC_SUCCESS)
    throw Error("NVRTC: cannot create a program");
  std::string archFlag = "--gpu-architecture=" + arch;
  const char *flags[] = {archFlag.c_str(), "--std=c++17"};
  nvrtcResult result = nvrtcCompileProgram(program, 2, flags);
  size_t logSize = 0;
  nvrtcGetProgramLogSize(program, &logSize);
  std::string log(logSize, '\0');
  if (logSize)
    nvrtcGetProgramLog(program, log.data());
  if (result != NVRTC_SUCCESS) {
    nvrtcDestroyProgram(&program);
    throw Error("NVRTC (" + arch + "): " + std::string(nvrtcGetErrorString(result)) + ": " + log);
  }
  // A real architecture (sm_XY) gives a CUBIN, a virtual one (compute_XY) PTX.
  bool cubin = arch.rfind("sm_", 0) == 0;
  size_t size = 0;
  (cubin ? nvrtcGetCUBINSize : nvrtcGetPTXSize)(program, &size);
  std::string image(size, '\0');
  (cubin ? nvrtcGetCUBIN : nvrtcGetPTX)(program, image.data());
  nvrtcDestroyProgram(&program);
  if (!cubin && !image.empty() && image.back() == '\0')
    image.pop_back();
  return image;
}

} // namespace nncc
