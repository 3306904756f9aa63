// nn::Embedding: PyTorch's registration, N(0, 1) init with the padding row zeroed, and lookup.
#include "frontend/layers/Embedding.h"
#include "frontend/Error.h"
#include "frontend/Init.h"

namespace nncc::nn {

namespace {

std::optional<int64_t> normalizedPadding(std::optional<int64_t> padding_idx, int64_t rows) {
  if (!padding_idx)
    return std::nullopt;
  if (*padding_idx >= rows || *padding_idx < -rows)
    throw Error("Padding_idx must be within num_embeddings");
  return *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
}

} // namespace

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx)
    : Module("Embedding"), num_embeddings(num_embeddings), embedding_dim(embedding_dim),
      padding_idx(normalizedPadding(padding_idx, num_embeddings)) {
  register_parameter("weight", Tensor::empty({num_embeddings, embedding_dim}));
  reset_parameters();
}

void Embedding::reset_parameters() {
  init::normal_(weight());
  if (padding_idx)
    std::fill_n(weight().data() + *padding_idx * embedding_dim, embedding_dim, 0.0f);
}

SymTensor Embedding::forward(const SymTensor &input) {
  return F::embedding(input, weight(), padding_idx);
}

std::string Embedding::extra_repr() const {
  std::string text = std::to_string(num_embeddings) + ", " + std::to_string(embedding_dim);
  if (padding_idx)
    text += ", padding_idx=" + std::to_string(*padding_idx);
  return text;
}

} // namespace nncc::nn
