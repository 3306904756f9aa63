// The fusion summary: loop nests, their module paths, and the intermediate traffic fusion avoided.
#include "compiler/Driver/FusionSummary.h"
#include "compiler/Transforms/Fusion.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <sstream>

namespace nncc {

std::vector<std::string> modulePaths(mlir::Location loc) {
  std::vector<std::string> paths;
  loc->walk([&](mlir::Location l) {
    if (auto name = mlir::dyn_cast<mlir::NameLoc>(l)) {
      std::string path = name.getName().str();
      if (std::find(paths.begin(), paths.end(), path) == paths.end())
        paths.push_back(path);
    }
    return mlir::WalkResult::advance();
  });
  return paths;
}

std::string summarizeFusion(mlir::ModuleOp nnModule, mlir::ModuleOp linalgModule,
                            const FusionRules &rules) {
  int nnOps = 0;
  nnModule.walk([&](mlir::Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "nn" && op->getNumResults() &&
        !mlir::isa<ir::GetOp>(op))
      ++nnOps;
  });
  std::ostringstream rows;
  int nests = 0, fills = 0, epilogues = 0;
  int64_t avoided = 0;
  llvm::DenseMap<mlir::Operation *, int> nestOf;
  linalgModule.walk([&](mlir::linalg::LinalgOp op) {
    if (mlir::isa<mlir::linalg::FillOp>(op)) {
      ++fills;
      return;
    }
    nestOf[op] = ++nests;
    std::string what = op->getName().getStringRef().str();
    int computeOps = 0;
    if (auto generic = mlir::dyn_cast<mlir::linalg::GenericOp>(op.getOperation())) {
      std::vector<std::string> names;
      for (mlir::Operation &inner : generic.getBody()->without_terminator()) {
        names.push_back(inner.getName().stripDialect().str());
        ++computeOps;
      }
      what += " {";
      for (size_t i = 0; i < names.size(); ++i)
        what += (i ? ", " : "") + names[i];
      what += "}";
    }
    std::string paths;
    for (const std::string &p : modulePaths(op->getLoc()))
      paths += (paths.empty() ? "" : ", ") + p;
    rows << "  " << nests << ". " << what << "  <- " << paths;
    if (computeOps > 1) {
      auto type = mlir::cast<mlir::ShapedType>(op->getResult(0).getType());
      int64_t bytes = type.getNumElements() * 4 * 2 * (computeOps - 1);
      avoided += bytes;
      rows << "  (" << computeOps << " elementwise ops in one loop nest; " << bytes
           << " B of intermediate traffic avoided)";
    }
    for (mlir::OpOperand *input : op.getDpsInputOperands()) {
      mlir::Operation *def = input->get().getDefiningOp();
      if (def && nestOf.count(def) && epilogueBlocker(*input, rules).empty()) {
        rows << "  (the epilogue of " << nestOf[def] << ": runs on its register tile)";
        ++epilogues;
        break;
      }
    }
    rows << "\n";
  });
  std::ostringstream out;
  out << "fusion: " << nnOps << " nn ops -> " << nests << " loop nests, " << epilogues
      << " of them run as the epilogue of the one before (+" << fills
      << " accumulator fills); " << avoided << " B of intermediate traffic avoided\n"
      << rows.str();
  return out.str();
}

} // namespace nncc
