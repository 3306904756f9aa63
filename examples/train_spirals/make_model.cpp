// Records the spiral classifier for training (cross-entropy, SGD with momentum) as a model file.
#include "frontend/Error.h"
#include "frontend/ModelFile.h"
#include "frontend/nn.h"

#include <iostream>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: make_spirals_model OUT.nnmodel\n";
    return 2;
  }
  try {
    using namespace nncc;
    manual_seed(0);
    // nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
    std::vector<std::shared_ptr<nn::Module>> layers{
        std::make_shared<nn::Linear>(2, 64), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::Linear>(64, 64), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::Linear>(64, 3)};
    nn::Sequential model(layers);
    TrainingSpec spec;
    spec.inputs = {{"points", {64, 2}}};
    spec.target = {"labels", {64}, DType::i64};
    spec.loss = [](const SymTensor &logits, const SymTensor &labels) {
      return F::cross_entropy(logits, labels);
    };
    spec.optimizer = optim::SGDOptions(0.1).momentum(0.9);
    save_training_model(model, spec, argv[1], "spirals");
  } catch (const nncc::Error &e) {
    std::cerr << "make_spirals_model: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
