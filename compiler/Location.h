// Locations as nncc's messages print them: "file:line:col", or the module path.
#pragma once

#include "mlir/IR/Location.h"

#include <string>

namespace nncc {

/// "model.mlir:3:7" for a file location, "features.0" for a module path,
/// "features.0, features.1" for a fused one; MLIR's own form otherwise.
std::string formatLocation(mlir::Location loc);

} // namespace nncc
