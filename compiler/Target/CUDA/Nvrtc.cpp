// NVRTC: CUDA C to PTX in-process (built only where CMake found the CUDA toolkit).
#include "compiler/Target/CUDA/CudaCompile.h"
#include "frontend/Error.h"

#include <nvrtc.h>

#include <vector>

namespace nncc {

bool haveNvrtc() { return true; }

std::string compileToPtx(const std::string &source, const std::string &arch) {
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
  size_t ptxSize = 0;
  nvrtcGetPTXSize(program, &ptxSize);
  std::string ptx(ptxSize, '\0');
  nvrtcGetPTX(program, ptx.data());
  nvrtcDestroyProgram(&program);
  if (!ptx.empty() && ptx.back() == '\0')
    ptx.pop_back();
  return ptx;
}

} // namespace nncc
