// A short, readable account of what elementwise fusion did to a model.
#pragma once

#include "compiler/Transforms/Fusion.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nncc {

/// Lists the loop nests of `linalgModule` (the CPU pipeline's linalg stage)
/// with the module paths each came from, and what fusion merged, against
/// the op count of `nnModule`, and which nests run as the epilogue of a
/// matmul or convolution under `rules`. Zero fills of matmul accumulators
/// are counted, not listed.
std::string summarizeFusion(mlir::ModuleOp nnModule, mlir::ModuleOp linalgModule,
                            const FusionRules &rules);

/// The module paths a location names, in order, without repeats.
std::vector<std::string> modulePaths(mlir::Location loc);

} // namespace nncc
