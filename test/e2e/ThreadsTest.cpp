// Compiled parallel loops: a model with kernels large enough to be split across threads gives
// bit-identical outputs at 1, 2 and 3 threads (splits run over outputs, never over a reduction),
// and matches the reference interpreter.
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "frontend/nn.h"
#include "runtime/Parallel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace nncc::testing {
namespace {

Tensor randomTensor(const Shape &shape, unsigned seed) {
  Tensor t = Tensor::empty(shape);
  std::mt19937 gen(seed);
  std::normal_distribution<float> dist;
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data()[i] = dist(gen);
  return t;
}

TEST(Threads, OutputsAreBitIdenticalAtAnyThreadCountAndMatchTheInterpreter) {
  int saved = rt::get_num_threads();
  manual_seed(3);
  // Conv (8x16x9 per pixel over 32x32: about 1.2M multiply-accumulates), BN, ReLU, pooling, and
  // two Linear layers over a batch of 4: each kernel clears the parallel threshold.
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Conv2d>(8, 16, 3, 1, 1), std::make_shared<nn::BatchNorm2d>(16),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::AdaptiveAvgPool2d>(4),
      std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(256, 512),
      std::make_shared<nn::GELU>(), std::make_shared<nn::Linear>(512, 10)};
  auto model = std::make_shared<nn::Sequential>(layers);
  model->eval();
  Shape in{4, 8, 32, 32};
  Tensor x = randomTensor(in, 11);
  auto compiled = compile(*model, {{"x", in}});
  TracedModel traced = trace(*model, {{"x", in}});
  Tensor reference = interpret(*traced.module, "forward", {x}, model->state_dict())[0];

  rt::set_num_threads(1);
  Tensor one = compiled->forward({x})[0];
  for (int threads : {2, 3}) {
    rt::set_num_threads(threads);
    for (int run = 0; run < 3; ++run) {
      Tensor many = compiled->forward({x})[0];
      ASSERT_EQ(std::memcmp(one.data(), many.data(), one.numel() * sizeof(float)), 0)
          << threads << " threads, run " << run;
    }
  }
  rt::set_num_threads(saved);
  for (int64_t i = 0; i < reference.numel(); ++i)
    ASSERT_NEAR(one.data()[i], reference.data()[i], 1e-4 * (1 + std::fabs(reference.data()[i]))) << i;
}

} // namespace
} // namespace nncc::testing
