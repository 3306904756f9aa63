// The compiler driver: loads a model (model file or nn text), runs the CPU pipeline, writes artifacts.
#pragma once

#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/CPU/Codegen.h"
#include "frontend/StateDict.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <memory>
#include <ostream>
#include <string>

namespace nncc {
namespace rt {
class CudaDriver;
class Monitor;
}

/// A model ready to compile or run. The context is declared first so it
/// outlives the module.
struct LoadedModel {
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Prefix of the artifact's symbols.
  std::string name;
  /// The file it came from, for messages.
  std::string source;
  /// Parameters and buffers by state_dict key; empty for nn text without weights.
  StateDict weights;
  /// Module class by path, from a model file's tree; empty for nn text.
  std::map<std::string, std::string> classes;
};

/// Writes `bytes` to `path`; throws nncc::Error naming the file.
void writeFile(const std::string &path, const std::string &bytes);
/// The whole file at `path`; throws nncc::Error naming the file.
std::string readFile(const std::string &path);

/// A context with every dialect, interface and translation nncc uses.
std::unique_ptr<mlir::MLIRContext> makeCompilerContext();

/// Loads a protobuf model file, or nn dialect text when `path` ends in
/// .mlir; `weightsPath` (safetensors) supplies or replaces weights. Throws
/// nncc::Error with a one-line message naming the file on bad input.
LoadedModel loadModel(const std::string &path, const std::string &weightsPath = "");

/// Runs the CPU pipeline on `module` in place. Throws nncc::Error with the
/// first diagnostic (which names the module path) on failure.
void runCpuPipeline(mlir::ModuleOp module, const CpuPipelineOptions &options);

/// Checks that every parameter and buffer the IR declares is in `weights`
/// with its declared shape; throws nncc::Error naming the key otherwise.
void checkWeights(mlir::ModuleOp module, const StateDict &weights, const std::string &source);

/// What `nncc compile` can stop at and print.
enum class Emit { NN, Autodiff, Linalg, Fused, Memref, Loops, LLVMIR, Cuda, Obj };
/// What the artifact runs on.
enum class Target { Cpu, Cuda };

struct CompileOptions {
  Emit emit = Emit::Obj;
  CodegenOptions codegen;
  /// Whether the object carries the weights (the header can load them from
  /// the side file either way).
  bool embedWeights = true;
  /// Also compile @backward and, for models recorded with a loss, @train_step.
  bool train = false;
  /// The recorded hook points to keep: those whose path matches this glob; none with
  /// stripHooks.
  std::string hookPoints = "*";
  bool stripHooks = false;
  FusionRules fusion;
  Target target = Target::Cpu;
};

/// Compiles `model`. For Emit::Obj writes <dir>/<name>.o, <name>.h and
/// <name>.safetensors; otherwise prints the stage's IR to `text`.
/// Throws nncc::Error on failure.
void compileModel(LoadedModel &model, const CompileOptions &options, const std::string &dir,
                  std::ostream &text);

/// Compiles `model` for CUDA with `options` (its target is taken as CUDA) and runs its forward on
/// the GPU `driver` opened, through rt::CudaModel, with `monitor` (when given) attached to its
/// hook points. Throws nncc::Error naming the model, the device or the kernel at fault.
std::vector<Tensor> runCudaForward(LoadedModel &model, const CompileOptions &options,
                                   std::unique_ptr<rt::CudaDriver> driver, const std::vector<Tensor> &inputs,
                                   rt::Monitor *monitor = nullptr);

} // namespace nncc
