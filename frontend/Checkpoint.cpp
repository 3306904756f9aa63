// save_state_dict / load_state_dict over safetensors files.
#include "frontend/Checkpoint.h"

namespace nncc {

void save_state_dict(const nn::Module &module, const std::string &path) {
  save_safetensors(module.state_dict(), path);
}

nn::IncompatibleKeys load_state_dict(nn::Module &module, const std::string &path, bool strict) {
  return module.load_state_dict(load_safetensors(path), strict);
}

} // namespace nncc
