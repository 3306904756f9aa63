// The training entry points' semantics: dropout masks that each step redraws, backward that
// accumulates or overwrites as the caller says and agrees with the train step's gradients, and
// optimizer state that saves and loads so training resumes exactly.
#include "GradCheck.h"

#include <gmock/gmock.h>

#include <cstdio>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<nn::Sequential> smallNet(double dropout) {
  std::vector<std::shared_ptr<nn::Module>> layers{std::make_shared<nn::Linear>(4, 8), std::make_shared<nn::ReLU>(),
                                                  std::make_shared<nn::Dropout>(dropout),
                                                  std::make_shared<nn::Linear>(8, 3)};
  return std::make_shared<nn::Sequential>(layers);
}

TrainingSpec mseSpec(const optim::Options &optimizer) {
  TrainingSpec spec;
  spec.inputs = {{"x", {5, 4}}};
  spec.target = {"t", {5, 3}};
  spec.loss = [](const SymTensor &y, const SymTensor &t) { return F::mse_loss(y, t); };
  spec.optimizer = optimizer;
  return spec;
}

Tensor uniform(const Shape &shape) { return nn::init::uniform_(Tensor::empty(shape), -1, 1); }

TEST(TrainStep, DropoutMasksChangeEveryStepAndMatchTheInterpreter) {
  manual_seed(20);
  auto net = smallNet(0.5);
  net->train();
  Tensor x = uniform({5, 4}), t = uniform({5, 3});
  // lr 0: the weights stay, so only the masks can change the loss.
  TrainingSpec spec = mseSpec(optim::SGDOptions(0.0));
  // One recording for both: each recording draws its own dropout seed.
  TracedModel traced = traceTraining(*net, spec);
  mlir::OwningOpRef<mlir::ModuleOp> copy = traced.module->clone();
  auto jit = compileJit(*copy, copiedState(*net), "net", /*train=*/true);
  generateTraining(*traced.module);
  StateDict state = interpreterState(*net, *traced.module);
  std::vector<float> losses;
  for (int step = 0; step < 3; ++step) {
    Tensor expected = interpret(*traced.module, "train_step", {x, t}, state)[0];
    Tensor loss = jit->train_step({x}, t);
    EXPECT_TRUE(allClose(loss, expected, 1e-5)) << "step " << step;
    losses.push_back(loss.data()[0]);
  }
  EXPECT_NE(losses[0], losses[1]);
  EXPECT_NE(losses[1], losses[2]);
}

TEST(TrainStep, BackwardAccumulatesOrOverwritesAndAgreesWithTheStep) {
  manual_seed(21);
  auto net = smallNet(0.0);
  Tensor x = uniform({5, 4}), t = uniform({5, 3});
  auto jit = compileTraining(*net, mseSpec(optim::SGDOptions(0.0)));
  jit->train_step({x}, t);
  Tensor stepGrad = jit->grad("0.weight");

  // d mean((y - t)^2) / dy = 2 (y - t) / numel.
  Tensor y = jit->forward({x})[0];
  Tensor dy = Tensor::empty(y.shape());
  for (int64_t i = 0; i < y.numel(); ++i)
    dy.data()[i] = 2.0f * (y.data()[i] - t.data()[i]) / static_cast<float>(y.numel());
  jit->backward({x}, {dy}, rt::GradMode::Overwrite);
  EXPECT_TRUE(allClose(jit->grad("0.weight"), stepGrad, 1e-5)) << "backward vs train step";
  jit->backward({x}, {dy});
  Tensor twice = stepGrad.clone();
  for (int64_t i = 0; i < twice.numel(); ++i)
    twice.data()[i] *= 2;
  EXPECT_TRUE(allClose(jit->grad("0.weight"), twice, 1e-5)) << "accumulated";
  jit->backward({x}, {dy}, rt::GradMode::Overwrite);
  EXPECT_TRUE(allClose(jit->grad("0.weight"), stepGrad, 1e-5)) << "overwritten";
  jit->zero_grad();
  EXPECT_TRUE(allClose(jit->grad("3.bias"), Tensor::zeros({3}), 0)) << "zero_grad";
  EXPECT_THAT(errorOf([&] { jit->grad("1.weight"); }), HasSubstr("no gradient for '1.weight'"));
  EXPECT_THAT(errorOf([&] { jit->backward({x}, {}); }), HasSubstr("backward takes 2 inputs, got 1"));
}

TEST(TrainStep, OptimizerStateSavesAndLoads) {
  manual_seed(22);
  auto net = smallNet(0.0);
  Tensor x = uniform({5, 4}), t = uniform({5, 3});
  TrainingSpec spec = mseSpec(optim::AdamWOptions(1e-2));
  StateDict initial = net->state_dict();
  auto first = compileTraining(*net, spec);
  first->train_step({x}, t);
  first->train_step({x}, t);
  std::string weights = ::testing::TempDir() + "/resume_weights.safetensors";
  std::string optimizer = ::testing::TempDir() + "/resume_optim.safetensors";
  ASSERT_TRUE(first->runtime().save_state_dict(weights).ok());
  ASSERT_TRUE(first->runtime().save_optimizer_state(optimizer).ok());
  Tensor expected = first->train_step({x}, t);

  // A fresh artifact from the saved weights and optimizer state takes the same third step.
  auto resumedNet = smallNet(0.0);
  resumedNet->load_state_dict(load_safetensors(weights));
  auto resumed = compileTraining(*resumedNet, spec);
  ASSERT_TRUE(resumed->runtime().load_optimizer_state(optimizer).ok());
  EXPECT_TRUE(allClose(resumed->train_step({x}, t), expected, 1e-6));
  EXPECT_TRUE(allClose(resumed->state_dict().at("3.weight"), first->state_dict().at("3.weight"), 1e-6));

  // Without the optimizer state the update differs (Adam restarts its moments).
  auto restarted = compileTraining(*resumedNet, spec);
  restarted->train_step({x}, t);
  EXPECT_FALSE(allClose(restarted->state_dict().at("3.weight"), first->state_dict().at("3.weight"), 1e-6));

  rt::Status wrong = resumed->runtime().load_optimizer_state(weights);
  EXPECT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.message(), HasSubstr("optimizer state has no tensor"));
  std::remove(weights.c_str());
  std::remove(optimizer.c_str());
}

TEST(TrainStep, ForwardOnlyArtifactsSayHowToGetTraining) {
  manual_seed(23);
  auto net = smallNet(0.0);
  auto jit = compile(*net, {{"x", {5, 4}}});
  EXPECT_THAT(errorOf([&] { jit->train_step({uniform({5, 4})}, uniform({5, 3})); }),
              HasSubstr("compiled without a train step"));
  EXPECT_THAT(errorOf([&] { jit->backward({uniform({5, 4})}, {uniform({5, 3})}); }),
              HasSubstr("compiled without backward (compile with --mode=train)"));
}

} // namespace
} // namespace nncc::testing
