// Builds without the CUDA toolkit: the CUDA target still emits CUDA C, but cannot make PTX or CUBIN.
#include "compiler/Target/CUDA/CudaCompile.h"
#include "frontend/Error.h"

namespace nncc {

bool haveNvrtc() { return false; }

std::string compileForArch(const std::string &, const std::string &arch) {
  throw Error("this nncc was built without the CUDA toolkit: NVRTC cannot compile for " + arch);
}

} // namespace nncc
