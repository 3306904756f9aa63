// trace(): records a module's forward on symbolic inputs into a verified nn module.
#pragma once

#include "frontend/Recorder.h"
#include "frontend/Tensor.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nncc {
namespace nn {
class Module;
}

/// A recorded model: the nn module and the module calls seen on the way.
/// The context is declared first so that it outlives the module.
struct TracedModel {
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::vector<ModuleCall> calls;
};

/// A context with the dialects recording needs.
std::unique_ptr<mlir::MLIRContext> makeRecordingContext();

/// What a forward computes from its symbolic inputs, for models whose
/// forward takes or returns several tensors.
using ForwardBody = std::function<std::vector<SymTensor>(const std::vector<SymTensor> &)>;

/// Records `module(inputs)` — or `body(inputs)`, which calls into `module` —
/// as `func.func @forward` in the module's current mode, and verifies it.
/// Throws nncc::Error naming the module path on a shape error or on use of
/// an unregistered tensor or module. Modules and parameters with hooks get
/// hook points; so do those whose path matches the glob `hookPoints`.
TracedModel trace(nn::Module &module, const std::vector<InputSpec> &inputs,
                  const ForwardBody &body = nullptr, const std::string &hookPoints = "");

/// Verifies a recorded module; throws nncc::Error naming model `name` and
/// the diagnostics otherwise.
void verifyRecorded(TracedModel &traced, const std::string &name);

/// Prints `op` as nncc shows IR: custom assembly, with each op's module path
/// inline as loc("features.0") (no location aliases).
std::string printIR(mlir::Operation *op, bool withLocations = true);

} // namespace nncc
