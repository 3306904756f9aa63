// The CUDA target's compile: the shared pipeline to the memref stage, then one CUDA C kernel per
// linalg op, and, where the CUDA toolkit was found at build time, PTX from NVRTC.
#pragma once

#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/CUDA/CudaEmitter.h"

#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <string>

namespace nncc {

struct CudaArtifact {
  CudaProgram program;
  /// The entry functions' arguments, as the CPU artifact's manifest describes them.
  std::string manifest;
  /// What rt::CudaModel::create reads: {"manifest", "plan"}.
  nlohmann::json description() const {
    return {{"manifest", nlohmann::json::parse(manifest)}, {"plan", program.plan}};
  }
};

/// Lowers `module` (consumed) through bufferization and memory planning with `options`, makes
/// every linalg op a linalg.generic and emits it; throws nncc::Error naming the op's module path.
CudaArtifact compileCuda(mlir::ModuleOp module, CpuPipelineOptions options);

/// Whether this build has NVRTC (the CUDA toolkit was found by CMake).
bool haveNvrtc();
/// NVRTC's image of `source` for `arch`: PTX for a virtual architecture ("compute_80"), a CUBIN for
/// a real one ("sm_90"). Throws nncc::Error with NVRTC's log (or, without NVRTC, saying so).
std::string compileForArch(const std::string &source, const std::string &arch);

/// The images an artifact carries, by architecture: CUBINs for sm_80 and sm_90, and PTX for
/// compute_80 and compute_90, which the driver compiles for any newer GPU. Empty without NVRTC.
std::map<std::string, std::string> compileImages(const std::string &source);

/// An image's file name suffix: ".sm_90.cubin", ".compute_80.ptx".
std::string imageSuffix(const std::string &arch);

} // namespace nncc
