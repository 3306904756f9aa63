// The benchmark's models in both frameworks, and the weight copy from nncc's to LibTorch's by state_dict key.
//
// Workload names are the contract with bench/peers/models.py and the report. Every nncc model is
// built after nncc::manual_seed(0) (PyTorch's default init); BatchNorm's affine parameters and
// running statistics then get seeded non-trivial values, so that the output check also covers
// them. The LibTorch twins are built with whatever init, then get nncc's weights with
// copyWeights().
#pragma once

#include "frontend/nn.h"

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nncc::bench {

/// An eval-mode forward workload, in both frameworks.
struct ForwardWorkload {
  std::string name;
  Shape input;
  std::shared_ptr<nn::Module> nnccModel;
  /// The LibTorch module that holds the weights.
  std::shared_ptr<torch::nn::Module> torchModel;
  /// LibTorch's forward on an input of shape `input`.
  std::function<torch::Tensor(const torch::Tensor &)> torchForward;
};

/// mlp_b1, mlp_b64, cnn_b1, cnn_b32, resnet_b1 and encoder_b8, in eval mode,
/// each LibTorch module already holding its nncc model's weights.
std::vector<ForwardWorkload> forwardWorkloads();

/// Sequential(Linear(784, 512), ReLU, Linear(512, 512), ReLU, Linear(512, 10)).
std::shared_ptr<nn::Sequential> nnccMlp();
torch::nn::Sequential torchMlp();

/// Copies every parameter and buffer of `from` into `to`'s of the same
/// state_dict key; throws nncc::Error when a key is on one side only or the
/// shapes differ.
void copyWeights(const StateDict &from, torch::nn::Module &to);

} // namespace nncc::bench
