// Tests that the generator and nn::init reproduce torch 1.13's CPU numbers (test/goldens/rng).
#include "frontend/Random.h"
#include "frontend/Init.h"
#include "runtime/Npy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

using nncc::Generator;
using nncc::Tensor;
namespace init = nncc::nn::init;

namespace {

std::string golden(const std::string &rel) { return std::string(NNCC_GOLDEN_DIR) + "/" + rel; }

nncc::rt::NpyArray loadGolden(const std::string &file) {
  nncc::rt::NpyArray array;
  nncc::rt::Status s = nncc::rt::readNpy(golden("rng/" + file), &array);
  EXPECT_TRUE(s.ok()) << s.message();
  return array;
}

/// Exact comparison: equal shapes and equal float bit patterns, reporting the first difference.
void expectBitsEqual(const Tensor &actual, const std::string &file) {
  nncc::rt::NpyArray expected = loadGolden(file);
  ASSERT_EQ(actual.shape(), expected.shape) << file;
  for (int64_t i = 0; i < actual.numel(); ++i) {
    if (std::memcmp(&actual.data()[i], &expected.data[i], sizeof(float)) != 0) {
      ADD_FAILURE() << file << "[" << i << "]: nncc " << actual.data()[i] << " vs torch "
                    << expected.data[i];
      return;
    }
  }
}

/// Runs one manifest step on a fresh tensor from the global generator.
Tensor runStep(const nlohmann::json &step) {
  Tensor t = Tensor::empty(step["shape"].get<std::vector<int64_t>>());
  const nlohmann::json &a = step["args"];
  std::string op = step["op"];
  if (op == "uniform_")
    return init::uniform_(t, a["a"], a["b"]);
  if (op == "normal_")
    return init::normal_(t, a["mean"], a["std"]);
  if (op == "kaiming_uniform_")
    return init::kaiming_uniform_(t, a["a"], a["mode"], a["nonlinearity"]);
  if (op == "kaiming_normal_")
    return init::kaiming_normal_(t, a["a"], a["mode"], a["nonlinearity"]);
  if (op == "xavier_uniform_")
    return init::xavier_uniform_(t, a["gain"]);
  if (op == "xavier_normal_")
    return init::xavier_normal_(t, a["gain"]);
  ADD_FAILURE() << "unknown op " << op;
  return t;
}

nlohmann::json manifest() {
  std::ifstream in(golden("rng/manifest.json"));
  return nlohmann::json::parse(in);
}

} // namespace

TEST(Random, StreamIsTheReferenceMT19937) {
  for (uint64_t seed : {0ULL, 42ULL, 5489ULL, 0x1234567890ULL}) {
    Generator gen(seed);
    std::mt19937 reference(static_cast<uint32_t>(seed));
    for (int i = 0; i < 2000; ++i)
      ASSERT_EQ(gen.random(), reference()) << "seed " << seed << " draw " << i;
  }
}

TEST(Random, Random64PutsTheFirstDrawInTheHighWord) {
  Generator a(7), b(7);
  uint64_t hi = a.random(), lo = a.random();
  EXPECT_EQ(b.random64(), (hi << 32) | lo);
}

TEST(Random, ManualSeedResetsTheStreamAndTheCachedNormal) {
  nncc::manual_seed(3);
  double first = Generator::global().normal();
  Generator::global().normal(); // consumes the cached second value
  Generator::global().normal(); // leaves a new one cached
  nncc::manual_seed(3);
  EXPECT_EQ(Generator::global().normal(), first);
}

TEST(Random, ScalarNormalsComeInCachedPairs) {
  Generator gen(11);
  double a = gen.normal();
  double b = gen.normal(); // the cached sine half: no new draws
  Generator fresh(11);
  fresh.random64();
  fresh.random64();
  Generator after(11);
  after.normal();
  after.normal();
  EXPECT_NE(a, b);
  EXPECT_EQ(after.random(), fresh.random());
}

TEST(Random, InitSequencesMatchTorchBitForBit) {
  nlohmann::json m = manifest();
  ASSERT_GE(m["cases"].size(), 2u);
  for (const nlohmann::json &c : m["cases"]) {
    nncc::manual_seed(c["seed"].get<uint64_t>());
    for (const nlohmann::json &step : c["steps"]) {
      SCOPED_TRACE(step["file"].get<std::string>());
      expectBitsEqual(runStep(step), step["file"]);
    }
  }
}

