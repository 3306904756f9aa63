// The losses against PyTorch 1.13 (test/goldens/train/losses): the loss value and its gradient
// with respect to the input, through the compiled train step (the input is a parameter, the
// optimizer's lr 0); reduction "none" also through the compiled forward. Bad arguments give
// PyTorch's errors.
#include "GradCheck.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

struct LossCase {
  nlohmann::json config;
  Tensor weight, posWeight;
  /// The loss with the case's options.
  SymTensor operator()(const SymTensor &x, const SymTensor &t, const std::string &reduction) const {
    std::string kind = config["loss"];
    int64_t ignore = config.value("ignore_index", int64_t(-100));
    if (kind == "mse")
      return F::mse_loss(x, t, reduction);
    if (kind == "l1")
      return F::l1_loss(x, t, reduction);
    if (kind == "cross_entropy")
      return F::cross_entropy(x, t, weight, ignore, reduction, config.value("label_smoothing", 0.0));
    if (kind == "nll")
      return F::nll_loss(x, t, weight, ignore, reduction);
    return F::binary_cross_entropy_with_logits(x, t, Tensor(), reduction, posWeight);
  }
};

TEST(Losses, MatchPyTorchValuesAndGradients) {
  int cases = 0;
  for (const auto &dirEntry : std::filesystem::directory_iterator(golden("train/losses"))) {
    std::string dir = dirEntry.path().string();
    SCOPED_TRACE(dir);
    LossCase c;
    std::ifstream(dir + "/case.json") >> c.config;
    if (c.config.contains("weight"))
      c.weight = loadTensor(dir + "/weight.npy");
    if (c.config.contains("pos_weight"))
      c.posWeight = loadTensor(dir + "/pos_weight.npy");
    std::string reduction = c.config["reduction"];
    Tensor input = loadTensor(dir + "/input.npy"), target = loadTensor(dir + "/target.npy");
    Tensor expectedLoss = loadTensor(dir + "/loss.npy"), expectedGrad = loadTensor(dir + "/grad.npy");
    DType targetType = c.config["target_dtype"] == "int64" ? DType::i64 : DType::f32;

    Probe probe;
    Tensor x = probe.register_parameter("input", input.clone());
    TrainingSpec spec;
    spec.target = {"target", target.shape(), targetType};
    spec.body = [&](const std::vector<SymTensor> &) { return std::vector<SymTensor>{Probe::read(x)}; };
    // "none" is trained on its sum, as the golden's backward was.
    spec.loss = [&](const SymTensor &y, const SymTensor &t) {
      SymTensor l = c(y, t, reduction);
      return reduction == "none" ? F::sum(l) : l;
    };
    spec.optimizer = optim::SGDOptions(0.0);
    auto jit = compileTraining(probe, spec);
    Tensor loss = jit->train_step({}, target);
    EXPECT_TRUE(allClose(jit->grad("input"), expectedGrad, 1e-5)) << "gradient";
    if (reduction != "none") {
      EXPECT_TRUE(allClose(loss, expectedLoss, 1e-5)) << "loss";
    } else {
      auto forward = compile(probe, {{"target", target.shape(), targetType}},
                             [&](const std::vector<SymTensor> &in) {
                               return std::vector<SymTensor>{c(Probe::read(x), in[0], reduction)};
                             });
      EXPECT_TRUE(allClose(forward->forward({target})[0], expectedLoss, 1e-5)) << "elementwise loss";
    }
    ++cases;
  }
  EXPECT_EQ(cases, 16);
}

TEST(Losses, BadArgumentsGivePyTorchErrors) {
  Probe probe;
  Tensor x = probe.leaf("x", {4, 3});
  auto traceWith = [&](InputSpec target, const std::function<SymTensor(const SymTensor &, const SymTensor &)> &loss) {
    return errorOf([&] {
      trace(probe, {target}, [&](const std::vector<SymTensor> &in) {
        return std::vector<SymTensor>{loss(Probe::read(x), in[0])};
      });
    });
  };
  EXPECT_THAT(traceWith({"t", {4, 3}}, [](auto &y, auto &t) { return F::mse_loss(y, t, "avg"); }),
              HasSubstr("avg is not a valid value for reduction"));
  EXPECT_THAT(traceWith({"t", {4}}, [](auto &y, auto &t) { return F::cross_entropy(y, t); }),
              HasSubstr("target must be int64 class indices"));
  EXPECT_THAT(traceWith({"t", {5}, DType::i64}, [](auto &y, auto &t) { return F::cross_entropy(y, t); }),
              HasSubstr("Expected target of shape [4] for input [4, 3], got [5]"));
  EXPECT_THAT(traceWith({"t", {4}, DType::i64},
                        [](auto &y, auto &t) { return F::nll_loss(y, t, Tensor::ones({2})); }),
              HasSubstr("weight tensor should be defined either for all 3 classes"));
  EXPECT_THAT(traceWith({"t", {4, 2}}, [](auto &y, auto &t) {
                return F::binary_cross_entropy_with_logits(y, t);
              }),
              HasSubstr("Target size ([4, 2]) must be the same as input size ([4, 3])"));
  EXPECT_THAT(traceWith({"t", {4}, DType::i64},
                        [](auto &y, auto &t) { return F::cross_entropy(y, t, Tensor(), -100, "mean", 1.5); }),
              HasSubstr("label_smoothing must be between 0.0 and 1.0"));
  EXPECT_THAT(errorOf([] { nn::MSELoss("bogus"); }), HasSubstr("bogus is not a valid value for reduction"));
  EXPECT_THAT(errorOf([] { optim::toAttribute(nullptr, optim::SGDOptions(-1)); }),
              HasSubstr("Invalid learning rate: -1"));
  EXPECT_THAT(errorOf([] { optim::toAttribute(nullptr, optim::SGDOptions(0.1).nesterov(true)); }),
              HasSubstr("Nesterov momentum requires a momentum and zero dampening"));
  EXPECT_THAT(errorOf([] { optim::toAttribute(nullptr, optim::AdamOptions().betas({1.0, 0.9})); }),
              HasSubstr("Invalid beta parameter at index 0: 1"));
}

TEST(Losses, ModulesPrintAndRecordTheirFunctional) {
  nn::CrossEntropyLoss ce({Tensor(), -100, "sum", 0.1});
  EXPECT_EQ(ce.to_string(), "CrossEntropyLoss(reduction=sum)");
  EXPECT_EQ(nn::MSELoss().to_string(), "MSELoss()");
  Probe probe;
  Tensor x = probe.leaf("x", {4, 3});
  EXPECT_THAT(errorOf([&] {
                trace(probe, {{"t", {4, 3}}}, [&](const std::vector<SymTensor> &in) {
                  nn::MSELoss mse;
                  return std::vector<SymTensor>{mse.forward(in[0])};
                });
              }),
              HasSubstr("MSELoss.forward takes (input, target)"));
}

} // namespace
} // namespace nncc::testing
