// Tensor manipulation in forward code (reshape, permute, transpose, narrow, chunk, cat, sub, div,
// Python numbers) against a PyTorch golden, and the errors PyTorch gives for bad shapes.
#include "../LayerCheck.h"

#include <gmock/gmock.h>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

struct Shuffle : nn::Module {
  std::shared_ptr<nn::Linear> fc;
  Shuffle() : Module("Shuffle") { fc = register_module("fc", std::make_shared<nn::Linear>(12, 12)); }
  SymTensor forward(const SymTensor &x) override {
    SymTensor h = (*fc)(x.reshape({2, 12}));
    std::vector<SymTensor> abc = h.chunk(3, 1);
    SymTensor t = F::cat({abc[2], abc[0] * 0.5, abc[1] - 1.0}, 0);
    SymTensor q = t.reshape({2, 3, 4}).permute({2, 0, 1}).transpose(0, 2).narrow(0, 1, 2);
    SymTensor r = (q / 2.0 - (1.0 - q)) * -q + q / (q * q + 1.0);
    return r + h.view({2, 3, 4}).narrow(1, 0, 2).permute({1, 0, 2});
  }
};

TEST(TensorOps, ShuffleMatchesPyTorch) {
  Shuffle model;
  checkLayer(model, "tensor/shuffle");
}

/// Shapes that take the CPU kernels' layout paths: a stride-2 convolution 24 wide runs on vectors of
/// 8, each loaded as two and a shuffle; the permute moves the innermost dimension (8x8 register
/// blocks); and the Linear over 576 rows transposes its weight once for the outer-product kernel.
struct Layout : nn::Module {
  std::shared_ptr<nn::Conv2d> conv;
  std::shared_ptr<nn::Linear> fc;
  Layout() : Module("Layout") {
    conv = register_module("conv", std::make_shared<nn::Conv2d>(4, 8, 3, 2, 1));
    fc = register_module("fc", std::make_shared<nn::Linear>(8, 16));
  }
  SymTensor forward(const SymTensor &x) override {
    return (*fc)(F::flatten((*conv)(x), 2).permute({0, 2, 1}));
  }
};

TEST(TensorOps, LayoutKernelsMatchPyTorch) {
  Layout model;
  checkLayer(model, "tensor/layout");
}

/// Records `body(x)` for an input of `shape` and returns the error text.
std::string recordError(const Shape &shape, std::function<SymTensor(const SymTensor &)> body) {
  struct Lambda : nn::Module {
    std::function<SymTensor(const SymTensor &)> body;
    Lambda() : Module("Lambda") {}
    SymTensor forward(const SymTensor &x) override { return body(x); }
  } module;
  module.body = std::move(body);
  return errorOf([&] { trace(module, {{"x", shape}}); });
}

TEST(TensorOps, ShapeErrorsSayWhatPyTorchSays) {
  EXPECT_THAT(recordError({2, 3, 4}, [](const SymTensor &x) { return x.reshape({5, -1}); }),
              HasSubstr("shape '[5, -1]' is invalid for input of size 24"));
  EXPECT_THAT(recordError({2, 3, 4}, [](const SymTensor &x) { return x.reshape({-1, -1}); }),
              HasSubstr("only one dimension can be inferred"));
  EXPECT_THAT(recordError({2, 3, 4}, [](const SymTensor &x) { return x.permute({0, 0, 1}); }),
              HasSubstr("permute(): duplicate dims are not allowed."));
  EXPECT_THAT(recordError({2, 3, 4}, [](const SymTensor &x) { return x.transpose(0, 5); }),
              HasSubstr("Dimension out of range (expected to be in range of [-3, 2], but got 5)"));
  EXPECT_THAT(recordError({2, 3, 4}, [](const SymTensor &x) { return x.narrow(1, 2, 2); }),
              HasSubstr("start (2) + length (2) exceeds dimension size (3)."));
  EXPECT_EQ(recordError({2, 3, 4}, [](const SymTensor &x) { return F::cat({x, x.narrow(2, 0, 3)}, 1); }),
            "<root> (Lambda): cat: Sizes of tensors must match except in dimension 1. Expected size "
            "4 but got size 3 for tensor number 1 in the list.");
}

TEST(TensorOps, ScalarsAreConstantsInTheIR) {
  struct Half : nn::Module {
    Half() : Module("Half") {}
    SymTensor forward(const SymTensor &x) override { return x * 0.5; }
  } module;
  std::string ir = printIR(*trace(module, {{"x", {2}}}).module);
  EXPECT_THAT(ir, HasSubstr("nn.constant dense<5.000000e-01> : tensor<f32> -> tensor<f32>"));
  EXPECT_THAT(ir, HasSubstr("nn.mul %arg0, %root : tensor<2xf32>, tensor<f32> -> tensor<2xf32>"));
  Tensor y = compile(module, {{"x", {2}}})->forward({Tensor::fromVector({2}, {3, -4})})[0];
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + 2), (std::vector<float>{1.5f, -2.0f}));
}

} // namespace
} // namespace nncc::testing
