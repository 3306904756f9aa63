// Verifiers of the ops losses, optimizers and gradient rules are built from.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/Verify.h"

using namespace mlir;

namespace nncc::ir {

LogicalResult SumOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) -> std::optional<Dims> {
    Dims in = dimsOf(getInput()), out;
    for (int64_t d : getDims())
      if (d < 0 || d >= static_cast<int64_t>(in.size()) || llvm::count(getDims(), d) != 1) {
        error = "dims must be distinct and in [0, " + std::to_string(in.size()) + ")";
        return std::nullopt;
      }
    for (int64_t d = 0; d < static_cast<int64_t>(in.size()); ++d) {
      if (!llvm::is_contained(getDims(), d))
        out.push_back(in[d]);
      else if (getKeepdim())
        out.push_back(1);
    }
    return out;
  });
}

LogicalResult ExpandOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) -> std::optional<Dims> {
    Dims in = dimsOf(getInput()), out = dimsOf(getResult());
    std::optional<Dims> shape = broadcastShape(in, out, error);
    if (shape && *shape != out) {
      error = "cannot expand " + formatDims(in) + " to " + formatDims(out);
      return std::nullopt;
    }
    return shape;
  });
}

LogicalResult ActivationGradOp::verify() {
  static const char *kinds[] = {"relu", "leaky_relu", "gelu", "gelu_tanh", "hardswish",
                                "sigmoid", "tanh", "silu", "abs"};
  if (!llvm::is_contained(kinds, getKind()))
    return emitOpError("unknown kind '") << getKind() << "'";
  if ((getKind() == "leaky_relu") != getAlpha().has_value())
    return emitOpError("takes `alpha` exactly when kind is leaky_relu");
  return success();
}

LogicalResult OneHotOp::verify() {
  return verifyShapeRule(*this, [&](std::string &error) -> std::optional<Dims> {
    Dims out = dimsOf(getIndices());
    Dims result = dimsOf(getResult());
    if (result.empty() || result.back() < 1) {
      error = "result needs a last dim of at least one class";
      return std::nullopt;
    }
    out.push_back(result.back());
    return out;
  });
}

} // namespace nncc::ir
