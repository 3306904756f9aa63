// The data directory for bench/peers/run_peers.py: each workload's weights, input and nncc's result.
//
// Per workload <name>: <name>.safetensors (the nncc model's state_dict, PyTorch's keys, F32),
// <name>.input.npy and, for a forward, <name>.output.npy (nncc's output); for a train step,
// <name>.target.npy (int64) and <name>.loss.npy (the first step's loss, shape ()) instead of the
// output. The names are the contract with bench/peers/models.py.
#pragma once

#include "frontend/StateDict.h"
#include "frontend/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nncc::bench {

/// Writes a forward workload's files into `dir` (created if missing); throws
/// nncc::Error naming the file on a write error, as writeTrainData.
void writeForwardData(const std::string &dir, const std::string &name, const StateDict &weights,
                      const Shape &inputShape, const float *input, const Shape &outputShape,
                      const float *output);

/// Writes a train-step workload's files into `dir` (created if missing).
void writeTrainData(const std::string &dir, const std::string &name, const StateDict &weights,
                    const Shape &inputShape, const float *input,
                    const std::vector<int64_t> &target, float firstLoss);

} // namespace nncc::bench
