// nn::TransformerEncoderLayer/Encoder: PyTorch's registration order, pre- and post-norm blocks.
#include "frontend/layers/Transformer.h"
#include "frontend/Error.h"
#include "frontend/Random.h"
#include "frontend/functional/Activation.h"

namespace nncc::nn {

TransformerEncoderLayer::TransformerEncoderLayer(int64_t d_model, int64_t nhead, int64_t dim_feedforward,
                                                 double dropout_p, const std::string &activation,
                                                 double layer_norm_eps, bool batch_first, bool norm_first)
    : Module("TransformerEncoderLayer"), d_model(d_model), nhead(nhead), dim_feedforward(dim_feedforward),
      dropout_p(dropout_p), layer_norm_eps(layer_norm_eps), activation(activation),
      batch_first(batch_first), norm_first(norm_first) {
  if (activation != "relu" && activation != "gelu")
    throw Error("activation should be relu/gelu, not " + activation);
  self_attn = register_module("self_attn",
                              std::make_shared<MultiheadAttention>(d_model, nhead, dropout_p, true, batch_first));
  linear1 = register_module("linear1", std::make_shared<Linear>(d_model, dim_feedforward));
  dropout = register_module("dropout", std::make_shared<Dropout>(dropout_p));
  linear2 = register_module("linear2", std::make_shared<Linear>(dim_feedforward, d_model));
  norm1 = register_module("norm1", std::make_shared<LayerNorm>(std::vector<int64_t>{d_model}, layer_norm_eps));
  norm2 = register_module("norm2", std::make_shared<LayerNorm>(std::vector<int64_t>{d_model}, layer_norm_eps));
  dropout1 = register_module("dropout1", std::make_shared<Dropout>(dropout_p));
  dropout2 = register_module("dropout2", std::make_shared<Dropout>(dropout_p));
}

SymTensor TransformerEncoderLayer::body(const SymTensor &src, const SymTensor &mask, const SymTensor &padding) {
  auto selfAttention = [&](const SymTensor &x) {
    return (*dropout1)((*self_attn)(x, x, x, padding, /*need_weights=*/false, mask).output);
  };
  auto feedForward = [&](const SymTensor &x) {
    SymTensor h = (*linear1)(x);
    h = activation == "relu" ? F::relu(h) : F::gelu(h);
    return (*dropout2)((*linear2)((*dropout)(h)));
  };
  SymTensor x = src;
  if (norm_first) {
    x = x + selfAttention((*norm1)(x));
    return x + feedForward((*norm2)(x));
  }
  x = (*norm1)(x + selfAttention(x));
  return (*norm2)(x + feedForward(x));
}

SymTensor TransformerEncoderLayer::forward(const SymTensor &src) { return body(src, SymTensor(), SymTensor()); }

SymTensor TransformerEncoderLayer::operator()(const SymTensor &src, const SymTensor &src_mask,
                                              const SymTensor &src_key_padding_mask) {
  CallScope scope(*this);
  SymTensor y = body(src, src_mask, src_key_padding_mask);
  scope.done(y);
  return y;
}

namespace {

/// A layer with `proto`'s settings and weights. The generator is put back
/// afterwards, so that copying draws nothing, as PyTorch's deepcopy.
std::shared_ptr<TransformerEncoderLayer> copyOf(const TransformerEncoderLayer &proto) {
  Generator saved = Generator::global();
  auto layer = std::make_shared<TransformerEncoderLayer>(
      proto.d_model, proto.nhead, proto.dim_feedforward, proto.dropout_p, proto.activation,
      proto.layer_norm_eps, proto.batch_first, proto.norm_first);
  Generator::global() = saved;
  StateDict weights;
  for (const auto &[key, tensor] : proto.state_dict())
    weights.insert(key, tensor.clone());
  layer->load_state_dict(weights);
  layer->train(proto.is_training());
  return layer;
}

} // namespace

TransformerEncoder::TransformerEncoder(const TransformerEncoderLayer &encoder_layer, int64_t num_layers,
                                       std::shared_ptr<LayerNorm> norm)
    : Module("TransformerEncoder") {
  std::vector<std::shared_ptr<Module>> copies;
  for (int64_t i = 0; i < num_layers; ++i)
    copies.push_back(copyOf(encoder_layer));
  layers = register_module("layers", std::make_shared<ModuleList>(copies));
  this->norm = register_module("norm", std::move(norm));
}

SymTensor TransformerEncoder::run(const SymTensor &src, const SymTensor &mask, const SymTensor &padding) {
  SymTensor x = src;
  for (const auto &layer : *layers)
    x = (*static_cast<TransformerEncoderLayer *>(layer.get()))(x, mask, padding);
  return norm ? (*norm)(x) : x;
}

SymTensor TransformerEncoder::forward(const SymTensor &src) { return run(src, SymTensor(), SymTensor()); }

SymTensor TransformerEncoder::operator()(const SymTensor &src, const SymTensor &mask,
                                         const SymTensor &src_key_padding_mask) {
  CallScope scope(*this);
  SymTensor y = run(src, mask, src_key_padding_mask);
  scope.done(y);
  return y;
}

} // namespace nncc::nn
