// Every gradient rule of the core, math, activation, normalization and mode ops, and the layers
// built from them (MHA, LSTM, GRU, Transformer), against central finite differences; the compiled
// backward against the interpreter. Convolution, pooling and embedding rules are checked with
// their backward ops in test/layers/conv.
#include "GradCheck.h"

#include <gmock/gmock.h>

namespace nncc::testing {
namespace {

using P = Probe;

TEST(GradCheck, LinearAndMatmul) {
  manual_seed(1);
  P p;
  Tensor x = p.leaf("x", {2, 3, 4});
  auto lin = p.register_module("lin", std::make_shared<nn::Linear>(4, 5));
  checkGradients(p, [&] { return (*lin)(P::read(x)); });

  P q;
  Tensor a = q.leaf("a", {3, 4}), b = q.leaf("b", {4, 2});
  checkGradients(q, [&] { return F::matmul(P::read(a), P::read(b)); });

  P r;
  Tensor c = r.leaf("c", {2, 3, 4}), d = r.leaf("d", {2, 4, 3});
  checkGradients(r, [&] { return F::matmul(P::read(c), P::read(d)); });
}

TEST(GradCheck, BroadcastingArithmetic) {
  manual_seed(2);
  P p;
  Tensor x = p.leaf("x", {2, 3}), row = p.leaf("row", {3}), col = p.leaf("col", {2, 1});
  Tensor pos = p.leaf("pos", {2, 3}, 0.5, 2.0);
  checkGradients(p, [&] {
    SymTensor v = P::read(x) * P::read(row) - P::read(col);
    return (v + P::read(row)) / P::read(pos) - 2.0 * P::read(col);
  });
}

TEST(GradCheck, ShapeOps) {
  manual_seed(3);
  P p;
  Tensor x = p.leaf("x", {2, 3, 4}), y = p.leaf("y", {2, 2, 4});
  checkGradients(p, [&] {
    SymTensor v = P::read(x).permute({0, 2, 1}).reshape({2, 12});
    SymTensor parts = F::cat({P::read(x).narrow(1, 1, 2), P::read(y)}, 1);
    return F::cat({F::flatten(parts), v}, 1);
  });
}

TEST(GradCheck, ReductionsAndMath) {
  manual_seed(4);
  P p;
  Tensor x = p.leaf("x", {3, 4}), pos = p.leaf("pos", {3, 4}, 0.5, 2.0);
  checkGradients(p, [&] {
    SymTensor a = F::sum(P::read(x), {1}, /*keepdim=*/true) * F::mean(P::read(x), {0});
    SymTensor b = F::exp(P::read(x)) + F::log(P::read(pos)) + F::sqrt(P::read(pos)) + F::abs(P::read(x));
    return a + b - P::read(x);
  });
}

TEST(GradCheck, Activations) {
  manual_seed(5);
  using Fn = std::function<SymTensor(const SymTensor &)>;
  std::vector<std::pair<std::string, Fn>> fns{
      {"relu", [](const SymTensor &v) { return F::relu(v); }},
      {"sigmoid", [](const SymTensor &v) { return F::sigmoid(v); }},
      {"tanh", [](const SymTensor &v) { return F::tanh(v); }},
      {"silu", [](const SymTensor &v) { return F::silu(v); }},
      {"hardswish", [](const SymTensor &v) { return F::hardswish(v); }},
      {"leaky_relu", [](const SymTensor &v) { return F::leaky_relu(v, 0.2); }},
      {"gelu", [](const SymTensor &v) { return F::gelu(v); }},
      {"gelu_tanh", [](const SymTensor &v) { return F::gelu(v, "tanh"); }},
      {"softmax", [](const SymTensor &v) { return F::softmax(v, 1); }},
      {"log_softmax", [](const SymTensor &v) { return F::log_softmax(v, -1); }}};
  for (const auto &entry : fns) {
    const Fn &fn = entry.second;
    const std::string &name = entry.first;
    SCOPED_TRACE(name);
    P p;
    // Values away from the kinks at 0 and +-3 by more than the step.
    Tensor x = p.leaf("x", {3, 5}, -4, 4);
    for (int64_t i = 0; i < x.numel(); ++i)
      for (float kink : {0.0f, 3.0f, -3.0f})
        if (std::abs(x.data()[i] - kink) < 0.05f)
          x.data()[i] = kink + 0.1f;
    checkGradients(p, [&] { return fn(P::read(x)); });
  }
}

TEST(GradCheck, Normalizations) {
  manual_seed(6);
  P p;
  Tensor x = p.leaf("x", {2, 4, 3});
  auto ln = p.register_module("ln", std::make_shared<nn::LayerNorm>(std::vector<int64_t>{4, 3}));
  auto gn = p.register_module("gn", std::make_shared<nn::GroupNorm>(2, 4));
  auto bn = p.register_module("bn", std::make_shared<nn::BatchNorm1d>(4));
  nn::init::uniform_(ln->named_parameters()[0].second, 0.5, 1.5);
  nn::init::uniform_(gn->named_parameters()[1].second, -0.5, 0.5);
  checkGradients(p, [&] {
    SymTensor v = P::read(x);
    return (*ln)(v) * 0.5 + (*gn)(v) + (*bn)(v * 2.0);
  });

  P e;
  Tensor y = e.leaf("y", {3, 4});
  auto bnEval = e.register_module("bn", std::make_shared<nn::BatchNorm1d>(4));
  e.eval();
  checkGradients(e, [&] { return (*bnEval)(P::read(y)); });
}

TEST(GradCheck, DropoutUsesTheForwardMask) {
  manual_seed(7);
  P p;
  Tensor x = p.leaf("x", {4, 6});
  auto drop = p.register_module("drop", std::make_shared<nn::Dropout>(0.4));
  checkGradients(p, [&] { return (*drop)(P::read(x)); });
}

TEST(GradCheck, FrozenParametersGetNoGradient) {
  manual_seed(8);
  P p;
  Tensor x = p.leaf("x", {2, 4});
  auto frozen = p.register_module("frozen", std::make_shared<nn::Linear>(4, 4));
  auto lin = p.register_module("lin", std::make_shared<nn::Linear>(4, 3));
  frozen->requires_grad_(false);
  checkGradients(p, [&] { return (*lin)(F::relu((*frozen)(P::read(x)))); });
}

TEST(GradCheck, SharedParameterAccumulatesBothUses) {
  manual_seed(9);
  P p;
  Tensor x = p.leaf("x", {2, 4});
  auto lin = p.register_module("lin", std::make_shared<nn::Linear>(4, 4));
  checkGradients(p, [&] { return (*lin)(F::tanh((*lin)(P::read(x)))); });
}

TEST(GradCheck, AttentionAndTransformer) {
  manual_seed(10);
  P p;
  Tensor x = p.leaf("x", {2, 3, 4});
  auto layer = p.register_module(
      "layer", std::make_shared<nn::TransformerEncoderLayer>(4, 2, 6, 0.0, "gelu", 1e-5, /*batch_first=*/true));
  checkGradients(p, [&] { return (*layer)(P::read(x)); });
}

TEST(GradCheck, LstmAndGru) {
  manual_seed(11);
  P p;
  Tensor x = p.leaf("x", {3, 2, 3});
  auto lstm = p.register_module("lstm", std::make_shared<nn::LSTM>(3, 4));
  auto gru = p.register_module("gru", std::make_shared<nn::GRU>(4, 3));
  checkGradients(p, [&] { return (*gru)((*lstm)(P::read(x))); });
}

} // namespace
} // namespace nncc::testing
