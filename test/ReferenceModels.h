// The four reference models, built as the golden scripts build them in PyTorch: the MLP, the CNN,
// two ResNet basic blocks and a Transformer encoder layer.
#pragma once

#include "frontend/nn.h"

#include <memory>

namespace nncc::testing {

/// make_train_goldens.py's mlp: Linear(16,32)-ReLU-Linear(32,32)-ReLU-Linear(32,5).
inline std::shared_ptr<nn::Sequential> mlp() {
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Linear>(16, 32), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(32, 32), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(32, 5)};
  return std::make_shared<nn::Sequential>(layers);
}

/// make_conv_goldens.py's cnn(): Conv-BN-ReLU-Conv(stride 2)-BN-ReLU-AdaptiveAvgPool-Flatten-Linear.
inline std::shared_ptr<nn::Sequential> cnn() {
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Conv2d>(3, 8, 3, 1, 1), std::make_shared<nn::BatchNorm2d>(8), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Conv2d>(8, 16, 3, 2, 1), std::make_shared<nn::BatchNorm2d>(16), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::AdaptiveAvgPool2d>(1), std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(16, 10)};
  return std::make_shared<nn::Sequential>(layers);
}

/// torchvision's BasicBlock without downsampling: conv-BN-ReLU-conv-BN, + x, ReLU.
struct BasicBlock : nn::Module {
  std::shared_ptr<nn::Conv2d> conv1, conv2;
  std::shared_ptr<nn::BatchNorm2d> bn1, bn2;
  std::shared_ptr<nn::ReLU> relu;
  explicit BasicBlock(int64_t c) : Module("BasicBlock") {
    conv1 = register_module("conv1", std::make_shared<nn::Conv2d>(c, c, 3, 1, 1, 1, 1, false));
    bn1 = register_module("bn1", std::make_shared<nn::BatchNorm2d>(c));
    relu = register_module("relu", std::make_shared<nn::ReLU>());
    conv2 = register_module("conv2", std::make_shared<nn::Conv2d>(c, c, 3, 1, 1, 1, 1, false));
    bn2 = register_module("bn2", std::make_shared<nn::BatchNorm2d>(c));
  }
  SymTensor forward(const SymTensor &x) override {
    SymTensor out = (*relu)((*bn1)((*conv1)(x)));
    return (*relu)((*bn2)((*conv2)(out)) + x);
  }
};

inline std::shared_ptr<nn::Sequential> resnetBlocks() {
  std::vector<std::shared_ptr<nn::Module>> blocks{std::make_shared<BasicBlock>(8), std::make_shared<BasicBlock>(8)};
  return std::make_shared<nn::Sequential>(blocks);
}

/// TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0, batch_first).
inline std::shared_ptr<nn::TransformerEncoderLayer> encoderLayer() {
  return std::make_shared<nn::TransformerEncoderLayer>(8, 2, 16, 0.0, "relu", 1e-5, /*batch_first=*/true);
}

} // namespace nncc::testing
