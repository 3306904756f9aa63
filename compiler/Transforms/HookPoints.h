// Hook points for a recorded model: choosing the recorded ones, adding forward ones from locations.
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <string>

namespace nncc {

/// Adds a forward hook point (`nn.hook "forward"`) on every output of every module whose path
/// matches the glob `pattern` and that has none yet. A module's outputs are read from the op
/// locations: values made inside its path and used outside it (or returned). Nested modules
/// chain innermost first, and only uses outside a module see its hook point. `classes` names
/// each path's module class, where known. Returns the number of hook points added.
int insertHookPoints(mlir::ModuleOp module, const std::string &pattern,
                     const std::map<std::string, std::string> &classes = {});

} // namespace nncc
