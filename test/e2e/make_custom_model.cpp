// Writes the Custom test model, with PyTorch's weights loaded, as an nncc model file.
#include "CustomModel.h"
#include "frontend/Error.h"
#include "frontend/ModelFile.h"

#include <iostream>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: make_custom_model WEIGHTS.safetensors OUT.nnmodel\n";
    return 2;
  }
  try {
    nncc::testing::Custom model;
    model.load_state_dict(nncc::load_safetensors(argv[1]));
    model.eval();
    nncc::save_model(model, {{"x", {4, 2, 8}}}, argv[2], "custom");
  } catch (const nncc::Error &e) {
    std::cerr << "make_custom_model: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
