// Recording: the IR reads like the model, and mistakes are errors that name the module path.
#include "TensorGolden.h"
#include "compiler/Driver/Jit.h"
#include "frontend/Error.h"
#include "frontend/Trace.h"
#include "frontend/nn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

TEST(Recording, SequentialReadsLikeTheModel) {
  manual_seed(0);
  auto model = std::make_shared<nn::Sequential>(std::vector<std::shared_ptr<nn::Module>>{
      std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(12, 4, false),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::Identity>()});
  TracedModel traced = trace(*model, {{"image", {2, 3, 4}}});
  std::string ir = printIR(*traced.module);
  EXPECT_THAT(ir, HasSubstr("module attributes {nn.class = \"Sequential\", nn.training = true}"));
  EXPECT_THAT(ir, HasSubstr("nn.parameter @\"1.weight\" : tensor<4x12xf32>"));
  EXPECT_THAT(ir, HasSubstr("func.func @forward(%arg0: tensor<2x3x4xf32> {nn.name = \"image\"}"));
  EXPECT_THAT(ir, HasSubstr("nn.flatten %arg0, start_dim = 1, end_dim = -1 : tensor<2x3x4xf32> -> "
                            "tensor<2x12xf32> loc(\"0\")"));
  EXPECT_THAT(ir, HasSubstr("nn.linear %m0, %m1.weight : tensor<2x12xf32>, tensor<4x12xf32> -> tensor<2x4xf32> loc(\"1\")"));
  EXPECT_THAT(ir, HasSubstr("nn.relu %m1 : tensor<2x4xf32> loc(\"2\")"));
  EXPECT_EQ(traced.calls.back().path, "");
  EXPECT_EQ(traced.calls.back().outputShape, (Shape{2, 4}));
}

TEST(Recording, FrozenParametersAndNonPersistentBuffersAreMarked) {
  struct Scaled : nn::Module {
    std::shared_ptr<nn::Linear> fc;
    Tensor gain;
    Scaled() : Module("Scaled") {
      fc = register_module("fc", std::make_shared<nn::Linear>(3, 3));
      gain = register_buffer("gain", Tensor::ones({3}), /*persistent=*/false);
    }
    SymTensor forward(const SymTensor &x) override { return (*fc)(x)*gain; }
  } model;
  model.fc->weight().requires_grad_(false);
  std::string ir = printIR(*trace(model, {{"x", {1, 3}}}).module);
  EXPECT_THAT(ir, HasSubstr("nn.parameter frozen @fc.weight : tensor<3x3xf32>"));
  EXPECT_THAT(ir, HasSubstr("nn.parameter @fc.bias : tensor<3xf32>"));
  EXPECT_THAT(ir, HasSubstr("nn.buffer non_persistent @gain : tensor<3xf32>"));
}

TEST(Recording, ShapeMismatchNamesTheModulePath) {
  auto model = std::make_shared<nn::Sequential>(std::vector<std::shared_ptr<nn::Module>>{
      std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::Linear>(500, 10)});
  EXPECT_EQ(errorOf([&] { trace(*model, {{"x", {2, 784}}}); }),
            "1 (Linear): linear: input [2, 512] has 512 features but weight [10, 500] expects 500");
}

TEST(Recording, UnregisteredModuleIsAnError) {
  struct Holder : nn::Module {
    std::shared_ptr<nn::Linear> hidden = std::make_shared<nn::Linear>(2, 2);
    Holder() : Module("Holder") {}
    SymTensor forward(const SymTensor &x) override { return (*hidden)(x); }
  } model;
  EXPECT_THAT(errorOf([&] { trace(model, {{"x", {1, 2}}}); }),
              HasSubstr("<root> (Holder): call: Linear is called in forward but is not registered"));
}

TEST(Recording, UnregisteredTensorIsAnError) {
  struct Stray : nn::Module {
    Tensor stray = Tensor::ones({2});
    Stray() : Module("Stray") {}
    SymTensor forward(const SymTensor &x) override { return x + stray; }
  } model;
  EXPECT_THAT(errorOf([&] { trace(model, {{"x", {1, 2}}}); }),
              HasSubstr("<root> (Stray): forward: uses a tensor that is not a parameter or buffer"));
}

TEST(Recording, BroadcastErrorAndBadInputSpec) {
  struct Add : nn::Module {
    Tensor b;
    Add() : Module("Add") { b = register_buffer("b", Tensor::ones({3})); }
    SymTensor forward(const SymTensor &x) override { return x + b; }
  } model;
  EXPECT_EQ(errorOf([&] { trace(model, {{"x", {2, 4}}}); }),
            "<root> (Add): add: shapes [2, 4] and [3] do not broadcast (dimension 1: 4 vs 3)");
  EXPECT_EQ(errorOf([&] { trace(model, {{"x", {2, 0}}}); }),
            "input 'x' has shape [2, 0]; every dimension must be positive");
  EXPECT_EQ(errorOf([&] { trace(model, {}); }), "Add.forward takes one input, but 0 input specs were given");
}

TEST(Recording, ModulesCannotRunOutsideRecording) {
  nn::ReLU relu;
  EXPECT_THAT(errorOf([&] { relu(SymTensor()); }), HasSubstr("ReLU was called outside recording"));
  EXPECT_THAT(errorOf([&] { SymTensor s(Tensor::ones({1})); }),
              HasSubstr("a Tensor entered a forward outside recording"));
}

TEST(Recording, MatmulWithBroadcastAddCompiles) {
  struct MatAdd : nn::Module {
    Tensor w, b;
    MatAdd() : Module("MatAdd") {
      w = register_parameter("w", Tensor::fromVector({3, 2}, {1, 2, 3, 4, 5, 6}));
      b = register_buffer("b", Tensor::fromVector({1, 2}, {10, 20}));
    }
    SymTensor forward(const SymTensor &x) override { return F::matmul(x, w) + b; }
  } model;
  auto compiled = compile(model, {{"x", {2, 3}}});
  Tensor y = compiled->forward({Tensor::fromVector({2, 3}, {1, 0, 0, 0, 1, 1})})[0];
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + 4), (std::vector<float>{11, 22, 18, 30}));
}

} // namespace
} // namespace nncc::testing
