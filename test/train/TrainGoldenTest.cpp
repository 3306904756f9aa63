// The four reference models trained by the compiled train step against PyTorch 1.13: the loss and
// every parameter gradient of the first step, then the weights and BatchNorm buffers after three
// SGD-momentum steps and after three AdamW steps (test/goldens/make_train_goldens.py). The
// interpreter, running the same generated IR, is checked against the JIT on the way.
#include "../ReferenceModels.h"
#include "TrainCheck.h"

#include <gmock/gmock.h>

#include <filesystem>

namespace nncc::testing {
namespace {

struct Case {
  std::string name;
  std::function<std::shared_ptr<nn::Module>()> make;
  /// Cross-entropy on class indices, or MSE on a float target.
  bool classes;
  /// Parameters frozen in the golden (their true gradient is zero).
  std::vector<std::string> frozen = {};
};

std::vector<Case> cases() {
  return {{"mlp", [] { return mlp(); }, true},
          {"cnn", [] { return cnn(); }, true, {"0.bias", "3.bias"}},
          {"resnet_blocks", [] { return resnetBlocks(); }, false},
          {"encoder_layer", [] { return encoderLayer(); }, false, {"self_attn.in_proj_bias"}}};
}

struct Loaded {
  std::shared_ptr<nn::Module> model;
  Tensor input, target;
  TrainingSpec spec;
};

Loaded load(const Case &c, const optim::Options &optimizer) {
  std::string dir = golden("train/" + c.name);
  Loaded l{c.make(), loadTensor(dir + "/input.npy"), loadTensor(dir + "/target.npy"), {}};
  l.model->load_state_dict(load_safetensors(dir + "/weights.safetensors"));
  l.model->train();
  for (auto &[key, param] : l.model->named_parameters())
    if (std::count(c.frozen.begin(), c.frozen.end(), key))
      param.requires_grad_(false);
  l.spec.inputs = {{"x", l.input.shape()}};
  l.spec.target = {"target", l.target.shape(), c.classes ? DType::i64 : DType::f32};
  if (c.classes)
    l.spec.loss = [](const SymTensor &y, const SymTensor &t) { return F::cross_entropy(y, t); };
  else
    l.spec.loss = [](const SymTensor &y, const SymTensor &t) { return F::mse_loss(y, t); };
  l.spec.optimizer = optimizer;
  return l;
}

/// Three compiled steps from the golden weights: losses as PyTorch saw them,
/// the first step's gradients (when `grads` is given), then the state_dict.
void checkSteps(const Case &c, const optim::Options &optimizer, const std::string &prefix,
                bool grads) {
  SCOPED_TRACE(c.name + " " + prefix);
  std::string dir = golden("train/" + c.name);
  Loaded l = load(c, optimizer);
  auto jit = compileTraining(*l.model, l.spec);
  Tensor losses = loadTensor(dir + "/" + prefix + "_losses.npy");
  for (int64_t step = 0; step < 3; ++step) {
    Tensor loss = jit->train_step({l.input}, l.target);
    EXPECT_TRUE(allClose(loss, Tensor::fromVector({}, {losses.data()[step]}), 1e-4))
        << "loss of step " << step;
    if (step == 0 && grads)
      for (const auto &[key, want] : load_safetensors(dir + "/grads.safetensors"))
        EXPECT_TRUE(allClose(jit->grad(key), want, 1e-4)) << "gradient of " << key;
  }
  StateDict state = jit->state_dict();
  for (const auto &[key, want] : load_safetensors(dir + "/" + prefix + "_after.safetensors")) {
    ASSERT_TRUE(state.contains(key)) << key;
    EXPECT_TRUE(allClose(state.at(key), want, 1e-4)) << key << " after 3 steps";
  }
}

TEST(TrainGolden, SgdMomentumStepsMatchPyTorch) {
  for (const Case &c : cases())
    checkSteps(c, optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-4), "sgd", /*grads=*/true);
}

TEST(TrainGolden, AdamWStepsMatchPyTorch) {
  for (const Case &c : cases())
    checkSteps(c, optim::AdamWOptions(1e-2).weight_decay(1e-2), "adamw", /*grads=*/false);
}

/// The extra MLP cases cover the remaining optimizer options once each.
TEST(TrainGolden, OptimizerOptionsMatchPyTorch) {
  struct Extra {
    std::string name;
    optim::Options options;
  };
  std::vector<Extra> extras{
      {"mlp_sgd", optim::SGDOptions(0.1)},
      {"mlp_sgd_nesterov", optim::SGDOptions(0.1).momentum(0.9).nesterov(true)},
      {"mlp_sgd_dampening", optim::SGDOptions(0.1).momentum(0.9).dampening(0.5)},
      {"mlp_adam", optim::AdamOptions(1e-2).weight_decay(1e-3)}};
  for (const Extra &e : extras) {
    SCOPED_TRACE(e.name);
    std::string dir = golden("train/" + e.name);
    Loaded l = load({"mlp", [] { return mlp(); }, true}, e.options);
    auto jit = compileTraining(*l.model, l.spec);
    Tensor losses = loadTensor(dir + "/losses.npy");
    for (int64_t step = 0; step < 3; ++step)
      EXPECT_TRUE(allClose(jit->train_step({l.input}, l.target),
                           Tensor::fromVector({}, {losses.data()[step]}), 1e-4));
    StateDict state = jit->state_dict();
    for (const auto &[key, want] : load_safetensors(dir + "/after.safetensors"))
      EXPECT_TRUE(allClose(state.at(key), want, 1e-4)) << key;
  }
}

/// The reference interpreter runs the generated train step too; the JIT's
/// step equals it (loss, and every parameter, buffer and optimizer state).
TEST(TrainGolden, InterpreterRunsTheSameTrainStep) {
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.name);
    Loaded l = load(c, optim::AdamWOptions(1e-2));
    TracedModel traced = traceTraining(*l.model, l.spec);
    generateTraining(*traced.module);
    StateDict state = interpreterState(*l.model, *traced.module);
    auto jit = compileTraining(*l.model, l.spec);
    for (int step = 0; step < 2; ++step) {
      Tensor expected = interpret(*traced.module, "train_step", {l.input, l.target}, state)[0];
      EXPECT_TRUE(allClose(jit->train_step({l.input}, l.target), expected, 1e-4)) << "loss";
    }
    for (const rt::StateTensor &t : jit->runtime().state()) {
      Tensor mine = Tensor::fromVector(t.shape, std::vector<float>(t.data, t.data + state.at(t.name).numel()));
      EXPECT_TRUE(allClose(mine, state.at(t.name), 1e-4)) << t.name;
    }
  }
}

} // namespace
} // namespace nncc::testing
