// allClose and golden loading for frontend Tensors.
#pragma once

#include "GoldenUtil.h"
#include "frontend/Error.h"
#include "frontend/Tensor.h"

#include <functional>

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

/// The message of the nncc::Error `fn` throws, or "<no error>".
inline std::string errorOf(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "<no error>";
}

} // namespace nncc::testing
