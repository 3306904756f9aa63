// nn::MultiheadAttention: scaled dot-product attention over several heads, as PyTorch's.
#pragma once

#include "frontend/Module.h"
#include "frontend/layers/Linear.h"

namespace nncc::nn {

/// What MultiheadAttention returns: the attended values and, when asked
/// for, the attention weights averaged over heads ([N, L, S]).
struct AttentionOutput {
  SymTensor output;
  SymTensor weights;
};

/// in_proj_weight [3E, E] (xavier-uniform), in_proj_bias [3E] (zeros) and
/// out_proj (a Linear, bias zeroed), with PyTorch's names and draw order.
/// Inputs are [L, N, E] ([N, L, E] with batch_first). attn_mask is an
/// additive float mask [L, S] or [N*num_heads, L, S]; key_padding_mask is
/// [N, S] with non-zero meaning "ignore this key" (PyTorch's True). Masked
/// keys get -1e30 rather than -inf, so a fully masked row is uniform
/// instead of NaN. kdim/vdim, add_bias_kv and add_zero_attn are not
/// supported.
class MultiheadAttention : public Module {
public:
  MultiheadAttention(int64_t embed_dim, int64_t num_heads, double dropout = 0.0, bool bias = true,
                     bool batch_first = false);

  void reset_parameters();
  AttentionOutput operator()(const SymTensor &query, const SymTensor &key, const SymTensor &value,
                             const SymTensor &key_padding_mask = SymTensor(), bool need_weights = true,
                             const SymTensor &attn_mask = SymTensor());

  const int64_t embed_dim, num_heads, head_dim;
  const double dropout;
  const bool batch_first;
  std::shared_ptr<Linear> out_proj;
};

} // namespace nncc::nn
