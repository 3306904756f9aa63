// `nncc inspect`: the module tree and a per-layer summary of a model file.
#pragma once

#include <string>

namespace nncc {
namespace proto {
class Model;
}

/// The printed module tree, then a table of every called module (class,
/// path, output shape, own parameter count) and the total, trainable and
/// non-trainable parameter counts, as torchsummary prints them.
std::string inspectModel(const proto::Model &model);

} // namespace nncc
