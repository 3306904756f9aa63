// nn::Dropout: the probability check and a forward through F::dropout.
#include "frontend/layers/Dropout.h"
#include "frontend/Error.h"
#include "frontend/PyRepr.h"
#include "frontend/functional/Mode.h"

namespace nncc::nn {

Dropout::Dropout(double p, bool inplace) : Module("Dropout"), p(p), inplace(inplace) {
  if (!(p >= 0 && p <= 1))
    throw Error("dropout probability has to be between 0 and 1, but got " + pyFloat(p));
}

SymTensor Dropout::forward(const SymTensor &input) { return F::dropout(input, p, is_training()); }

std::string Dropout::extra_repr() const {
  return "p=" + pyFloat(p) + ", inplace=" + (inplace ? "True" : "False");
}

} // namespace nncc::nn
