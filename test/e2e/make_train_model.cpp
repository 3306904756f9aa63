// Writes the training goldens' MLP (test/goldens/train/mlp), recorded with cross-entropy and SGD
// with momentum, as an nncc model file for an AOT artifact with a train step.
#include "../ReferenceModels.h"
#include "frontend/Error.h"
#include "frontend/ModelFile.h"

#include <iostream>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: make_train_model WEIGHTS.safetensors OUT.nnmodel\n";
    return 2;
  }
  try {
    using namespace nncc;
    auto model = testing::mlp();
    model->load_state_dict(load_safetensors(argv[1]));
    TrainingSpec spec;
    spec.inputs = {{"x", {8, 16}}};
    spec.target = {"target", {8}, DType::i64};
    spec.loss = [](const SymTensor &y, const SymTensor &t) { return F::cross_entropy(y, t); };
    spec.optimizer = optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-4);
    save_training_model(*model, spec, argv[2], "train_mlp");
  } catch (const nncc::Error &e) {
    std::cerr << "make_train_model: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
