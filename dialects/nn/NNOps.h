// Op classes of the nn dialect, generated from NNOps.td.
#pragma once

#include "dialects/nn/NNDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.h.inc"

namespace nncc::ir {
/// The module attribute that records the mode a model was recorded in.
inline constexpr const char *kTrainingAttr = "nn.training";
/// The module attribute naming the root module's class.
inline constexpr const char *kModelClassAttr = "nn.class";
} // namespace nncc::ir
