// Result-shape rules of the nn ops, written once for the verifiers and the recorder.
#include "dialects/nn/ShapeRules.h"

#include <sstream>

namespace nncc::ir {

std::string formatDims(const Dims &dims) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < dims.size(); ++i)
    os << (i ? ", " : "") << dims[i];
  os << ']';
  return os.str();
}

std::optional<Dims> linearShape(const Dims &input, const Dims &weight,
                                const std::optional<Dims> &bias, std::string &error) {
  if (weight.size() != 2) {
    error = "weight " + formatDims(weight) + " must be 2-D [out_features, in_features]";
    return std::nullopt;
  }
  if (input.empty()) {
    error = "input must have at least 1 dimension, got a scalar";
    return std::nullopt;
  }
  if (input.back() != weight[1]) {
    error = "input " + formatDims(input) + " has " + std::to_string(input.back()) +
            " features but weight " + formatDims(weight) + " expects " +
            std::to_string(weight[1]);
    return std::nullopt;
  }
  if (bias && (bias->size() != 1 || (*bias)[0] != weight[0])) {
    error = "bias " + formatDims(*bias) + " must be [" + std::to_string(weight[0]) +
            "] to match weight " + formatDims(weight);
    return std::nullopt;
  }
  Dims result = input;
  result.back() = weight[0];
  return result;
}

std::optional<Dims> broadcastShape(const Dims &lhs, const Dims &rhs, std::string &error) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Dims result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t r = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    if (l != r && l != 1 && r != 1) {
      error = "shapes " + formatDims(lhs) + " and " + formatDims(rhs) +
              " do not broadcast (dimension " + std::to_string(rank - 1 - i) + ": " +
              std::to_string(l) + " vs " + std::to_string(r) + ")";
      return std::nullopt;
    }
    result[rank - 1 - i] = l == 1 ? r : l;
  }
  return result;
}

std::optional<Dims> matmulShape(const Dims &lhs, const Dims &rhs, std::string &error) {
  if (lhs.size() != rhs.size() || (lhs.size() != 2 && lhs.size() != 3)) {
    error = "matmul takes two 2-D or two 3-D operands, got " + formatDims(lhs) + " and " +
            formatDims(rhs);
    return std::nullopt;
  }
  size_t r = lhs.size();
  if (lhs[r - 1] != rhs[r - 2]) {
    error = "matmul operands " + formatDims(lhs) + " and " + formatDims(rhs) +
            " cannot be multiplied (" + std::to_string(lhs[r - 1]) + " vs " +
            std::to_string(rhs[r - 2]) + ")";
    return std::nullopt;
  }
  if (r == 3 && lhs[0] != rhs[0]) {
    error = "matmul batch sizes differ: " + formatDims(lhs) + " and " + formatDims(rhs);
    return std::nullopt;
  }
  Dims result = lhs;
  result[r - 1] = rhs[r - 1];
  return result;
}

std::optional<Dims> flattenShape(const Dims &input, int64_t startDim, int64_t endDim,
                                 std::string &error) {
  int64_t rank = static_cast<int64_t>(input.size());
  if (rank == 0)
    return Dims{1};
  int64_t start = startDim < 0 ? startDim + rank : startDim;
  int64_t end = endDim < 0 ? endDim + rank : endDim;
  if (start < 0 || start >= rank || end < 0 || end >= rank) {
    error = "flatten dimensions (" + std::to_string(startDim) + ", " + std::to_string(endDim) +
            ") out of range for input " + formatDims(input);
    return std::nullopt;
  }
  if (start > end) {
    error = "flatten() has invalid args: start_dim cannot come after end_dim";
    return std::nullopt;
  }
  Dims result(input.begin(), input.begin() + start);
  int64_t merged = 1;
  for (int64_t i = start; i <= end; ++i)
    merged *= input[i];
  result.push_back(merged);
  result.insert(result.end(), input.begin() + end + 1, input.end());
  return result;
}

} // namespace nncc::ir
