// The example MLP end to end: PyTorch's init from the same seed, interpreter, JIT, and the golden.
#include "TensorGolden.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "examples/mlp/Mlp.h"
#include "frontend/Trace.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace nncc::testing {
namespace {

std::shared_ptr<nn::Sequential> seededMlp() {
  manual_seed(0);
  auto mlp = examples::makeMlp();
  mlp->eval();
  return mlp;
}

TEST(Mlp, InitialWeightsMatchPyTorchFromTheSameSeed) {
  auto mlp = seededMlp();
  std::ifstream in(golden("mlp/probe.json"));
  nlohmann::json probe = nlohmann::json::parse(in);
  StateDict state = mlp->state_dict();
  ASSERT_EQ(state.size(), probe.size());
  for (const auto &[key, tensor] : state) {
    ASSERT_TRUE(probe.contains(key)) << key;
    EXPECT_EQ(tensor.shape(), probe[key]["shape"].get<Shape>()) << key;
    auto first8 = probe[key]["first8"].get<std::vector<float>>();
    for (size_t i = 0; i < first8.size(); ++i)
      EXPECT_EQ(tensor.data()[i], first8[i]) << key << "[" << i << "]";
    double sum = 0;
    for (int64_t i = 0; i < tensor.numel(); ++i)
      sum += tensor.data()[i];
    EXPECT_NEAR(sum, probe[key]["fsum"].get<double>(), 1e-9) << key;
  }
}

TEST(Mlp, InterpreterMatchesPyTorch) {
  auto mlp = seededMlp();
  TracedModel traced = trace(*mlp, {{"x", {2, 784}}});
  Tensor x = loadTensor(golden("mlp/input.npy"));
  auto out = interpret(*traced.module, "forward", {x}, mlp->state_dict());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(allClose(out[0], loadTensor(golden("mlp/output.npy"))));
}

TEST(Mlp, JitMatchesInterpreterAndPyTorch) {
  auto mlp = seededMlp();
  Tensor x = loadTensor(golden("mlp/input.npy"));
  TracedModel traced = trace(*mlp, {{"x", {2, 784}}});
  Tensor reference = interpret(*traced.module, "forward", {x}, mlp->state_dict())[0];
  auto compiled = compile(*mlp, {{"x", {2, 784}}});
  Tensor y = compiled->forward({x})[0];
  EXPECT_TRUE(allClose(y, reference));
  EXPECT_TRUE(allClose(y, loadTensor(golden("mlp/output.npy"))));
  // A second call on the same instance gives the same numbers.
  Tensor again = compiled->forward({x})[0];
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + y.numel()),
            std::vector<float>(again.data(), again.data() + again.numel()));
}

TEST(Mlp, ReprMatchesPyTorch) {
  std::ifstream in(golden("mlp/repr.txt"));
  std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!expected.empty() && expected.back() == '\n')
    expected.pop_back();
  EXPECT_EQ(seededMlp()->to_string(), expected);
}

TEST(Mlp, JitRejectsAnInputOfTheWrongShape) {
  auto mlp = seededMlp();
  auto compiled = compile(*mlp, {{"x", {2, 784}}});
  try {
    compiled->forward({Tensor::zeros({2, 783})});
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "sequential: input 'x' has shape [2, 783], the model expects [2, 784]");
  }
}

} // namespace
} // namespace nncc::testing
