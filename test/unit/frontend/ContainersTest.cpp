// Sequential, ModuleList and ModuleDict: construction, indexing, slicing, editing and renumbering as container.py.
#include "FrontendTestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace nncc;
using nncc::test::errorOf;
using nncc::test::keysOf;
using ::testing::ElementsAre;

namespace {

using ModulePtr = std::shared_ptr<nn::Module>;

/// Four distinct leaves, each named after its position for readable checks.
std::vector<ModulePtr> fourLeaves() {
  return {std::make_shared<nn::Module>("A"), std::make_shared<nn::Module>("B"),
          std::make_shared<nn::Module>("C"), std::make_shared<nn::Module>("D")};
}

/// The class names of a container's modules, in iteration order.
template <class Container> std::vector<std::string> namesOf(const Container &c) {
  std::vector<std::string> names;
  for (const ModulePtr &m : c)
    names.push_back(m->name());
  return names;
}

// --- Sequential ---------------------------------------------------------------

TEST(Sequential, ConstructionKeys) {
  auto leaves = fourLeaves();
  nn::Sequential fromVector(leaves);
  EXPECT_THAT(keysOf(fromVector.named_children()), ElementsAre("0", "1", "2", "3"));
  nn::Sequential variadic(leaves[0], std::make_shared<nn::ReLU>());
  EXPECT_THAT(keysOf(variadic.named_children()), ElementsAre("0", "1"));
  nn::Sequential named(nn::NamedModules{{"fc", leaves[0]}, {"act", leaves[1]}});
  EXPECT_THAT(keysOf(named.named_children()), ElementsAre("fc", "act"));
  EXPECT_EQ(named[1], leaves[1]);
  EXPECT_EQ(named.size(), 2u);
  EXPECT_EQ(errorOf([&] { nn::Sequential(nn::NamedModules{{"a.b", leaves[0]}}); }),
            "module name can't contain \".\", got: a.b");
}

TEST(Sequential, IndexingWithNegativeAndOutOfRange) {
  auto leaves = fourLeaves();
  nn::Sequential seq(leaves);
  EXPECT_EQ(seq[0], leaves[0]);
  EXPECT_EQ(seq[3], leaves[3]);
  EXPECT_EQ(seq[-1], leaves[3]);
  EXPECT_EQ(seq[-4], leaves[0]);
  EXPECT_EQ(errorOf([&] { seq[4]; }), "index 4 is out of range");
  EXPECT_EQ(errorOf([&] { seq[-5]; }), "index -5 is out of range");
}

TEST(Sequential, SliceKeepsKeysAndSharesModules) {
  // Python: s = Sequential(A, B, C, D); keys of s[1:3], s[::2], s[::-2], s[-3:-1].
  auto leaves = fourLeaves();
  nn::Sequential seq(leaves);
  auto mid = seq.slice(1, 3);
  EXPECT_THAT(keysOf(mid->named_children()), ElementsAre("1", "2"));
  EXPECT_EQ((*mid)[0], leaves[1]);
  EXPECT_EQ(mid->name(), "Sequential");
  EXPECT_THAT(keysOf(seq.slice(std::nullopt, std::nullopt, 2)->named_children()),
              ElementsAre("0", "2"));
  EXPECT_THAT(keysOf(seq.slice(std::nullopt, std::nullopt, -2)->named_children()),
              ElementsAre("3", "1"));
  EXPECT_THAT(keysOf(seq.slice(-3, -1)->named_children()), ElementsAre("1", "2"));
  EXPECT_EQ(seq.slice(5, std::nullopt)->size(), 0u);
  EXPECT_EQ(seq.slice(std::nullopt, -10)->size(), 0u);
  EXPECT_EQ(errorOf([&] { seq.slice(0, 2, 0); }), "slice step cannot be zero");
}

TEST(Sequential, AppendInsertExtend) {
  auto leaves = fourLeaves();
  nn::Sequential seq(leaves[0], leaves[1]);
  seq.append(leaves[2]).insert(0, leaves[3]);
  EXPECT_THAT(namesOf(seq), ElementsAre("D", "A", "B", "C"));
  EXPECT_THAT(keysOf(seq.named_children()), ElementsAre("0", "1", "2", "3"));

  auto e = std::make_shared<nn::Module>("E");
  seq.insert(-1, e);
  EXPECT_THAT(namesOf(seq), ElementsAre("D", "A", "B", "E", "C"));
  auto f = std::make_shared<nn::Module>("F");
  seq.insert(5, f);
  EXPECT_THAT(namesOf(seq), ElementsAre("D", "A", "B", "E", "C", "F"));

  EXPECT_EQ(errorOf([&] { seq.insert(7, e); }), "Index out of range: 7");
  EXPECT_EQ(errorOf([&] { seq.insert(-7, e); }), "Index out of range: -7");
  EXPECT_EQ(errorOf([&] { seq.insert(0, nullptr); }),
            "module should be of type: <class 'torch.nn.modules.module.Module'>");

  nn::Sequential other(leaves[0], leaves[1]);
  other.extend(nn::Sequential(leaves[2], leaves[3]));
  other.extend(std::vector<ModulePtr>{e});
  EXPECT_THAT(namesOf(other), ElementsAre("A", "B", "C", "D", "E"));
  EXPECT_THAT(keysOf(other.named_children()), ElementsAre("0", "1", "2", "3", "4"));
}

TEST(Sequential, PopRenumbers) {
  auto leaves = fourLeaves();
  nn::Sequential seq(leaves);
  EXPECT_EQ(seq.pop(1), leaves[1]);
  EXPECT_THAT(keysOf(seq.named_children()), ElementsAre("0", "1", "2"));
  EXPECT_THAT(namesOf(seq), ElementsAre("A", "C", "D"));
  EXPECT_EQ(seq.pop(-1), leaves[3]);
  EXPECT_THAT(namesOf(seq), ElementsAre("A", "C"));
  EXPECT_EQ(errorOf([&] { seq.pop(2); }), "index 2 is out of range");

  // PyTorch renumbers even a Sequential built from named pairs.
  nn::Sequential named(nn::NamedModules{{"a", leaves[0]}, {"b", leaves[1]}, {"c", leaves[2]}});
  EXPECT_EQ(named.pop(1), leaves[1]);
  EXPECT_THAT(keysOf(named.named_children()), ElementsAre("0", "1"));
}

TEST(Sequential, IterationKeepsDuplicates) {
  auto a = std::make_shared<nn::Identity>();
  nn::Sequential seq(a, a);
  EXPECT_THAT(namesOf(seq), ElementsAre("Identity", "Identity"));
  EXPECT_EQ(seq.children().size(), 1u);
  EXPECT_THAT(keysOf(seq.named_modules()), ElementsAre("", "0"));
}

// --- ModuleList ---------------------------------------------------------------

TEST(ModuleList, IndexAppendExtend) {
  auto leaves = fourLeaves();
  nn::ModuleList list(std::vector<ModulePtr>{leaves[0], leaves[1]});
  list.append(leaves[2]).extend(std::vector<ModulePtr>{leaves[3]});
  EXPECT_EQ(list.size(), 4u);
  EXPECT_THAT(keysOf(list.named_children()), ElementsAre("0", "1", "2", "3"));
  EXPECT_EQ(list[-1], leaves[3]);
  EXPECT_EQ(list[1], leaves[1]);
  EXPECT_EQ(errorOf([&] { list[4]; }), "index 4 is out of range");
  EXPECT_EQ(errorOf([&] { list[-5]; }), "index -5 is out of range");
  EXPECT_THAT(namesOf(list), ElementsAre("A", "B", "C", "D"));
  nn::ModuleList copy;
  copy.extend(list);
  EXPECT_THAT(namesOf(copy), ElementsAre("A", "B", "C", "D"));
}

TEST(ModuleList, InsertShiftsLaterEntries) {
  auto leaves = fourLeaves();
  nn::ModuleList list(std::vector<ModulePtr>{leaves[0], leaves[1]});
  list.insert(1, leaves[2]);
  EXPECT_THAT(namesOf(list), ElementsAre("A", "C", "B"));
  list.insert(3, leaves[3]);
  EXPECT_THAT(namesOf(list), ElementsAre("A", "C", "B", "D"));
  EXPECT_THAT(keysOf(list.named_children()), ElementsAre("0", "1", "2", "3"));
}

TEST(ModuleList, PopAndSliceRenumber) {
  auto leaves = fourLeaves();
  nn::ModuleList list(leaves);
  EXPECT_EQ(list.pop(0), leaves[0]);
  EXPECT_THAT(keysOf(list.named_children()), ElementsAre("0", "1", "2"));
  EXPECT_EQ(list[0], leaves[1]);
  auto tail = list.slice(1, std::nullopt);
  EXPECT_THAT(keysOf(tail->named_children()), ElementsAre("0", "1"));
  EXPECT_THAT(namesOf(*tail), ElementsAre("C", "D"));
  EXPECT_THAT(namesOf(*list.slice(std::nullopt, std::nullopt, -1)), ElementsAre("D", "C", "B"));
}

TEST(ModuleList, HasNoForward) {
  nn::ModuleList list;
  EXPECT_EQ(errorOf([&] { list.forward(SymTensor()); }),
            "Module [ModuleList] is missing the required \"forward\" function");
}

// --- ModuleDict ---------------------------------------------------------------

TEST(ModuleDict, InsertionOrderedAccess) {
  auto leaves = fourLeaves();
  nn::ModuleDict dict(nn::NamedModules{{"conv", leaves[0]}, {"pool", leaves[1]}});
  dict.set("act", leaves[2]);
  EXPECT_THAT(dict.keys(), ElementsAre("conv", "pool", "act"));
  EXPECT_EQ(dict["pool"], leaves[1]);
  EXPECT_TRUE(dict.contains("act"));
  EXPECT_FALSE(dict.contains("fc"));
  EXPECT_EQ(dict.size(), 3u);
  EXPECT_EQ(dict.values()[2], leaves[2]);
  EXPECT_EQ(errorOf([&] { dict["fc"]; }), "key 'fc' not in ModuleDict");
  EXPECT_EQ(errorOf([&] { dict.set("a.b", leaves[3]); }),
            "module name can't contain \".\", got: a.b");
  std::vector<std::string> iterated;
  for (const auto &[key, module] : dict)
    iterated.push_back(key + "=" + module->name());
  EXPECT_THAT(iterated, ElementsAre("conv=A", "pool=B", "act=C"));
}

TEST(ModuleDict, UpdateOverwritesInPlaceAndAppends) {
  auto leaves = fourLeaves();
  nn::ModuleDict dict(nn::NamedModules{{"a", leaves[0]}, {"b", leaves[1]}});
  dict.update(nn::NamedModules{{"c", leaves[2]}, {"a", leaves[3]}});
  EXPECT_THAT(dict.keys(), ElementsAre("a", "b", "c"));
  EXPECT_EQ(dict["a"], leaves[3]);
  nn::ModuleDict other;
  other.update(dict.items());
  EXPECT_THAT(other.keys(), ElementsAre("a", "b", "c"));
}

TEST(ModuleDict, PopAndClear) {
  auto leaves = fourLeaves();
  nn::ModuleDict dict(nn::NamedModules{{"a", leaves[0]}, {"b", leaves[1]}, {"c", leaves[2]}});
  EXPECT_EQ(dict.pop("b"), leaves[1]);
  EXPECT_THAT(dict.keys(), ElementsAre("a", "c"));
  EXPECT_EQ(errorOf([&] { dict.pop("b"); }), "key 'b' not in ModuleDict");
  dict.clear();
  EXPECT_EQ(dict.size(), 0u);
  EXPECT_TRUE(dict.named_modules().size() == 1);
}

// --- containers inside a user model --------------------------------------------

/// A user model keeping its layers in a ModuleList and its heads in a
/// ModuleDict, with its own forward, as a PyTorch user would write it.
class Tower : public nn::Module {
public:
  explicit Tower(int64_t depth) : Module("Tower") {
    layers = register_module("layers", std::make_shared<nn::ModuleList>());
    for (int64_t i = 0; i < depth; ++i)
      layers->append(std::make_shared<nn::Linear>(8, 8));
    heads = register_module("heads", std::make_shared<nn::ModuleDict>(nn::NamedModules{
                                         {"score", std::make_shared<nn::Linear>(8, 1)},
                                         {"embed", std::make_shared<nn::Identity>()}}));
  }

