// The gradient rule interface's generated code, and the registration of each family's rules.
#include "dialects/nn/NNGradient.h"
#include "dialects/nn/gradients/GradientUtils.h"

#include "dialects/nn/NNGradient.cpp.inc"

namespace nncc::ir {

void registerGradientRules(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, NNDialect *) {
    grad::attachCoreRules(ctx);
    grad::attachActivationRules(ctx);
    grad::attachModeRules(ctx);
    grad::attachConvRules(ctx);
    grad::attachHookRules(ctx);
  });
}

} // namespace nncc::ir
