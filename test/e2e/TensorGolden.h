// allClose and golden loading for frontend Tensors.
#pragma once

#include "GoldenUtil.h"
#include "frontend/Tensor.h"

namespace nncc::testing {

inline Tensor loadTensor(const std::string &path) {
  rt::NpyArray array = loadNpy(path);
  return Tensor::fromVector(array.shape, array.data);
}

inline ::testing::AssertionResult allClose(const Tensor &actual, const Tensor &expected,
                                           double rtol = 1e-5) {
  rt::NpyArray e{expected.shape(), std::vector<float>(expected.data(), expected.data() + expected.numel())};
  return allClose(actual.shape(), actual.data(), e, rtol);
}

} // namespace nncc::testing
