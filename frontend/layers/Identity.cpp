// nn::Identity: the pass-through forward.
#include "frontend/layers/Identity.h"

namespace nncc::nn {

Identity::Identity() : Module("Identity") {}

SymTensor Identity::forward(const SymTensor &input) { return input; }

} // namespace nncc::nn
