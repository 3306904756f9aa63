// The [N, C, H, W] view the interpreter's convolution and pooling rules index through, forward and backward.
#pragma once

#include "frontend/Tensor.h"

namespace nncc::interp {

/// Element (n, c, y, x) of an [N, C, H, W] tensor.
struct View4 {
  const float *data;
  int64_t C, H, W;
  explicit View4(const Tensor &t) : data(t.data()), C(t.shape()[1]), H(t.shape()[2]), W(t.shape()[3]) {}
  int64_t offset(int64_t n, int64_t c, int64_t y, int64_t x) const { return ((n * C + c) * H + y) * W + x; }
  float at(int64_t n, int64_t c, int64_t y, int64_t x) const { return data[offset(n, c, y, x)]; }
  /// Whether (y, x) lies inside a plane, not in the padding around it.
  bool inside(int64_t y, int64_t x) const { return y >= 0 && y < H && x >= 0 && x < W; }
};

} // namespace nncc::interp
