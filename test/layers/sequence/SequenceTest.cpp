// MultiheadAttention, TransformerEncoderLayer/Encoder, LSTM and GRU against PyTorch goldens: the
// same initial weights from the same seed, the same state_dict keys, and the same outputs from
// the interpreter, the JIT and the CUDA target under host emulation.
#include "../LayerCheck.h"

#include <fstream>

namespace nncc::testing {
namespace {

std::vector<float> values(const Tensor &t) { return std::vector<float>(t.data(), t.data() + t.numel()); }

/// Checks `module`'s initial state_dict (keys, order and values) against the case's.
void checkInitialState(nn::Module &module, const std::string &dir) {
  std::ifstream in(golden(dir + "/state_dict_keys.txt"));
  std::vector<std::string> keys;
  for (std::string line; std::getline(in, line);)
    keys.push_back(line);
  EXPECT_EQ(module.state_dict().keys(), keys);
  StateDict expected = load_safetensors(golden(dir + "/weights.safetensors"));
  for (const auto &[key, tensor] : module.state_dict())
    EXPECT_EQ(values(tensor), values(expected.at(key))) << key;
}

/// Records `body` over the case's `inputs` and checks each of `outputs` on the
/// interpreter, the JIT and the CUDA target under host emulation, within `rtol`.
void checkCase(nn::Module &module, const std::string &dir, const std::vector<std::string> &inputs,
               const std::vector<std::string> &outputs, const ForwardBody &body, double rtol = 1e-5) {
  SCOPED_TRACE(dir);
  module.eval();
  std::vector<Tensor> xs;
  std::vector<InputSpec> specs;
  for (const std::string &name : inputs) {
    xs.push_back(loadTensor(golden(dir + "/" + name + ".npy")));
    specs.push_back({name, xs.back().shape()});
  }
  TracedModel traced = trace(module, specs, body);
  std::vector<Tensor> reference = interpret(*traced.module, "forward", xs, copiedState(module));
  std::vector<Tensor> compiled = compile(module, specs, body)->forward(xs);
  std::string name = dir;
  std::replace(name.begin(), name.end(), '/', '_');
  std::vector<Tensor> onCuda =
      emulatedForward(*trace(module, specs, body).module, xs, copiedState(module), name);
  ASSERT_EQ(reference.size(), outputs.size());
  ASSERT_EQ(compiled.size(), outputs.size());
  ASSERT_EQ(onCuda.size(), outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor expected = loadTensor(golden(dir + "/" + outputs[i] + ".npy"));
    EXPECT_TRUE(allClose(reference[i], expected, rtol)) << "interpreter " << outputs[i];
    EXPECT_TRUE(allClose(compiled[i], expected, rtol)) << "JIT " << outputs[i];
    EXPECT_TRUE(allClose(onCuda[i], expected, rtol)) << "CUDA (emulated) " << outputs[i];
  }
}

TEST(MultiheadAttention, QueryKeyValueWithWeights) {
  manual_seed(30);
  nn::MultiheadAttention mha(8, 2);
  checkInitialState(mha, "sequence/mha_basic");
  EXPECT_EQ(mha.to_string(), "MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear("
                             "in_features=8, out_features=8, bias=True)\n)");
  checkCase(mha, "sequence/mha_basic", {"q", "k", "v"}, {"output", "weights"}, [&](const auto &in) {
    nn::AttentionOutput out = mha(in[0], in[1], in[2]);
    return std::vector<SymTensor>{out.output, out.weights};
  });
}

TEST(MultiheadAttention, MasksAndBatchFirst) {
  manual_seed(32);
  nn::MultiheadAttention mha(8, 4, 0.0, true, /*batch_first=*/true);
  checkInitialState(mha, "sequence/mha_masks_batch_first");
  checkCase(mha, "sequence/mha_masks_batch_first", {"x", "attn_mask", "key_padding_mask"},
            {"output", "weights"}, [&](const auto &in) {
              nn::AttentionOutput out = mha(in[0], in[0], in[0], in[2], true, in[1]);
              return std::vector<SymTensor>{out.output, out.weights};
            });
}

TEST(TransformerEncoderLayer, PostNormRelu) {
  manual_seed(33);
  nn::TransformerEncoderLayer layer(8, 2, 16);
  checkInitialState(layer, "sequence/encoder_layer_relu");
  checkCase(layer, "sequence/encoder_layer_relu", {"x"}, {"output"},
            [&](const auto &in) { return std::vector<SymTensor>{layer(in[0])}; });
}

TEST(TransformerEncoderLayer, PreNormGeluBatchFirst) {
  manual_seed(34);
  nn::TransformerEncoderLayer layer(8, 2, 16, 0.1, "gelu", 1e-5, /*batch_first=*/true, /*norm_first=*/true);
  checkInitialState(layer, "sequence/encoder_layer_gelu_norm_first");
  checkCase(layer, "sequence/encoder_layer_gelu_norm_first", {"x"}, {"output"},
            [&](const auto &in) { return std::vector<SymTensor>{layer(in[0])}; });
}

TEST(TransformerEncoder, TwoLayersWithPaddingAndFinalNorm) {
  manual_seed(35);
  nn::TransformerEncoderLayer proto(8, 2, 16, 0.1, "relu", 1e-5, /*batch_first=*/true);
  nn::TransformerEncoder encoder(proto, 2, std::make_shared<nn::LayerNorm>(std::vector<int64_t>{8}));
  checkInitialState(encoder, "sequence/encoder_2_layers");
  checkCase(encoder, "sequence/encoder_2_layers", {"x", "key_padding_mask"}, {"output"},
            [&](const auto &in) { return std::vector<SymTensor>{encoder(in[0], SymTensor(), in[1])}; });
}

TEST(LSTM, TwoLayersBatchFirstWithInitialState) {
  manual_seed(36);
  nn::LSTM lstm(5, 6, 2, true, /*batch_first=*/true);
  EXPECT_EQ(lstm.to_string(), "LSTM(5, 6, num_layers=2, batch_first=True)");
  checkInitialState(lstm, "sequence/lstm_2_layers_batch_first");
  checkCase(lstm, "sequence/lstm_2_layers_batch_first", {"x", "h0", "c0"}, {"output", "h_n", "c_n"},
            [&](const auto &in) {
              nn::RecurrentOutput out = lstm(in[0], in[1], in[2]);
              return std::vector<SymTensor>{out.output, out.h_n, out.c_n};
            });
}

TEST(LSTM, WithoutBiasFromZeroState) {
  manual_seed(37);
  nn::LSTM lstm(4, 3, 1, /*bias=*/false);
  checkInitialState(lstm, "sequence/lstm_no_bias");
  checkCase(lstm, "sequence/lstm_no_bias", {"x"}, {"output", "h_n", "c_n"}, [&](const auto &in) {
    nn::RecurrentOutput out = lstm(in[0], SymTensor(), SymTensor());
    return std::vector<SymTensor>{out.output, out.h_n, out.c_n};
  });
}

TEST(GRU, TwoLayers) {
  manual_seed(38);
  nn::GRU gru(4, 5, 2);
  EXPECT_EQ(gru.to_string(), "GRU(4, 5, num_layers=2)");
  checkInitialState(gru, "sequence/gru_2_layers");
  checkCase(gru, "sequence/gru_2_layers", {"x"}, {"output", "h_n"}, [&](const auto &in) {
    nn::RecurrentOutput out = gru(in[0], SymTensor());
    return std::vector<SymTensor>{out.output, out.h_n};
  });
}

TEST(Sequence, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(errorOf([] { nn::MultiheadAttention(10, 3); }), "embed_dim must be divisible by num_heads");
  EXPECT_EQ(errorOf([] { nn::TransformerEncoderLayer(8, 2, 16, 0.1, "tanh"); }),
            "activation should be relu/gelu, not tanh");
  nn::LSTM lstm(4, 3);
  EXPECT_EQ(errorOf([&] { trace(lstm, {{"x", {5, 2, 3}}}); }),
            "LSTM: input must be [L, N, 4] ([N, L, ...] with batch_first), got [5, 2, 3]");
}

} // namespace
} // namespace nncc::testing
