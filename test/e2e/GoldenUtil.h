// Reading goldens and comparing results within the end-to-end tolerance (runtime types only, so
// AOT tests need nothing but the runtime).
#pragma once

#include "runtime/Npy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace nncc::testing {

inline std::string golden(const std::string &relative) {
  return std::string(NNCC_GOLDEN_DIR) + "/" + relative;
}

inline rt::NpyArray loadNpy(const std::string &path) {
  rt::NpyArray array;
  rt::Status s = rt::readNpy(path, &array);
  EXPECT_TRUE(s.ok()) << s.message();
  return array;
}

/// |actual - expected| <= rtol * (|expected| + max|expected|) elementwise:
/// relative to each value, with a floor at the output's scale so that
/// values near zero after cancellation are not held to 1e-5 of themselves.
inline ::testing::AssertionResult allClose(const std::vector<int64_t> &actualShape, const float *actual,
                                           const rt::NpyArray &expected, double rtol = 1e-5) {
  if (actualShape != expected.shape)
    return ::testing::AssertionFailure() << "shapes differ";
  double scale = 0;
  for (float e : expected.data)
    scale = std::max(scale, std::abs(double(e)));
  for (size_t i = 0; i < expected.data.size(); ++i) {
    double a = actual[i], e = expected.data[i];
    if (!(std::abs(a - e) <= rtol * (std::abs(e) + scale)))
      return ::testing::AssertionFailure()
             << "element " << i << ": " << a << " vs " << e << " (scale " << scale << ")";
  }
  return ::testing::AssertionSuccess();
}

} // namespace nncc::testing
