// Model files: save_model writes a recorded model (tree, nn IR, weights); readModelFile reads one back.
#pragma once

#include "frontend/StateDict.h"
#include "frontend/Trace.h"
#include "frontend/Training.h"

#include <string>
#include <vector>

namespace nncc {
namespace nn {
class Module;
}
namespace proto {
class Model;
}

/// Records `module` on `inputs` and writes a model file to `path`: the
/// module tree (paths, classes, mode, output shapes), the nn IR, and every
/// parameter and buffer. `name` prefixes the artifact's symbols; empty means
/// the root class in lower case. Equal inputs give byte-identical files.
/// Throws nncc::Error naming the path or module path on failure.
void save_model(nn::Module &module, const std::vector<InputSpec> &inputs, const std::string &path,
                const std::string &name = "", const ForwardBody &body = nullptr);

/// As save_model, recorded for training (traceTraining): the file also holds
/// the loss and the optimizer, so `nncc compile --mode=train` gives the
/// artifact a train_step.
void save_training_model(nn::Module &module, const TrainingSpec &spec, const std::string &path,
                         const std::string &name = "");

/// Reads and validates a model file. Throws nncc::Error naming `path` when
/// the file is missing, truncated or inconsistent.
proto::Model readModelFile(const std::string &path);

/// The parameters and buffers of a model file, keyed by state_dict name
/// (non-persistent buffers included, since the compiled code reads them).
StateDict weightsOf(const proto::Model &model);

/// A C identifier made from `name` ("My-Net" → "my_net").
std::string symbolName(const std::string &name);

} // namespace nncc
