// `nncc inspect`: the module tree and a per-layer summary of a model file, and its memory plan.
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nncc {
namespace proto {
class Model;
}

/// The printed module tree, then a table of every called module (class,
/// path, output shape, own parameter count) and the total, trainable and
/// non-trainable parameter counts, as torchsummary prints them.
std::string inspectModel(const proto::Model &model);

/// The memory plan of each entry function of a module at the memref stage: the arena's bytes
/// against the sum of the buffers it holds, one line per entry.
std::string describeMemoryPlan(mlir::ModuleOp module);

} // namespace nncc
