// The gradient rule interface of nn ops, and the registration of every op's rule.
#pragma once

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

#include "dialects/nn/NNGradient.h.inc"

namespace nncc::ir {

/// Attaches the gradient rule of every differentiable nn op (as external
/// interface models, one file per op family under gradients/).
void registerGradientRules(mlir::DialectRegistry &registry);

} // namespace nncc::ir
