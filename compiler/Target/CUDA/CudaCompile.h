// The CUDA target's compile: the shared pipeline to the memref stage, then one CUDA C kernel per
// linalg op, and, where the CUDA toolkit was found at build time, PTX from NVRTC.
#pragma once

#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/CUDA/CudaEmitter.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nncc {

struct CudaArtifact {
  CudaProgram program;
  /// The entry functions' arguments, as the CPU artifact's manifest describes them.
  std::string manifest;
};

/// Lowers `module` (consumed) through bufferization and memory planning with `options`, makes
/// every linalg op a linalg.generic and emits it; throws nncc::Error naming the op's module path.
CudaArtifact compileCuda(mlir::ModuleOp module, CpuPipelineOptions options);

/// Whether this build has NVRTC (the CUDA toolkit was found by CMake).
bool haveNvrtc();
/// PTX for `arch` ("compute_80", "compute_90") from NVRTC; throws nncc::Error with NVRTC's log
/// (or, without NVRTC, saying so).
std::string compileToPtx(const std::string &source, const std::string &arch);

} // namespace nncc