  SymTensor forward(const SymTensor &input) override {
    SymTensor x = input;
    for (const auto &layer : *layers)
      x = F::relu((*layer)(x));
    return (*(*heads)["score"])(x);
  }

  std::shared_ptr<nn::ModuleList> layers;
  std::shared_ptr<nn::ModuleDict> heads;
};

TEST(UserModule, ChildrenInListAndDictAreRegistered) {
  Tower tower(2);
  EXPECT_THAT(tower.state_dict().keys(),
              ElementsAre("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                          "heads.score.weight", "heads.score.bias"));
  EXPECT_EQ(tower.num_parameters(), 2u * (64 + 8) + 9);
  EXPECT_THAT(keysOf(tower.named_modules()),
              ElementsAre("", "layers", "layers.0", "layers.1", "heads", "heads.score",
                          "heads.embed"));
  tower.eval();
  EXPECT_FALSE((*tower.layers)[1]->is_training());
  EXPECT_FALSE((*tower.heads)["embed"]->is_training());
  EXPECT_EQ(tower.to_string(), "Tower(\n"
                               "  (layers): ModuleList(\n"
                               "    (0): Linear(in_features=8, out_features=8, bias=True)\n"
                               "    (1): Linear(in_features=8, out_features=8, bias=True)\n"
                               "  )\n"
                               "  (heads): ModuleDict(\n"
                               "    (score): Linear(in_features=8, out_features=1, bias=True)\n"
                               "    (embed): Identity()\n"
                               "  )\n"
                               ")");
}

} // namespace
