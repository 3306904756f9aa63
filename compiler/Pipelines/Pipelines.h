// The one place where nncc's pass order lives; every tool builds its pass manager here.
#pragma once

#include "compiler/Transforms/Fusion.h"

#include "mlir/Pass/PassManager.h"

#include <string>

namespace nncc {

/// Where the CPU pipeline stops; each is a `nncc compile --emit=` stage.
enum class CpuStage {
  /// nn ops after verification, unchanged.
  NN,
  /// nn with the generated @backward and @train_step (when training).
  Autodiff,
  /// linalg on tensors, as the nn ops lower (eval-mode BN already folded), before fusion.
  Linalg,
  /// linalg on tensors after elementwise fusion: the fused groups.
  Fused,
  /// memrefs after bufferization and memory planning.
  Memref,
  /// loops: matmuls and convolutions as vector kernels, everything else as scf loops.
  Loops,
  /// the LLVM dialect with the artifact's entry points.
  LLVM,
};

struct CpuPipelineOptions {
  /// Prefix of the exported symbols: nncc_<model>_forward.
  std::string modelName = "model";
  /// The stage the input is already at; passes up to it are skipped.
  CpuStage startAfter = CpuStage::NN;
  CpuStage stopAfter = CpuStage::LLVM;
  /// Also generate @backward, and @train_step from @train_forward when the
  /// model was recorded with a loss.
  bool train = false;
  /// The target's vector width in bits (see vectorBitsOf in Target/CPU/Codegen.h).
  int64_t vectorBits = 256;
  /// The hook points compiled in: those whose module path matches this glob, none with
  /// `stripHooks`.
  std::string hookPoints = "*";
  bool stripHooks = false;
  /// The fusion rules that apply (`--disable-fusion`).
  FusionRules fusion;
  /// Fused ops record their members, rules and avoided bytes (for `nncc explain`).
  bool annotateFusion = false;
  /// Layout rewrites for the CPU's kernels (nncc-untranspose-matmuls); off for --target=cuda.
  bool cpuLayouts = true;
  /// The CPU features the generated code may use, recorded in the manifest (see isaOf).
  std::string isa;
};

/// Appends the passes that take a module from `options.startAfter` to
/// `options.stopAfter`.
void buildCpuPipeline(mlir::OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers `nncc-cpu-pipeline` (to the LLVM dialect) for nncc-opt.
void registerCpuPipeline();

} // namespace nncc