TEST(Random, LinearDefaultInitMatchesTorch) {
  nlohmann::json m = manifest();
  for (const nlohmann::json &c : m["cases"]) {
    // nn.Linear(5, 3).reset_parameters(): kaiming_uniform_(a=sqrt(5)), then
    // the bias uniform in +-1/sqrt(fan_in).
    nncc::manual_seed(c["seed"].get<uint64_t>());
    Tensor weight = init::kaiming_uniform_(Tensor::empty({3, 5}), std::sqrt(5.0));
    double bound =
        1 / std::sqrt(static_cast<double>(init::calculate_fan_in_and_fan_out(weight).first));
    Tensor bias = init::uniform_(Tensor::empty({3}), -bound, bound);
    expectBitsEqual(weight, c["linear5x3"]["weight"]);
    expectBitsEqual(bias, c["linear5x3"]["bias"]);
  }
}

TEST(Random, AnExplicitGeneratorLeavesTheGlobalOneAlone) {
  nncc::manual_seed(0);
  Generator own(0);
  Tensor mine = init::uniform_(Tensor::empty({7}), 0, 1, &own);
  Tensor global = init::uniform_(Tensor::empty({7}), 0, 1);
  expectBitsEqual(mine, "seed0_uniform_7.npy");
  expectBitsEqual(global, "seed0_uniform_7.npy");
}

namespace {

/// The example MLP's (weight, bias) pairs as nn.Linear initialises them, in construction order.
std::vector<std::pair<Tensor, Tensor>> buildMlp(uint64_t seed) {
  nncc::manual_seed(seed);
  std::vector<std::pair<Tensor, Tensor>> layers;
  for (auto [in, out] : {std::pair{784, 512}, std::pair{512, 512}, std::pair{512, 10}}) {
    Tensor weight = init::kaiming_uniform_(Tensor::empty({out, in}), std::sqrt(5.0));
    double bound = 1 / std::sqrt(static_cast<double>(in));
    layers.emplace_back(weight, init::uniform_(Tensor::empty({out}), -bound, bound));
  }
  return layers;
}

} // namespace

TEST(Random, MlpWeightsRebuiltFromTheSeedMatchTheProbe) {
  std::ifstream in(golden("mlp/probe.json"));
  nlohmann::json probe = nlohmann::json::parse(in);
  std::vector<std::pair<Tensor, Tensor>> layers = buildMlp(0);
  const char *indices[] = {"0", "2", "4"};
  for (size_t l = 0; l < layers.size(); ++l) {
    for (auto [suffix, tensor] :
         {std::pair{".weight", layers[l].first}, std::pair{".bias", layers[l].second}}) {
      std::string key = std::string(indices[l]) + suffix;
      SCOPED_TRACE(key);
      const nlohmann::json &p = probe.at(key);
      ASSERT_EQ(tensor.shape(), p["shape"].get<std::vector<int64_t>>());
      for (size_t i = 0; i < 8; ++i)
        EXPECT_EQ(static_cast<double>(tensor.data()[i]), p["first8"][i].get<double>());
      double sum = 0;
      for (int64_t i = 0; i < tensor.numel(); ++i)
        sum += tensor.data()[i];
      EXPECT_NEAR(sum, p["fsum"].get<double>(), 1e-6);
    }
  }
}

TEST(Random, MlpRebuiltFromTheSeedReproducesTorchsOutput) {
  nncc::rt::NpyArray input, output;
  ASSERT_TRUE(nncc::rt::readNpy(golden("mlp/input.npy"), &input).ok());
  ASSERT_TRUE(nncc::rt::readNpy(golden("mlp/output.npy"), &output).ok());
  ASSERT_EQ(output.shape, (std::vector<int64_t>{2, 10}));
  std::vector<std::pair<Tensor, Tensor>> layers = buildMlp(0);
  std::vector<double> h(input.data.begin(), input.data.end());
  for (size_t l = 0; l < layers.size(); ++l) {
    const Tensor &w = layers[l].first, &b = layers[l].second;
    int64_t out = w.size(0), in = w.size(1);
    std::vector<double> next(static_cast<size_t>(2 * out));
    for (int64_t r = 0; r < 2; ++r) {
      for (int64_t o = 0; o < out; ++o) {
        double acc = b.data()[o];
        for (int64_t i = 0; i < in; ++i)
          acc += h[static_cast<size_t>(r * in + i)] * w.data()[o * in + i];
        next[static_cast<size_t>(r * out + o)] = l + 1 < layers.size() ? std::max(acc, 0.0) : acc;
      }
    }
    h = std::move(next);
  }
  for (size_t i = 0; i < h.size(); ++i)
    EXPECT_NEAR(h[i], output.data[i], 1e-5) << "output " << i;
}
