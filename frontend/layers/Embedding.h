// nn::Embedding: a lookup table of embedding vectors, indexed by int64 ids.
#pragma once

#include "frontend/Module.h"

#include <optional>

namespace nncc::nn {

/// weight [num_embeddings, embedding_dim] drawn from N(0, 1), with the
/// padding_idx row zeroed, as PyTorch's Embedding. A negative padding_idx
/// counts from the end; out of range is "Padding_idx must be within
/// num_embeddings". The forward's input must be an int64 tensor.
class Embedding : public Module {
public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim,
            std::optional<int64_t> padding_idx = std::nullopt);

  void reset_parameters();
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  Tensor &weight() { return param("weight"); }

  const int64_t num_embeddings;
  const int64_t embedding_dim;
  /// Normalized to [0, num_embeddings).
  const std::optional<int64_t> padding_idx;
};

} // namespace nncc::nn
