// The hook registry (globs, order, removal, switches) and a Model's hook points, driven by a
// stand-in for compiled code that calls nncc_rt_hook as generated code does.
#include "runtime/Model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

namespace nncc::rt {
namespace {

TEST(Hooks, KindsAndGlobs) {
  HookKind kind;
  for (HookKind k : {HookKind::ForwardPre, HookKind::Forward, HookKind::BackwardPre,
                     HookKind::Backward, HookKind::Grad}) {
    ASSERT_TRUE(parseHookKind(hookKindName(k), &kind));
    EXPECT_EQ(kind, k);
  }
  EXPECT_FALSE(parseHookKind("after", &kind));
  EXPECT_TRUE(pathMatches("features.*", "features.0"));
  EXPECT_TRUE(pathMatches("features.*", "features.0.conv"));
  EXPECT_FALSE(pathMatches("features.*", "classifier.0"));
  EXPECT_TRUE(pathMatches("*", ""));
  EXPECT_TRUE(pathMatches("layer[12]", "layer2"));
}

TEST(Hooks, OrderPrependRemoveAndSwitches) {
  Hooks hooks;
  std::vector<std::string> calls;
  auto note = [&](const std::string &s) { return [&calls, s](const HookEvent &) { calls.push_back(s); }; };
  HookHandle a = hooks.attach("fc", HookKind::Forward, note("a"));
  hooks.attach("f*", HookKind::Forward, note("b"));
  hooks.attach("fc", HookKind::Forward, note("first"), /*prepend=*/true);
  hooks.attach("fc", HookKind::ForwardPre, note("pre"));
  std::string path = "fc", cls = "Linear";
  std::vector<int64_t> shape{1};
  float value = 0;
  HookEvent event{path, HookKind::Forward, cls, "forward", {&value, &shape}, {}};
  hooks.dispatch(event);
  EXPECT_EQ(calls, (std::vector<std::string>{"first", "a", "b"}));

  calls.clear();
  uint64_t generation = hooks.generation();
  EXPECT_TRUE(hooks.remove(a));
  EXPECT_FALSE(hooks.remove(a));
  EXPECT_GT(hooks.generation(), generation);
  hooks.dispatch(event);
  EXPECT_EQ(calls, (std::vector<std::string>{"first", "b"}));

  calls.clear();
  hooks.set_enabled("f*", false);
  hooks.dispatch(event);
  EXPECT_TRUE(calls.empty());
  hooks.set_enabled("fc", true); // the last matching switch wins
  hooks.dispatch(event);
  EXPECT_EQ(calls.size(), 2u);
  hooks.clear();
  EXPECT_TRUE(hooks.empty());
  EXPECT_TRUE(hooks.enabled("fc"));
}

/// Stands in for a compiled forward: y = x, then hook point 0 on y (seeing x), then y += 1.
void fakeForward(void **args) {
  auto *x = static_cast<float *>(args[0]);
  auto *y = static_cast<float *>(args[1]);
  std::memcpy(y, x, 4 * sizeof(float));
  nncc_rt_hook(0, y, x);
  for (int i = 0; i < 4; ++i)
    y[i] += 1;
}

const std::string kManifest = R"({"format":"nncc-artifact","version":1,"model":"tiny",
  "entries":[{"name":"forward","symbol":"f","arena_bytes":0,"args":[
    {"role":"input","name":"x","shape":[4],"dtype":"f32"},
    {"role":"output","name":"y","shape":[4],"dtype":"f32"}]}],
  "hooks":[{"path":"fc","kind":"forward","class":"Linear","shape":[4],"input_shape":[4]}]})";

std::unique_ptr<Model> tinyModel() {
  std::unique_ptr<Model> model;
  Status s = Model::create(kManifest, {{"forward", &fakeForward}}, std::vector<WeightView>{}, &model);
  EXPECT_TRUE(s.ok()) << s.message();
  return model;
}

TEST(ModelHooks, CallbacksSeeAndReplaceTheTappedTensor) {
  auto model = tinyModel();
  ASSERT_EQ(model->hook_sites().size(), 1u);
  EXPECT_EQ(model->hook_sites()[0].className, "Linear");
  float x[4] = {1, 2, 3, 4}, y[4];
  const void *inputs[] = {x};
  float *outputs[] = {y};
  ASSERT_TRUE(model->forward(inputs, outputs).ok());
  EXPECT_EQ(y[3], 5); // no callbacks: the hook point changes nothing

  std::string seen;
  model->hooks().attach("fc", HookKind::Forward, [&](const HookEvent &e) {
    seen = e.path + " " + e.moduleClass + " " + e.entry + " " + std::to_string(e.tensor.numel()) +
           " " + std::to_string(e.input.data[0]);
    for (int i = 0; i < 4; ++i)
      e.tensor.data[i] *= 10;
  });
  ASSERT_TRUE(model->forward(inputs, outputs).ok());
  EXPECT_EQ(seen, "fc Linear forward 4 1.000000");
  EXPECT_EQ(y[0], 11);
  EXPECT_EQ(y[3], 41);
}

TEST(ModelHooks, ThrowingCallbackBecomesTheCallsError) {
  auto model = tinyModel();
  int later = 0;
  model->hooks().attach("*", HookKind::Forward, [](const HookEvent &) { throw std::runtime_error("bad"); });
  model->hooks().attach("*", HookKind::Forward, [&](const HookEvent &) { ++later; });
  float x[4] = {}, y[4];
  const void *inputs[] = {x};
  float *outputs[] = {y};
  Status s = model->forward(inputs, outputs);
  EXPECT_EQ(s.message(), "model 'tiny': forward hook at 'fc': bad");
  EXPECT_EQ(later, 0);
}

TEST(ModelHooks, NoModelRunningMeansNothingHappens) {
  float y = 1;
  nncc_rt_hook(0, &y, nullptr); // outside any entry point: ignored
  EXPECT_EQ(y, 1);
}

TEST(ModelHooks, MalformedHookPointsAreRejected) {
  auto create = [](const std::string &hooks) {
    std::string manifest = kManifest.substr(0, kManifest.find("\"hooks\"")) + "\"hooks\":" + hooks + "}";
    std::unique_ptr<Model> model;
    return Model::create(manifest, {{"forward", &fakeForward}}, std::vector<WeightView>{}, &model);
  };
  EXPECT_EQ(create(R"([{"path":"fc","kind":"sideways","shape":[4]}])").message(),
            "model 'tiny': hook point 'fc' has unknown kind 'sideways'");
  EXPECT_EQ(create(R"({"path":"fc"})").message(), "model 'tiny': manifest 'hooks' is not a list");
  EXPECT_NE(create(R"([{"kind":"forward","shape":[4]}])").message().find("malformed hook point"),
            std::string::npos);
}

} // namespace
} // namespace nncc::rt
