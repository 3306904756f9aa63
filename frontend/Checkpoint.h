// Saving and loading a module's state_dict as safetensors, with PyTorch's keys.
#pragma once

#include "frontend/Module.h"

#include <string>

namespace nncc {

/// Writes module.state_dict() (parameters and persistent buffers) to `path`
/// as safetensors, loadable by PyTorch with the same keys. Throws
/// nncc::Error naming the path on failure.
void save_state_dict(const nn::Module &module, const std::string &path);

/// Reads `path` (F32, F16, BF16 or I64 tensors) into
/// module.load_state_dict(..., strict). A malformed file, or a strict load
/// with missing, unexpected or mis-shaped keys, throws and loads nothing.
nn::IncompatibleKeys load_state_dict(nn::Module &module, const std::string &path, bool strict = true);

} // namespace nncc
