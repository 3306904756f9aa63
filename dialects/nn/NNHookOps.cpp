// Verifiers of the hook points.
#include "dialects/nn/NNOps.h"

using namespace mlir;

namespace nncc::ir {

bool isHookKind(llvm::StringRef kind) {
  return llvm::is_contained({"forward_pre", "forward", "backward_pre", "backward", "grad"}, kind);
}

LogicalResult HookOp::verify() {
  if (!isHookKind(getKind()))
    return emitOpError("unknown hook kind '") << getKind() << "'";
  if (getModuleInput() && getKind() != "forward")
    return emitOpError("only forward hooks see the module's input");
  return success();
}

LogicalResult GradHookOp::verify() {
  if (!llvm::is_contained({"backward_pre", "backward", "grad"}, getKind()))
    return emitOpError("kind must be backward_pre, backward or grad, got '") << getKind() << "'";
  return success();
}

} // namespace nncc::ir
