// Module::to_string and operator<<: the tree exactly as PyTorch's repr(module) prints it.
#include "FrontendTestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

using namespace nncc;

namespace {

/// A module whose extra_repr spans two lines, with an optional child.
class TwoLine : public nn::Module {
public:
  explicit TwoLine(bool withChild) : Module("TwoLine") {
    if (withChild)
      register_module("k", std::make_shared<nn::ReLU>());
  }
  std::string extra_repr() const override { return "a=1\nb=2"; }
};

TEST(ModuleRepr, Leaves) {
  EXPECT_EQ(nn::Linear(784, 512).to_string(),
            "Linear(in_features=784, out_features=512, bias=True)");
  EXPECT_EQ(nn::Linear(3, 4, false).to_string(), "Linear(in_features=3, out_features=4, bias=False)");
  EXPECT_EQ(nn::ReLU().to_string(), "ReLU()");
  EXPECT_EQ(nn::ReLU(true).to_string(), "ReLU(inplace=True)");
  EXPECT_EQ(nn::Flatten().to_string(), "Flatten(start_dim=1, end_dim=-1)");
  EXPECT_EQ(nn::Flatten(0, 2).to_string(), "Flatten(start_dim=0, end_dim=2)");
  EXPECT_EQ(nn::Identity().to_string(), "Identity()");
  EXPECT_EQ(nn::Module().to_string(), "Module()");
  EXPECT_EQ(nn::Sequential().to_string(), "Sequential()");
}

TEST(ModuleRepr, Sequential) {
  nn::Sequential seq(std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::ReLU>());
  EXPECT_EQ(seq.to_string(), "Sequential(\n"
                             "  (0): Linear(in_features=784, out_features=512, bias=True)\n"
                             "  (1): ReLU()\n"
                             ")");
}

TEST(ModuleRepr, NestedTreeIndentsEachLevel) {
  test::Net net;
  EXPECT_EQ(net.to_string(), "Net(\n"
                             "  (flatten): Flatten(start_dim=1, end_dim=-1)\n"
                             "  (features): Sequential(\n"
                             "    (0): Linear(in_features=784, out_features=512, bias=True)\n"
                             "    (1): ReLU()\n"
                             "    (2): Sequential(\n"
                             "      (0): Linear(in_features=512, out_features=10, bias=True)\n"
                             "      (1): ReLU(inplace=True)\n"
                             "    )\n"
                             "  )\n"
                             "  (heads): ModuleDict(\n"
                             "    (cls): Linear(in_features=10, out_features=2, bias=False)\n"
                             "    (id): Identity()\n"
                             "  )\n"
                             "  (blocks): ModuleList(\n"
                             "    (0): Identity()\n"
                             "  )\n"
                             ")");
}

TEST(ModuleRepr, MultiLineExtraReprAndNoneChild) {
  EXPECT_EQ(TwoLine(false).to_string(), "TwoLine(\n  a=1\n  b=2\n)");
  EXPECT_EQ(TwoLine(true).to_string(), "TwoLine(\n  a=1\n  b=2\n  (k): ReLU()\n)");
  nn::Module m;
  m.add_module("x", nullptr);
  EXPECT_EQ(m.to_string(), "Module(\n  (x): None\n)");
}

TEST(ModuleRepr, StreamOperatorPrintsTheSame) {
  nn::Sequential seq(std::make_shared<nn::Identity>());
  std::ostringstream os;
  os << seq;
  EXPECT_EQ(os.str(), seq.to_string());
  EXPECT_EQ(os.str(), "Sequential(\n  (0): Identity()\n)");
}

} // namespace
