// nn::TransformerEncoderLayer and nn::TransformerEncoder, with PyTorch's submodule names.
#pragma once

#include "frontend/Containers.h"
#include "frontend/layers/Attention.h"
#include "frontend/layers/Dropout.h"
#include "frontend/layers/Linear.h"
#include "frontend/layers/Norm.h"

namespace nncc::nn {

/// self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2,
/// as PyTorch registers them; activation "relu" or "gelu"; post-norm unless
/// norm_first. Masks as MultiheadAttention takes them.
class TransformerEncoderLayer : public Module {
public:
  TransformerEncoderLayer(int64_t d_model, int64_t nhead, int64_t dim_feedforward = 2048,
                          double dropout = 0.1, const std::string &activation = "relu",
                          double layer_norm_eps = 1e-5, bool batch_first = false, bool norm_first = false);

  SymTensor forward(const SymTensor &src) override;
  /// src with masks; forward(src) is this without them.
  SymTensor operator()(const SymTensor &src, const SymTensor &src_mask,
                       const SymTensor &src_key_padding_mask = SymTensor());
  using Module::operator();

  const int64_t d_model, nhead, dim_feedforward;
  const double dropout_p, layer_norm_eps;
  const std::string activation;
  const bool batch_first, norm_first;
  std::shared_ptr<MultiheadAttention> self_attn;
  std::shared_ptr<Linear> linear1, linear2;
  std::shared_ptr<Dropout> dropout, dropout1, dropout2;
  std::shared_ptr<LayerNorm> norm1, norm2;

private:
  SymTensor body(const SymTensor &src, const SymTensor &mask, const SymTensor &padding);
};

/// num_layers copies of `encoder_layer` (same initial weights, as PyTorch's
/// deepcopy; building them draws nothing from the generator) in `layers`,
/// then an optional final `norm`.
class TransformerEncoder : public Module {
public:
  TransformerEncoder(const TransformerEncoderLayer &encoder_layer, int64_t num_layers,
                     std::shared_ptr<LayerNorm> norm = nullptr);

  SymTensor forward(const SymTensor &src) override;
  SymTensor operator()(const SymTensor &src, const SymTensor &mask,
                       const SymTensor &src_key_padding_mask = SymTensor());
  using Module::operator();

  std::shared_ptr<ModuleList> layers;
  std::shared_ptr<LayerNorm> norm;

private:
  SymTensor run(const SymTensor &src, const SymTensor &mask, const SymTensor &padding);
};

} // namespace nncc::nn
