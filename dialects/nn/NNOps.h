// Op classes of the nn dialect, generated from NNOps.td.
#pragma once

#include "dialects/nn/NNDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace nncc::ir {
/// The prefix of the location name that marks a gradient: the autodiff pass
/// locates the op computing parameter `w`'s gradient at NameLoc("grad.w").
inline constexpr const char *kGradPrefix = "grad.";
/// What nn.dropout adds to its seed per step of a train step.
inline constexpr uint64_t kDropoutStepStride = 0xD1B54A32D192ED03ULL;
/// Names the result of an op located at NameLoc("grad.<key>") %grad.<key>,
/// so the backward IR reads by parameter; other results keep numbers.
void nameGradientResults(mlir::Operation *op, mlir::OpAsmSetValueNameFn setName);
} // namespace nncc::ir

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.h.inc"

namespace nncc::ir {
/// The module attribute that records the mode a model was recorded in.
inline constexpr const char *kTrainingAttr = "nn.training";
/// The module attribute holding the optimizer a train step applies: a
/// dictionary with `kind` (sgd, adam, adamw) and PyTorch's option names.
inline constexpr const char *kOptimizerAttr = "nn.optimizer";
/// Whether `kind` names a hook kind: forward_pre, forward, backward_pre, backward, grad.
bool isHookKind(llvm::StringRef kind);
/// The module attribute naming the root module's class.
inline constexpr const char *kModelClassAttr = "nn.class";
} // namespace nncc::ir
