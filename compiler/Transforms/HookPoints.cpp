// nncc-select-hook-points and nncc-insert-hook-points: which hook points a compiled model has.
#include "compiler/Transforms/HookPoints.h"
#include "compiler/Passes.h"
#include "dialects/nn/NNOps.h"

#include <fnmatch.h>

namespace nncc {
#define GEN_PASS_DEF_SELECTHOOKPOINTS
#define GEN_PASS_DEF_INSERTHOOKPOINTS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

bool matches(const std::string &pattern, StringRef path) {
  return fnmatch(pattern.c_str(), path.str().c_str(), 0) == 0;
}

/// The module path of a recorded op ("" for the root), or nothing for other locations.
std::optional<std::string> pathOf(Operation *op) {
  auto name = dyn_cast<NameLoc>(op->getLoc());
  if (!name)
    return std::nullopt;
  std::string path = name.getName().str();
  return path == "<root>" ? "" : path;
}

/// Whether `inner` is `outer` or inside it.
bool within(const std::string &inner, const std::string &outer) {
  return outer.empty() || inner == outer ||
         (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
          inner[outer.size()] == '.');
}

/// `path` and its ancestors, innermost first, the root ("") last.
std::vector<std::string> selfAndAncestors(const std::string &path) {
  std::vector<std::string> out{path};
  for (size_t dot = path.rfind('.'); dot != std::string::npos; dot = path.rfind('.', dot - 1)) {
    out.push_back(path.substr(0, dot));
    if (dot == 0)
      break;
  }
  if (!path.empty())
    out.push_back("");
  return out;
}

struct SelectHookPointsPass : impl::SelectHookPointsBase<SelectHookPointsPass> {
  using SelectHookPointsBase::SelectHookPointsBase;

  void runOnOperation() override {
    auto dropped = [&](StringRef path) { return strip || !matches(keep, path); };
    getOperation().walk([&](Operation *op) {
      if (auto hook = dyn_cast<ir::HookOp>(op); hook && dropped(hook.getPath())) {
        hook.replaceAllUsesWith(hook.getInput());
        hook.erase();
      } else if (auto mark = dyn_cast<ir::GradHookOp>(op); mark && dropped(mark.getPath())) {
        mark.replaceAllUsesWith(mark.getInput());
        mark.erase();
      }
    });
  }
};

struct InsertHookPointsPass : impl::InsertHookPointsBase<InsertHookPointsPass> {
  using InsertHookPointsBase::InsertHookPointsBase;
  void runOnOperation() override { insertHookPoints(getOperation(), pattern); }
};

} // namespace

int insertHookPoints(ModuleOp module, const std::string &pattern,
                     const std::map<std::string, std::string> &classes) {
  int added = 0;
  module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return;
    SmallVector<Operation *> ops;
    for (Operation &op : func.getBody().front().without_terminator())
      if (!isa<ir::GetOp, ir::HookOp, ir::GradHookOp, ir::AssignOp>(op))
        ops.push_back(&op);
    for (Operation *op : ops) {
      std::optional<std::string> path = pathOf(op);
      if (!path)
        continue;
      for (Value result : op->getResults()) {
        auto type = dyn_cast<RankedTensorType>(result.getType());
        if (!type || !type.getElementType().isF32())
          continue;
        // Innermost first: each module whose subtree the value leaves.
        for (const std::string &module : selfAndAncestors(*path)) {
          auto outside = [&](OpOperand &use) {
            Operation *user = use.getOwner();
            if (isa<func::ReturnOp>(user))
              return true;
            std::optional<std::string> at = pathOf(user);
            return at && !within(*at, module);
          };
          if (!matches(pattern, module) || llvm::none_of(result.getUses(), outside))
            continue;
          // Already tapped here (recorded, or added for this module).
          if (llvm::any_of(result.getUsers(), [&](Operation *user) {
                auto hook = dyn_cast<ir::HookOp>(user);
                return hook && hook.getKind() == "forward" && hook.getPath() == module;
              }))
            continue;
          OpBuilder b(op->getContext());
          b.setInsertionPointAfter(result.getDefiningOp());
          auto cls = classes.find(module);
          auto hook = b.create<ir::HookOp>(
              NameLoc::get(b.getStringAttr(module.empty() ? "<root>" : module)), type,
              b.getStringAttr("forward"), b.getStringAttr(module), result, Value(),
              cls == classes.end() ? StringAttr() : b.getStringAttr(cls->second));
          result.replaceUsesWithIf(hook.getResult(), [&](OpOperand &use) {
            return use.getOwner() != hook && outside(use);
          });
          result = hook.getResult();
          ++added;
        }
      }
    }
  });
  return added;
}

} // namespace nncc
