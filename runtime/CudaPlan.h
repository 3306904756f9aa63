// The CUDA artifact's launch plan, read and checked: per entry point, the kernels and cuBLAS GEMMs
// to run in order, over the entry function's arguments (the manifest's order).
#pragma once

#include "runtime/Status.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc::rt {

/// One matrix of a GEMM: entry argument `arg`, from element `offset`, leading dimension `ld`,
/// `stride` elements between batches.
struct GemmOperand {
  int arg = 0;
  int64_t offset = 0, ld = 0, stride = 0;
};

/// cublasSgemmStridedBatched, column-major, alpha = 1: C = op(A) op(B) + beta C, batch times,
/// beta 1 (accumulate) or 0 (overwrite). With an epilogue (cuBLASLt, batch 1):
/// D = act(op(A) op(B) + beta C + bias), the bias a vector of m elements added to every column,
/// act ReLU or the identity.
struct GemmStep {
  bool transa = false, transb = false;
  float beta = 1;
  int64_t m = 0, n = 0, k = 0, batch = 1;
  GemmOperand a, b, c;
  bool epilogue = false, relu = false;
  /// With an epilogue: the bias (`ld` and `stride` unused) and D (laid out as C, `ld` its own).
  GemmOperand bias, d;
};

/// A kernel launch: `grid` blocks of `block` threads; the kernel's parameters are the base
/// pointers of entry arguments `args`.
struct KernelStep {
  int kernel = 0; // index into CudaPlan::kernels
  unsigned grid = 0, block = 0;
  std::vector<int> args;
};

/// Where a hook point's contiguous tensor is: entry argument `arg`, from element `offset`.
struct HookPlace {
  int arg = -1;
  int64_t offset = 0;
};

/// Hook point `site` (the manifest's "hooks" index): its callbacks run on the host on a copy of
/// the tensor (and of a forward hook's module input), which is copied back.
struct HookStep {
  int64_t site = 0;
  HookPlace tensor, input;
};

struct PlanStep {
  enum class Kind { Kernel, Gemm, Hook } kind = Kind::Kernel;
  KernelStep kernel;
  GemmStep gemmStep;
  HookStep hook;
  /// The module paths it computes, for errors.
  std::string at;
};

struct CudaPlan {
  /// Every kernel name the plan launches, once.
  std::vector<std::string> kernels;
  std::map<std::string, std::vector<PlanStep>> entries;
  /// Per entry, the bytes of scratch memory its steps use (a convolution's im2col columns). Steps
  /// name it as argument index `argCount` (one past the entry's last argument).
  std::map<std::string, int64_t> workspaceBytes;
};

/// Reads `plan` (the artifact's "plan") for model `model`; `argCounts` is each entry's number of
/// arguments, which every step's argument index must be below (or equal to, for the workspace of
/// an entry that has one). The error names the entry.
Status parseCudaPlan(const nlohmann::json &plan, const std::string &model,
                     const std::map<std::string, size_t> &argCounts, CudaPlan *out);

} // namespace nncc::rt
