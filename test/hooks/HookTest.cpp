// Module and tensor hooks through hook points, in the reference interpreter and in compiled code,
// against PyTorch goldens (make_hook_goldens.py): captured feature maps, a replaced output, a
// scaled input, and gradients seen and changed by backward and parameter hooks; compiled for the
// CPU and for CUDA (under host emulation).
#include "HookModel.h"


namespace nncc::testing {
namespace {

class Hooks : public ::testing::TestWithParam<Backend> {};

TEST_P(Hooks, ForwardHooksCaptureFeatureMaps) {
  auto model = hookModel();
  std::map<int, Tensor> captured;
  std::vector<nn::RemovableHandle> handles;
  for (int i : {0, 1})
    handles.push_back(model->child(std::to_string(i))
                          ->register_forward_hook([&captured, i](nn::Module &, const Tensor &,
                                                                 const Tensor &out) {
                            captured[i] = out.clone();
                            return std::nullopt;
                          }));
  Tensor y = forwardWithHooks(GetParam(), *model, hookInput());
  EXPECT_TRUE(allClose(y, loadTensor(golden("hook/output.npy")), 1e-5));
  for (int i : {0, 1}) {
    ASSERT_TRUE(captured[i].defined()) << "no capture at " << i;
    EXPECT_TRUE(allClose(captured[i], loadTensor(golden("hook/capture_" + std::to_string(i) + ".npy")),
                         1e-5))
        << "feature map of " << i;
  }
}

TEST_P(Hooks, ForwardHookReplacesTheOutput) {
  auto model = hookModel();
  Tensor seenInput;
  model->child("1")->register_forward_hook(
      [&](nn::Module &m, const Tensor &input, const Tensor &out) -> std::optional<Tensor> {
        EXPECT_EQ(m.name(), "ReLU");
        seenInput = input.clone();
        Tensor r = out.clone();
        for (int64_t i = 0; i < r.numel(); ++i)
          r.data()[i] = 2 * r.data()[i] + 0.5f;
        return r;
      });
  Tensor y = forwardWithHooks(GetParam(), *model, hookInput());
  EXPECT_TRUE(allClose(y, loadTensor(golden("hook/replaced.npy")), 1e-5));
  // A forward hook sees the module's input: the ReLU's is the conv's output.
  EXPECT_TRUE(allClose(seenInput, loadTensor(golden("hook/capture_0.npy")), 1e-5));
}

TEST_P(Hooks, ForwardPreHookScalesTheInput) {
  auto model = hookModel();
  model->child("3")->register_forward_pre_hook([](nn::Module &, const Tensor &x) -> std::optional<Tensor> {
    Tensor r = x.clone();
    for (int64_t i = 0; i < r.numel(); ++i)
      r.data()[i] *= 0.5f;
    return r;
  });
  EXPECT_TRUE(allClose(forwardWithHooks(GetParam(), *model, hookInput()),
                       loadTensor(golden("hook/prescaled.npy")), 1e-5));
}

/// Multiplies a copy of `t` by `factor`.
Tensor scaled(const Tensor &t, float factor) {
  Tensor r = t.clone();
  for (int64_t i = 0; i < r.numel(); ++i)
    r.data()[i] *= factor;
  return r;
}

TEST_P(Hooks, BackwardAndGradientHooksSeeAndChangeGradients) {
  auto model = hookModel();
  Tensor reluGradInput, reluGradOutput, weightGradSeen;
  model->child("3")->register_full_backward_pre_hook(
      [](nn::Module &, const Tensor &g) -> std::optional<Tensor> { return scaled(g, 2); });
  model->child("1")->register_full_backward_hook(
      [&](nn::Module &, const Tensor &gi, const Tensor &go) -> std::optional<Tensor> {
        reluGradInput = gi.clone();
        reluGradOutput = go.clone();
        return std::nullopt;
      });
  model->get_parameter("0.weight").register_hook([&](const Tensor &g) -> std::optional<Tensor> {
    weightGradSeen = g.clone();
    return scaled(g, 0.5f);
  });
  auto grads = gradientsWithHooks(GetParam(), *model, hookInput());
  const std::string dir = "hook/grad/";
  ASSERT_TRUE(reluGradInput.defined() && reluGradOutput.defined() && weightGradSeen.defined());
  EXPECT_TRUE(allClose(reluGradInput, loadTensor(golden(dir + "relu_grad_input.npy")), 1e-4));
  EXPECT_TRUE(allClose(reluGradOutput, loadTensor(golden(dir + "relu_grad_output.npy")), 1e-4));
  EXPECT_TRUE(allClose(weightGradSeen, loadTensor(golden(dir + "weight_grad_seen.npy")), 1e-4));
  for (const char *key : {"0.weight", "0.bias", "3.weight", "3.bias"})
    EXPECT_TRUE(allClose(grads.at(key), loadTensor(golden(dir + key + ".npy")), 1e-4)) << key;
}

TEST_P(Hooks, RunInRegistrationOrderGlobalFirstAndPrependFirst) {
  auto model = hookModel();
  std::vector<std::string> order;
  auto note = [&](const std::string &what) {
    return [&order, what](nn::Module &, const Tensor &, const Tensor &) -> std::optional<Tensor> {
      order.push_back(what);
      return std::nullopt;
    };
  };
  auto relu = model->child("1");
  relu->register_forward_hook(note("a"));
  relu->register_forward_hook(note("b"));
  relu->register_forward_hook(note("first"), /*prepend=*/true);
  nn::RemovableHandle removed = relu->register_forward_hook(note("removed"));
  removed.remove();
  removed.remove(); // twice does nothing
  nn::RemovableHandle global = nn::register_module_forward_hook(
      [&](nn::Module &m, const Tensor &, const Tensor &) -> std::optional<Tensor> {
        if (m.name() == "ReLU")
          order.push_back("global");
        return std::nullopt;
      });
  forwardWithHooks(GetParam(), *model, hookInput());
  global.remove();
  EXPECT_EQ(order, (std::vector<std::string>{"global", "first", "a", "b"}));
}

TEST_P(Hooks, HookReturningAnotherShapeIsAnErrorNamingTheModule) {
  auto model = hookModel();
  model->child("1")->register_forward_hook(
      [](nn::Module &, const Tensor &, const Tensor &) -> std::optional<Tensor> {
        return Tensor::zeros({3});
      });
  std::string error = errorOf([&] { forwardWithHooks(GetParam(), *model, hookInput()); });
  EXPECT_NE(error.find("1 (ReLU): forward hook returned a tensor of shape [3], expected [2, 4, 4, 4]"),
            std::string::npos)
      << error;
}

INSTANTIATE_TEST_SUITE_P(Backends, Hooks,
                         ::testing::Values(Backend::Interpreter, Backend::Compiled, Backend::CudaEmulated),
                         backendName);

TEST(CompiledHooks, AttachRemoveEnableAndDisableByPathAtRunTime) {
  auto model = hookModel();
  Tensor x = hookInput();
  // Hook points on every module, and no hooks registered on the tree.
  auto compiled = compile(*model, {{"x", x.shape()}}, nullptr, "*");
  rt::Hooks &hooks = compiled->runtime().hooks();
  std::vector<std::string> seen;
  rt::HookHandle handle = hooks.attach("[0-3]", rt::HookKind::Forward, [&](const rt::HookEvent &e) {
    seen.push_back(e.path + ":" + e.moduleClass + ":" + e.entry);
  });
  compiled->forward({x});
  EXPECT_EQ(seen, (std::vector<std::string>{"0:Conv2d:forward", "1:ReLU:forward",
                                            "2:Flatten:forward", "3:Linear:forward"}));
  seen.clear();
  hooks.set_enabled("[12]", false);
  compiled->forward({x});
  EXPECT_EQ(seen, (std::vector<std::string>{"0:Conv2d:forward", "3:Linear:forward"}));
  seen.clear();
  hooks.set_enabled("*", true);
  EXPECT_TRUE(hooks.remove(handle));
  EXPECT_FALSE(hooks.remove(handle));
  Tensor y = compiled->forward({x})[0];
  EXPECT_TRUE(seen.empty());
  EXPECT_TRUE(allClose(y, loadTensor(golden("hook/output.npy")), 1e-5));
}

TEST(CompiledHooks, ThrowingCallbackFailsTheCallWithItsMessage) {
  auto model = hookModel();
  Tensor x = hookInput();
  auto compiled = compile(*model, {{"x", x.shape()}}, nullptr, "1");
  compiled->runtime().hooks().attach("1", rt::HookKind::Forward, [](const rt::HookEvent &) {
    throw std::runtime_error("boom");
  });
  std::string error = errorOf([&] { compiled->forward({x}); });
  EXPECT_NE(error.find("forward hook at '1': boom"), std::string::npos) << error;
}

/// The nn IR of `model` lowered to linalg, with the hook-point options given.
std::string linalgOf(nn::Module &model, const std::string &hookPoints, bool strip) {
  TracedModel traced = trace(model, {{"x", kHookInputShape}}, nullptr, hookPoints);
  mlir::DialectRegistry registry;
  registerDialects(registry);
  traced.context->appendDialectRegistry(registry);
  CpuPipelineOptions options;
  options.stopAfter = CpuStage::Linalg;
  options.stripHooks = strip;
  runCpuPipeline(*traced.module, options);
  return printIR(*traced.module);
}

TEST(HookPoints, StrippedCodeEqualsCodeWithoutHooks) {
  auto model = hookModel();
  std::string plain = linalgOf(*model, "", false);
  model->child("1")->register_forward_hook(
      [](nn::Module &, const Tensor &, const Tensor &) { return std::optional<Tensor>(); });
  model->get_parameter("3.weight").register_hook([](const Tensor &) { return std::optional<Tensor>(); });
  std::string hooked = linalgOf(*model, "*", false);
  EXPECT_NE(hooked, plain);
  EXPECT_NE(hooked.find("nn.hook \"forward\" at \"1\""), std::string::npos) << hooked;
  EXPECT_EQ(linalgOf(*model, "*", true), plain);
}

TEST(HookPoints, RecordedWhereHooksAreAndWhereThePatternSays) {
  auto model = hookModel();
  model->child("3")->register_forward_pre_hook(
      [](nn::Module &, const Tensor &) { return std::optional<Tensor>(); });
  std::string ir = printIR(*trace(*model, {{"x", kHookInputShape}}).module);
  EXPECT_NE(ir.find("nn.hook \"forward_pre\" at \"3\""), std::string::npos) << ir;
  EXPECT_EQ(ir.find("at \"0\""), std::string::npos) << ir;
  std::string all = printIR(*trace(*model, {{"x", kHookInputShape}}, nullptr, "0*").module);
  for (const char *point : {"nn.hook \"forward_pre\" at \"0\"", "nn.hook \"forward\" at \"0\"",
                            "nn.grad_hook \"backward\" at \"0\"",
                            "nn.grad_hook \"backward_pre\" at \"0\"",
                            "nn.grad_hook \"grad\" at \"0.weight\""})
    EXPECT_NE(all.find(point), std::string::npos) << point << "\n" << all;
}

TEST(HookPoints, TensorHookNeedsRequiresGrad) {
  Tensor t = Tensor::zeros({2});
  EXPECT_EQ(errorOf([&] { t.register_hook([](const Tensor &) { return std::optional<Tensor>(); }); }),
            "cannot register a hook on a tensor that doesn't require gradient");
}

} // namespace
} // namespace nncc::testing
