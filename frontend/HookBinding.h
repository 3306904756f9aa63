// Binding a module tree's hooks to the runtime's hook points, for compiled code and the interpreter.
#pragma once

#include "runtime/Hooks.h"

#include <string>

namespace nncc::nn {

class Module;

/// Attaches to `hooks`, at every module path and parameter key of `root`, a callback that runs
/// that module's (and the global) hooks of the firing kind with concrete tensors, or that
/// parameter's gradient hooks. The hooks are looked up when a hook point fires, so hooks
/// registered or removed later take effect at hook points that exist. `root` must outlive
/// `hooks`' use. A hook that returns a tensor of another shape throws nncc::Error naming the
/// module path.
void bindModuleHooks(Module &root, rt::Hooks &hooks);

/// `text` with the glob characters *?[]\ escaped, so it matches only itself.
std::string globLiteral(const std::string &text);

} // namespace nncc::nn
