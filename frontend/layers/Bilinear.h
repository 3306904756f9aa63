// nn::Bilinear: y = x1^T A x2 + b over two inputs.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// weight [out_features, in1_features, in2_features] and bias [out_features],
/// both uniform in ±1/sqrt(in1_features) as PyTorch initializes them. Called
/// with two tensors: bilinear(x1, x2), e.g. from a trace body.
class Bilinear : public Module {
public:
  Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias = true);

  void reset_parameters();
  /// x1 [N, in1], x2 [N, in2] → [N, out], recorded under this module's path.
  SymTensor operator()(const SymTensor &input1, const SymTensor &input2);
  std::string extra_repr() const override;

  Tensor &weight() { return param("weight"); }
  Tensor &bias() { return param("bias"); }

  const int64_t in1_features, in2_features, out_features;
};

} // namespace nncc::nn
