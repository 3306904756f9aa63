// `nncc explain`: each fused kernel with its modules, rule, loops and saved traffic, and why its
// neighbours were not fused; as text, a diff between rule sets, Graphviz and a self-contained HTML
// report.
#pragma once

#include "compiler/Transforms/Fusion.h"

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc {

/// A producer next to a kernel that was not fused into it, and why.
struct Neighbour {
  /// The producing kernel's number, or 0 when it is not a kernel.
  int kernel = 0;
  std::string what;
  std::string reason;
};

/// One loop nest after fusion.
struct ExplainedKernel {
  int id = 0;
  std::string function;
  /// "linalg.generic {addf, maximumf}", "linalg.conv_2d_nchw_fchw".
  std::string op;
  /// "features.2 (ReLU)", in the order the location names them.
  std::vector<std::string> modules;
  /// The fusion rules that made it, in order of use.
  std::vector<std::string> rules;
  /// The kernels (numbered before fusion) it was made of.
  std::vector<int> members;
  /// "parallel [1, 32, 16, 16] x reduction [32, 3, 3]".
  std::string loops;
  /// Intermediate bytes no longer written and read back, thanks to its rules.
  int64_t avoidedBytes = 0;
  /// This kernel runs on kernel `epilogueOf`'s register tile, as its epilogue (0: it does not);
  /// that kernel's `epilogue` names it back.
  int epilogueOf = 0, epilogue = 0;
  std::vector<Neighbour> notFused;
};

/// A kernel before fusion (after eval-mode folding), for the graph.
struct KernelNode {
  int id = 0;
  std::string label;
  /// The kernel after fusion that holds it.
  int group = 0;
};

struct Explanation {
  std::string model;
  std::vector<std::string> disabledRules;
  /// Kernels and the bytes their operands and results take, with no fusion rule at all, and
  /// with the rules in force.
  int kernelsBefore = 0, kernelsAfter = 0;
  int64_t bytesBefore = 0, bytesAfter = 0;
  std::vector<ExplainedKernel> kernels;
  /// Decisions before the linalg stage (a batch_norm left unfolded, and why).
  std::vector<std::string> notes;
  std::vector<KernelNode> nodes;
  /// Data flow between kernels before fusion: (producer, consumer) node ids.
  std::vector<std::pair<int, int>> edges;
  /// Module class by path, where the model file names it; the paths of every module seen.
  std::map<std::string, std::string> classes;
  /// The stages, as IR text with module paths: nn, linalg before fusion, fused.
  std::string nnIR, linalgIR, fusedIR;
};

/// Explains the fusion of an nn module (left unchanged) under `rules`; `classes` names module
/// classes by path.
Explanation explainFusion(mlir::ModuleOp nn, const std::string &model, const FusionRules &rules,
                          const std::vector<std::string> &disabledRules,
                          const std::map<std::string, std::string> &classes);

/// The report `nncc explain` prints.
std::string formatExplanation(const Explanation &e);
/// A line diff of `before` and `after` ("- " removed, "+ " added, "  " kept), headed by the labels.
std::string diffLines(const std::string &before, const std::string &after,
                      const std::string &beforeLabel, const std::string &afterLabel);
/// The kernels before fusion as nodes, each fused group a coloured cluster labelled by its modules.
std::string explanationDot(const Explanation &e);
/// One self-contained HTML page: totals, the module tree, the graph (`svg`, or the dot text when
/// empty), every kernel with its reasons and a link to its line of IR, and the stages side by side.
std::string explanationHtml(const Explanation &e, const std::string &svg);

} // namespace nncc
