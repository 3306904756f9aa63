// The fusion rules, by the names `--disable-fusion` takes, and why a producer does not fuse.
#pragma once

#include "dialects/nn/NNOps.h"

#include "mlir/IR/Operation.h"

#include <string>
#include <vector>

namespace nncc {

/// bn-fold: eval-mode batch_norm folded into the convolution before it (nncc-fold-batch-norm).
/// elementwise: an elementwise producer with one user computed inside its consumer.
/// multi-output: a producer whose other users only return it, yielded by the fused op too.
/// epilogue: the elementwise op after a matmul or convolution, on the kernel's register tile
/// (nncc-contraction-kernels, at the loops stage).
inline const std::vector<std::string> kFusionRules = {"bn-fold", "elementwise", "multi-output",
                                                      "epilogue"};

struct FusionRules {
  bool bnFold = true, elementwise = true, multiOutput = true, epilogue = true;
  /// Turns off the rule `name`; throws nncc::Error naming the known rules when there is none.
  void disable(const std::string &name);
};

/// Why the producer of `operand` is not computed inside the operand's owner, in one phrase
/// ("a hook point at '1' (forward) materialises it"); empty when it is fusable under `rules`.
/// Function arguments (inputs, parameters) have no producer: "an input of the function".
std::string fusionBlocker(mlir::OpOperand &operand, const FusionRules &rules);

/// Why `operand`'s producer, a matmul or convolution, will not have `operand`'s owner computed on
/// its register tile as its epilogue (nncc-contraction-kernels); empty when it will. Decided on
/// tensors, before bufferization: the loops stage also checks that buffers do not overlap.
std::string epilogueBlocker(mlir::OpOperand &operand, const FusionRules &rules);

/// Why nncc-fold-batch-norm leaves `bn` as it is, in one phrase; empty when it folds it.
std::string bnFoldBlocker(ir::BatchNormOp bn);

/// The rule that fuses `operand`'s producer into its owner: "multi-output" when the producer
/// has other users, else "elementwise". Only meaningful when fusionBlocker is empty.
std::string fusionRuleFor(mlir::OpOperand &operand);

/// Attribute names of FuseElementwise's annotations, read by `nncc explain`.
inline constexpr const char *kKernelAttr = "nn.kernel";
inline constexpr const char *kMembersAttr = "nn.members";
inline constexpr const char *kRulesAttr = "nn.rules";
inline constexpr const char *kAvoidedBytesAttr = "nn.avoided_bytes";

} // namespace nncc
