// The CUDA target's code generator: every linalg op of a bufferized, memory-planned module becomes
// one CUDA C kernel, and every entry function a list of launches over its arguments.
#pragma once

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"

#include <nlohmann/json.hpp>

#include <string>

namespace nncc {

/// What `nncc compile --target=cuda` produces from one module.
struct CudaProgram {
  /// One translation unit: a prelude, the constants, and a `__global__` kernel per linalg op, each
  /// headed by the module paths it computes. With NNCC_CUDA_EMULATION defined it also has, per
  /// kernel, `<kernel>_host(void **args)`, which calls it with the launch's pointers.
  std::string source;
  /// Per entry function, in order: {"name", "launches": [...]}, each launch either
  /// {"op": "kernel", "kernel", "threads", "block", "args", "at"}, where `args` are the entry
  /// function's argument positions (the manifest's order) whose base pointers the kernel takes,
  /// a cuBLAS GEMM {"op": "gemm", ...} as CudaGemm.h describes it, or a hook point
  /// {"op": "hook", "site", "tensor": {"arg", "offset"}, ["input": {...}], "at"}, whose callbacks
  /// the runtime runs on the host. A kernel runs one thread per
  /// output element (threads of them, in blocks of `block`); each thread loops over the
  /// reduction dimensions itself. A long reduction into few outputs instead runs one block per
  /// output, whose threads share the reduction and combine their partials in shared memory.
  nlohmann::json plan;
};

/// Threads per block of every launch.
inline constexpr int kCudaBlock = 256;
/// A reduction of at least kBlockReduceMin elements into at most kBlockReduceMaxOutputs outputs
/// runs a block per output: too few outputs to fill a GPU with a thread each.
inline constexpr int64_t kBlockReduceMin = 128, kBlockReduceMaxOutputs = 8192;

/// Emits `module`, which must be at the memref stage with every linalg op generalized
/// (linalg-generalize-named-ops) except the convolutions convAsGemm takes. Fails with an error at the op's location (module path) for an
/// op or a view it cannot express.
mlir::FailureOr<CudaProgram> emitCuda(mlir::ModuleOp module);

/// Whether the emitter runs `op` (kept named, not generalized) as im2col and a cuBLAS GEMM: f32,
/// static, contiguous, in the arena or arguments. Other convolutions are direct kernels.
bool convAsGemm(mlir::linalg::Conv2DNchwFchwOp op);

} // namespace nncc
