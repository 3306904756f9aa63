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
