// Result-shape rules of the nn ops, shared by the op verifiers and the frontend recorder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nncc::ir {

using Dims = std::vector<int64_t>;

/// "[2, 784]", the way nncc's messages print a shape.
std::string formatDims(const Dims &dims);

// Each rule returns the result shape, or nullopt with a one-line reason in
// `error` that names the operand shapes (e.g. "input [2, 783] has 783
// features but weight [512, 784] expects 784").
std::optional<Dims> linearShape(const Dims &input, const Dims &weight,
                                const std::optional<Dims> &bias, std::string &error);
std::optional<Dims> broadcastShape(const Dims &lhs, const Dims &rhs, std::string &error);
std::optional<Dims> matmulShape(const Dims &lhs, const Dims &rhs, std::string &error);
std::optional<Dims> flattenShape(const Dims &input, int64_t startDim, int64_t endDim,
                                 std::string &error);

} // namespace nncc::ir

namespace nncc::ir {

/// Tensor.reshape: `shape` may hold one -1, inferred from the element count.
std::optional<Dims> reshapeShape(const Dims &input, const Dims &shape, std::string &error);
/// Tensor.permute: `dims` must be a permutation of the input's dims.
std::optional<Dims> permuteShape(const Dims &input, const Dims &dims, std::string &error);
/// Tensor.narrow(dim, start, length) with PyTorch's range checks.
std::optional<Dims> narrowShape(const Dims &input, int64_t dim, int64_t start, int64_t length,
                                std::string &error);
/// torch.cat along `dim` (negative counts from the end).
std::optional<Dims> concatShape(const std::vector<Dims> &inputs, int64_t dim, std::string &error);
/// F.embedding: indices' shape + [embedding_dim]; weight must be 2-D.
std::optional<Dims> embeddingShape(const Dims &indices, const Dims &weight, std::string &error);
/// A dim in [-rank, rank) made non-negative, or -1 with PyTorch's "Dimension
/// out of range (expected to be in range of [-2, 1], but got 5)" in `error`.
int64_t normalizeDim(int64_t dim, int64_t rank, std::string &error);

} // namespace nncc::ir
