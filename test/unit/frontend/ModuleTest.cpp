// nn::Module: registration rules and errors, accessors, traversal order and dedupe, modes, apply.
#include "FrontendTestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace nncc;
using nncc::test::errorOf;
using nncc::test::keysOf;
using ::testing::ElementsAre;

namespace {

/// A module with nothing registered, named like a user class.
std::shared_ptr<nn::Module> makeEmpty(const std::string &name = "Block") {
  return std::make_shared<nn::Module>(name);
}

TEST(ModuleRegistration, ParametersKeepOrderAndRequireGrad) {
  nn::Module m("Block");
  Tensor w = m.register_parameter("w", Tensor::ones({2, 3}));
  m.register_parameter("none", Tensor());
  m.register_parameter("frozen", Tensor::zeros({4}), /*requires_grad=*/false);
  m.register_parameter("b", Tensor::zeros({2}));

  EXPECT_THAT(keysOf(m.named_parameters()), ElementsAre("w", "frozen", "b"));
  EXPECT_TRUE(m.param("w").requires_grad());
  EXPECT_FALSE(m.param("frozen").requires_grad());
  EXPECT_FALSE(m.param("none").defined());
  EXPECT_EQ(m.param("w").id(), w.id());
  EXPECT_EQ(m.name(), "Block");
}

TEST(ModuleRegistration, ParameterNameErrors) {
  nn::Module m("Block");
  m.register_buffer("buf", Tensor::zeros({1}));
  m.add_module("sub", makeEmpty());
  EXPECT_EQ(errorOf([&] { m.register_parameter("a.b", Tensor::zeros({1})); }),
            "parameter name can't contain \".\"");
  EXPECT_EQ(errorOf([&] { m.register_parameter("", Tensor::zeros({1})); }),
            "parameter name can't be empty string \"\"");
  EXPECT_EQ(errorOf([&] { m.register_parameter("buf", Tensor::zeros({1})); }),
            "attribute 'buf' already exists");
  EXPECT_EQ(errorOf([&] { m.register_parameter("sub", Tensor()); }),
            "attribute 'sub' already exists");
  EXPECT_TRUE(m.named_parameters().empty());
}

TEST(ModuleRegistration, BufferNameErrors) {
  nn::Module m("Block");
  m.register_parameter("p", Tensor::zeros({1}));
  m.add_module("sub", makeEmpty());
  EXPECT_EQ(errorOf([&] { m.register_buffer("a.b", Tensor::zeros({1})); }),
            "buffer name can't contain \".\"");
  EXPECT_EQ(errorOf([&] { m.register_buffer("", Tensor::zeros({1})); }),
            "buffer name can't be empty string \"\"");
  EXPECT_EQ(errorOf([&] { m.register_buffer("p", Tensor::zeros({1})); }),
            "attribute 'p' already exists");
  EXPECT_EQ(errorOf([&] { m.register_buffer("sub", Tensor::zeros({1})); }),
            "attribute 'sub' already exists");
}

TEST(ModuleRegistration, ModuleNameErrors) {
  nn::Module m("Block");
  m.register_parameter("p", Tensor::zeros({1}));
  m.register_buffer("none_buf", Tensor());
  EXPECT_EQ(errorOf([&] { m.add_module("a.b", makeEmpty()); }),
            "module name can't contain \".\", got: a.b");
  EXPECT_EQ(errorOf([&] { m.register_module("", makeEmpty()); }),
            "module name can't be empty string \"\"");
  EXPECT_EQ(errorOf([&] { m.add_module("p", makeEmpty()); }),
            "attribute 'p' already exists");
  // A buffer registered as None still owns its name, as hasattr says in Python.
  EXPECT_EQ(errorOf([&] { m.add_module("none_buf", makeEmpty()); }),
            "attribute 'none_buf' already exists");
  EXPECT_TRUE(m.named_children().empty());
}

TEST(ModuleRegistration, ReRegisteringReplacesInPlace) {
  nn::Module m("Block");
  m.register_parameter("a", Tensor::zeros({1}));
  m.register_parameter("b", Tensor::zeros({1}));
  m.register_parameter("c", Tensor::zeros({1}));
  Tensor replacement = Tensor::ones({3});
  m.register_parameter("b", replacement);
  EXPECT_THAT(keysOf(m.named_parameters()), ElementsAre("a", "b", "c"));
  EXPECT_EQ(m.param("b").id(), replacement.id());

  m.register_buffer("x", Tensor::zeros({1}), /*persistent=*/false);
  m.register_buffer("y", Tensor::zeros({1}));
  EXPECT_FALSE(m.is_persistent_buffer("x"));
  m.register_buffer("x", Tensor::ones({1}));
  EXPECT_TRUE(m.is_persistent_buffer("x"));
  EXPECT_THAT(keysOf(m.named_buffers()), ElementsAre("x", "y"));

  auto first = makeEmpty("First");
  auto second = makeEmpty("Second");
  m.add_module("k", first);
  m.add_module("l", makeEmpty());
  m.add_module("k", second);
  EXPECT_THAT(keysOf(m.named_children()), ElementsAre("k", "l"));
  EXPECT_EQ(m.child("k"), second);
}

TEST(ModuleRegistration, RegisterModuleReturnsTypedPointer) {
  nn::Module m("Block");
  auto linear = std::make_shared<nn::Linear>(2, 3);
  std::shared_ptr<nn::Linear> back = m.register_module("fc", linear);
  EXPECT_EQ(back, linear);
  EXPECT_EQ(back->out_features, 3);
  EXPECT_EQ(m.child("fc").get(), linear.get());
}

TEST(ModuleAccessors, MissingNamesThrow) {
  nn::Module m("Block");
  m.register_parameter("p", Tensor::zeros({1}));
  EXPECT_EQ(errorOf([&] { m.param("q"); }), "'Block' object has no parameter 'q'");
  EXPECT_EQ(errorOf([&] { m.buffer("p"); }), "'Block' object has no buffer 'p'");
  EXPECT_EQ(errorOf([&] { m.child("p"); }), "'Block' object has no child module 'p'");
  EXPECT_EQ(errorOf([&] { m.is_persistent_buffer("p"); }), "'Block' object has no buffer 'p'");
}

TEST(ModuleAccessors, DottedPathLookups) {
  nn::Sequential seq(std::make_shared<nn::Linear>(2, 2));
  seq.register_buffer("rm", Tensor::zeros({1}));
  EXPECT_EQ(&seq.get_submodule(""), &seq);
  EXPECT_EQ(seq.get_submodule("0").name(), "Linear");
  EXPECT_EQ(seq.get_parameter("0.weight").shape(), (Shape{2, 2}));
  EXPECT_EQ(seq.get_buffer("rm").shape(), (Shape{1}));

  // The texts of PyTorch 1.13's get_submodule / get_parameter / get_buffer.
  EXPECT_EQ(errorOf([&] { seq.get_submodule("0.foo"); }), "Linear has no attribute `foo`");
  EXPECT_EQ(errorOf([&] { seq.get_submodule("1"); }), "Sequential has no attribute `1`");
  EXPECT_EQ(errorOf([&] { seq.get_submodule("0.weight.x"); }), "`weight` is not an nn.Module");
  EXPECT_EQ(errorOf([&] { seq.get_submodule("rm.x"); }), "`rm` is not an nn.Module");
  EXPECT_EQ(errorOf([&] { seq.get_parameter("rm"); }), "`rm` is not an nn.Parameter");
  EXPECT_EQ(errorOf([&] { seq.get_parameter("0"); }), "`0` is not an nn.Parameter");
  EXPECT_EQ(errorOf([&] { seq.get_parameter("zz.w"); }), "Sequential has no attribute `zz`");
  EXPECT_EQ(errorOf([&] { seq.get_buffer("0.weight"); }), "`weight` is not a buffer");
  EXPECT_EQ(errorOf([&] { seq.get_buffer("0.foo"); }), "Linear has no attribute `foo`");
}

TEST(ModuleForward, BaseForwardIsMissing) {
  nn::Module m("Custom");
  EXPECT_EQ(errorOf([&] { m.forward(SymTensor()); }),
            "Module [Custom] is missing the required \"forward\" function");
}

TEST(ModuleTraversal, NestedOrderMatchesPyTorch) {
  test::Net net;
  EXPECT_THAT(keysOf(net.named_modules()),
              ElementsAre("", "flatten", "features", "features.0", "features.1", "features.2",
                          "features.2.0", "features.2.1", "heads", "heads.cls", "heads.id",
                          "blocks", "blocks.0"));
  EXPECT_THAT(keysOf(net.named_modules("model")),
              ElementsAre("model", "model.flatten", "model.features", "model.features.0",
                          "model.features.1", "model.features.2", "model.features.2.0",
                          "model.features.2.1", "model.heads", "model.heads.cls",
                          "model.heads.id", "model.blocks", "model.blocks.0"));
  EXPECT_THAT(keysOf(net.named_parameters()),
              ElementsAre("features.0.weight", "features.0.bias", "features.2.0.weight",
                          "features.2.0.bias", "heads.cls.weight"));
  EXPECT_THAT(keysOf(net.named_parameters("m")),
              ElementsAre("m.features.0.weight", "m.features.0.bias", "m.features.2.0.weight",
                          "m.features.2.0.bias", "m.heads.cls.weight"));
  EXPECT_THAT(keysOf(net.named_buffers()), ElementsAre("running_mean", "scratch"));
  EXPECT_THAT(keysOf(net.named_children()), ElementsAre("flatten", "features", "heads", "blocks"));
  EXPECT_EQ(net.children().front(), net.flatten);
  EXPECT_EQ(net.parameters().size(), 5u);
  EXPECT_EQ(net.parameters().front().id(), net.features->get_parameter("0.weight").id());
  EXPECT_EQ(net.modules().size(), 13u);
  EXPECT_EQ(net.modules()[3], (*net.features)[0].get());
}

TEST(ModuleTraversal, NonRecursiveListsOnlyOwnMembers) {
  test::Net net;
  EXPECT_TRUE(net.named_parameters("", /*recurse=*/false).empty());
  EXPECT_THAT(keysOf(net.named_buffers("", /*recurse=*/false)),
              ElementsAre("running_mean", "scratch"));
  EXPECT_THAT(keysOf(net.features->named_parameters("", false)), ElementsAre());
  auto linear = std::dynamic_pointer_cast<nn::Linear>((*net.features)[0]);
  ASSERT_TRUE(linear);
  EXPECT_THAT(keysOf(linear->named_parameters("fc", false)), ElementsAre("fc.weight", "fc.bias"));
}

TEST(ModuleTraversal, SharedModulesAppearOnce) {
  // Python: x = Identity(); r.a = Sequential(x); r.b = x; r.c = Sequential(x, x)
  auto x = std::make_shared<nn::Identity>();
  nn::Module root("Root");
  root.add_module("a", std::make_shared<nn::Sequential>(x));
  root.add_module("b", x);
  root.add_module("c", std::make_shared<nn::Sequential>(x, x));
  EXPECT_THAT(keysOf(root.named_modules()), ElementsAre("", "a", "a.0", "c"));
  EXPECT_THAT(keysOf(root.named_modules("", /*remove_duplicate=*/false)),
              ElementsAre("", "a", "a.0", "b", "c", "c.0", "c.1"));
  EXPECT_THAT(keysOf(root.named_children()), ElementsAre("a", "b", "c"));
  EXPECT_THAT(keysOf(root.child("c")->named_children()), ElementsAre("0"));
}

TEST(ModuleTraversal, SharedParametersAppearOnce) {
  auto fc = std::make_shared<nn::Linear>(3, 3);
  nn::Sequential seq(fc, std::make_shared<nn::ReLU>(), fc);
  EXPECT_THAT(keysOf(seq.named_parameters()), ElementsAre("0.weight", "0.bias"));
  EXPECT_EQ(seq.num_parameters(), 12u);

  // The same tensor registered in two modules (tied weights) counts once,
  // under the first name reached.
  auto enc = std::make_shared<nn::Linear>(4, 4, false);
  auto dec = std::make_shared<nn::Linear>(4, 4, false);
  dec->register_parameter("weight", enc->weight());
  nn::Sequential tied(enc, dec);
  EXPECT_THAT(keysOf(tied.named_parameters()), ElementsAre("0.weight"));
  EXPECT_EQ(tied.parameters().size(), 1u);
}

TEST(ModuleTraversal, NoneMembersAreSkipped) {
  nn::Module m("Block");
  m.register_parameter("p", Tensor());
  m.register_buffer("b", Tensor());
  m.add_module("c", nullptr);
  m.register_buffer("d", Tensor::zeros({1}));
  EXPECT_TRUE(m.parameters().empty());
  EXPECT_THAT(keysOf(m.named_buffers()), ElementsAre("d"));
  EXPECT_TRUE(m.children().empty());
  EXPECT_THAT(keysOf(m.named_modules()), ElementsAre(""));
  EXPECT_EQ(m.child("c"), nullptr);
}

TEST(ModuleTraversal, NumParametersCountsTrainable) {
  test::Net net;
  const size_t total = 784 * 512 + 512 + 512 * 10 + 10 + 10 * 2;
  EXPECT_EQ(net.num_parameters(), total);
  net.features->requires_grad_(false);
  EXPECT_EQ(net.num_parameters(/*trainable_only=*/true), 20u);
  EXPECT_EQ(net.num_parameters(), total);
}

TEST(ModuleMode, TrainAndEvalRecurse) {
  test::Net net;
  for (nn::Module *m : net.modules())
    EXPECT_TRUE(m->is_training()) << m->name();
  nn::Module &self = net.eval();
  EXPECT_EQ(&self, &net);
  for (nn::Module *m : net.modules())
    EXPECT_FALSE(m->is_training()) << m->name();

  net.features->train();
  EXPECT_FALSE(net.is_training());
  EXPECT_FALSE(net.heads->is_training());
  EXPECT_TRUE(net.features->is_training());
  EXPECT_TRUE(net.features->get_submodule("2.1").is_training());

  net.train(true);
  for (nn::Module *m : net.modules())
    EXPECT_TRUE(m->is_training()) << m->name();
}

TEST(ModuleMode, RequiresGradSetsEveryParameter) {
  test::Net net;
  net.requires_grad_(false);
  for (const Tensor &p : net.parameters())
    EXPECT_FALSE(p.requires_grad());
  net.heads->requires_grad_();
  EXPECT_TRUE(net.get_parameter("heads.cls.weight").requires_grad());
  EXPECT_FALSE(net.get_parameter("features.0.weight").requires_grad());
  // Buffers are not parameters and are left alone.
  net.buffer("running_mean").requires_grad_(false);
  net.requires_grad_(true);
  EXPECT_FALSE(net.buffer("running_mean").requires_grad());
}

TEST(ModuleApply, ChildrenBeforeSelfAsPyTorch) {
  // Python order for r.a = Sequential(x); r.b = x; r.c = Sequential(x, x):
  // x, Sequential, x, x, Sequential, Module (children() dedupes per parent only).
  auto x = std::make_shared<nn::Identity>();
  nn::Module root("Root");
  root.add_module("a", std::make_shared<nn::Sequential>(x));
  root.add_module("b", x);
  root.add_module("c", std::make_shared<nn::Sequential>(x, x));
  std::vector<std::string> order;
  nn::Module &self = root.apply([&](nn::Module &m) {
    order.push_back(m.name() + (&m == x.get() ? "*" : ""));
  });
  EXPECT_EQ(&self, &root);
  EXPECT_THAT(order, ElementsAre("Identity*", "Sequential", "Identity*", "Identity*",
                                 "Sequential", "Root"));
}

TEST(ModuleApply, CanReinitialiseLayers) {
  test::Net net;
  net.apply([](nn::Module &m) {
    if (auto *linear = dynamic_cast<nn::Linear *>(&m))
      nn::init::ones_(linear->weight());
  });
  for (const auto &[name, p] : net.named_parameters()) {
    if (name.size() > 6 && name.compare(name.size() - 6, 6, "weight") == 0)
      EXPECT_EQ(p.data()[0], 1.0f) << name;
  }
  EXPECT_NE(net.get_parameter("features.0.bias").data()[0], 1.0f);
}

} // namespace
