// nn::MultiheadAttention: projections, per-head scaled dot products, masks and the output projection.
#include "frontend/layers/Attention.h"
#include "frontend/Error.h"
#include "frontend/Init.h"
#include "frontend/functional/Activation.h"
#include "frontend/functional/Mode.h"

#include <cmath>

namespace nncc::nn {

MultiheadAttention::MultiheadAttention(int64_t embed_dim, int64_t num_heads, double dropout, bool bias,
                                       bool batch_first)
    : Module("MultiheadAttention"), embed_dim(embed_dim), num_heads(num_heads),
      head_dim(num_heads > 0 ? embed_dim / num_heads : 0), dropout(dropout), batch_first(batch_first) {
  if (num_heads <= 0 || head_dim * num_heads != embed_dim)
    throw Error("embed_dim must be divisible by num_heads");
  register_parameter("in_proj_weight", Tensor::empty({3 * embed_dim, embed_dim}));
  register_parameter("in_proj_bias", bias ? Tensor::empty({3 * embed_dim}) : Tensor());
  // PyTorch builds out_proj (drawing its default init) before _reset_parameters.
  out_proj = std::make_shared<Linear>(embed_dim, embed_dim, bias);
  out_proj->set_class_name("NonDynamicallyQuantizableLinear");
  register_module("out_proj", out_proj);
  reset_parameters();
}

void MultiheadAttention::reset_parameters() {
  init::xavier_uniform_(param("in_proj_weight"));
  if (param("in_proj_bias").defined()) {
    init::zeros_(param("in_proj_bias"));
    init::zeros_(out_proj->bias());
  }
}

AttentionOutput MultiheadAttention::operator()(const SymTensor &query, const SymTensor &key,
                                               const SymTensor &value, const SymTensor &key_padding_mask,
                                               bool need_weights, const SymTensor &attn_mask) {
  CallScope scope(*this);
  // [L, N, E] throughout; batch_first inputs are transposed in and out.
  SymTensor q = batch_first ? query.transpose(0, 1) : query;
  SymTensor k = batch_first ? key.transpose(0, 1) : key;
  SymTensor v = batch_first ? value.transpose(0, 1) : value;
  if (q.dim() != 3 || q.size(2) != embed_dim)
    throw Error("MultiheadAttention: query must be [L, N, " + std::to_string(embed_dim) + "] (or batch_first)");
  int64_t L = q.size(0), N = q.size(1), S = k.size(0), H = num_heads, D = head_dim, E = embed_dim;

  SymTensor w = param("in_proj_weight");
  SymTensor b = param("in_proj_bias").defined() ? SymTensor(param("in_proj_bias")) : SymTensor();
  auto project = [&](const SymTensor &x, int64_t part) {
    SymTensor bias = b.defined() ? b.narrow(0, part * E, E) : SymTensor();
    return F::linear(x, w.narrow(0, part * E, E), bias);
  };
  // [L, N, E] -> [N*H, L, D]
  auto heads = [&](const SymTensor &x, int64_t len) { return x.reshape({len, N * H, D}).transpose(0, 1); };
  SymTensor qh = heads(project(q, 0), L) / std::sqrt(static_cast<double>(D));
  SymTensor kh = heads(project(k, 1), S), vh = heads(project(v, 2), S);

  SymTensor scores = F::matmul(qh, kh.transpose(1, 2)); // [N*H, L, S]
  if (attn_mask.defined())
    scores = scores + attn_mask;
  if (key_padding_mask.defined()) {
    // [N, S] -> [N*H, 1, S], each batch row repeated for its heads.
    SymTensor pad = key_padding_mask.reshape({N, 1, 1, S}) * -1e30;
    SymTensor repeated = F::cat(std::vector<SymTensor>(static_cast<size_t>(H), pad), 1);
    scores = scores + repeated.reshape({N * H, 1, S});
  }
  SymTensor attn = F::softmax(scores, -1);
  attn = F::dropout(attn, dropout, is_training());
  SymTensor out = F::matmul(attn, vh).transpose(0, 1).reshape({L * N, E}); // [L, N, E] rows
  out = (*out_proj)(out).reshape({L, N, E});
  AttentionOutput result;
  result.output = batch_first ? out.transpose(0, 1) : out;
  if (need_weights) {
    SymTensor perHead = attn.reshape({N, H, L * S});
    SymTensor sum = perHead.narrow(1, 0, 1);
    for (int64_t h = 1; h < H; ++h)
      sum = sum + perHead.narrow(1, h, 1);
    result.weights = (sum / static_cast<double>(H)).reshape({N, L, S});
  }
  scope.done(result.output);
  return result;
}

} // namespace nncc::nn
