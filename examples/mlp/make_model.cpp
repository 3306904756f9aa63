// Builds the example MLP from seed 0 in eval mode and writes it as an nncc model file.
#include "examples/mlp/Mlp.h"
#include "frontend/Error.h"
#include "frontend/ModelFile.h"

#include <iostream>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: make_mlp_model OUT.nnmodel\n";
    return 2;
  }
  try {
    nncc::manual_seed(0);
    auto mlp = nncc::examples::makeMlp();
    mlp->eval();
    nncc::save_model(*mlp, {{"x", {2, 784}}}, argv[1], "mlp");
  } catch (const nncc::Error &e) {
    std::cerr << "make_mlp_model: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
