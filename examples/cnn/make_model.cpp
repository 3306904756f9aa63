// Builds the small CNN of the fusion guide (docs/fusion.md) from seed 0 in eval mode, with
// non-trivial BatchNorm running statistics, and writes it as an nncc model file.
#include "frontend/Error.h"
#include "frontend/ModelFile.h"
#include "frontend/nn.h"

#include <iostream>

namespace {

/// features: Conv(3->32, 3, p1)-BN-ReLU-Conv(32->64, 3, p1, s2)-BN-ReLU; then global average
/// pooling and a Linear(64->10) classifier.
struct SmallCnn : nncc::nn::Module {
  SmallCnn() : Module("SmallCnn") {
    using namespace nncc::nn;
    features = register_module(
        "features", std::make_shared<Sequential>(std::vector<std::shared_ptr<Module>>{
                        std::make_shared<Conv2d>(3, 32, 3, 1, 1), std::make_shared<BatchNorm2d>(32),
                        std::make_shared<ReLU>(), std::make_shared<Conv2d>(32, 64, 3, 2, 1),
                        std::make_shared<BatchNorm2d>(64), std::make_shared<ReLU>()}));
    pool = register_module("pool", std::make_shared<AdaptiveAvgPool2d>(1));
    flatten = register_module("flatten", std::make_shared<Flatten>());
    classifier = register_module("classifier", std::make_shared<Linear>(64, 10));
  }
  nncc::SymTensor forward(const nncc::SymTensor &x) override {
    return (*classifier)((*flatten)((*pool)((*features)(x))));
  }
  std::shared_ptr<nncc::nn::Sequential> features;
  std::shared_ptr<nncc::nn::Module> pool, flatten, classifier;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: make_cnn_model OUT.nnmodel\n";
    return 2;
  }
  try {
    nncc::manual_seed(0);
    SmallCnn model;
    for (auto &[key, buffer] : model.named_buffers())
      if (key.find("running_mean") != std::string::npos)
        nncc::nn::init::uniform_(buffer, -0.5, 0.5);
      else if (key.find("running_var") != std::string::npos)
        nncc::nn::init::uniform_(buffer, 0.5, 2.0);
    model.eval();
    nncc::save_model(model, {{"x", {1, 3, 32, 32}}}, argv[1], "cnn");
  } catch (const nncc::Error &e) {
    std::cerr << "make_cnn_model: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
