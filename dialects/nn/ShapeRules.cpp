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
  // A scalar flattens as a 1-element vector, with dims checked as PyTorch does.
  int64_t rank = std::max<int64_t>(static_cast<int64_t>(input.size()), 1);
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
  if (input.empty())
    return Dims{1};
  Dims result(input.begin(), input.begin() + start);
  int64_t merged = 1;
  for (int64_t i = start; i <= end; ++i)
    merged *= input[i];
  result.push_back(merged);
  result.insert(result.end(), input.begin() + end + 1, input.end());
  return result;
}

} // namespace nncc::ir

namespace nncc::ir {

std::optional<Dims> embeddingShape(const Dims &indices, const Dims &weight, std::string &error) {
  if (weight.size() != 2) {
    error = "'weight' must be 2-D, got " + formatDims(weight);
    return std::nullopt;
  }
  Dims result = indices;
  result.push_back(weight[1]);
  return result;
}

int64_t normalizeDim(int64_t dim, int64_t rank, std::string &error) {
  int64_t r = std::max<int64_t>(rank, 1);
  if (dim < -r || dim >= r) {
    error = "Dimension out of range (expected to be in range of [" + std::to_string(-r) + ", " +
            std::to_string(r - 1) + "], but got " + std::to_string(dim) + ")";
    return -1;
  }
  return dim < 0 ? dim + r : dim;
}

static int64_t product(const Dims &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

std::optional<Dims> reshapeShape(const Dims &input, const Dims &shape, std::string &error) {
  Dims result = shape;
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (inferred >= 0) {
        error = "only one dimension can be inferred";
        return std::nullopt;
      }
      inferred = static_cast<int64_t>(i);
    } else if (shape[i] <= 0) {
      error = "invalid shape dimension " + std::to_string(shape[i]);
      return std::nullopt;
    } else {
      known *= shape[i];
    }
  }
  int64_t numel = product(input);
  if (inferred >= 0 && numel % known == 0)
    result[inferred] = numel / known;
  if (product(result) != numel || (inferred >= 0 && numel % known != 0)) {
    error = "shape '" + formatDims(shape) + "' is invalid for input of size " + std::to_string(numel);
    return std::nullopt;
  }
  return result;
}

std::optional<Dims> permuteShape(const Dims &input, const Dims &dims, std::string &error) {
  if (dims.size() != input.size()) {
    error = "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = " +
            std::to_string(input.size()) + " is not equal to len(dims) = " + std::to_string(dims.size());
    return std::nullopt;
  }
  Dims result;
  std::vector<bool> used(input.size(), false);
  for (int64_t d : dims) {
    int64_t n = normalizeDim(d, static_cast<int64_t>(input.size()), error);
    if (n < 0)
      return std::nullopt;
    if (used[n]) {
      error = "permute(): duplicate dims are not allowed.";
      return std::nullopt;
    }
    used[n] = true;
    result.push_back(input[n]);
  }
  return result;
}

std::optional<Dims> narrowShape(const Dims &input, int64_t dim, int64_t start, int64_t length,
                                std::string &error) {
  if (input.empty()) {
    error = "narrow() cannot be applied to a 0-dim tensor.";
    return std::nullopt;
  }
  int64_t d = normalizeDim(dim, static_cast<int64_t>(input.size()), error);
  if (d < 0)
    return std::nullopt;
  if (start < 0 || length < 0 || start + length > input[d]) {
    error = "start (" + std::to_string(start) + ") + length (" + std::to_string(length) +
            ") exceeds dimension size (" + std::to_string(input[d]) + ").";
    return std::nullopt;
  }
  Dims result = input;
  result[d] = length;
  return result;
}

std::optional<Dims> concatShape(const std::vector<Dims> &inputs, int64_t dim, std::string &error) {
  if (inputs.empty()) {
    error = "torch.cat(): expected a non-empty list of Tensors";
    return std::nullopt;
  }
  int64_t d = normalizeDim(dim, static_cast<int64_t>(inputs[0].size()), error);
  if (d < 0)
    return std::nullopt;
  Dims result = inputs[0];
  for (size_t i = 1; i < inputs.size(); ++i) {
    const Dims &in = inputs[i];
    if (in.size() != result.size()) {
      error = "Tensors must have same number of dimensions: got " + std::to_string(result.size()) +
              " and " + std::to_string(in.size());
      return std::nullopt;
    }
    for (size_t k = 0; k < in.size(); ++k)
      if (static_cast<int64_t>(k) != d && in[k] != result[k]) {
        error = "Sizes of tensors must match except in dimension " + std::to_string(d) +
                ". Expected size " + std::to_string(result[k]) + " but got size " +
                std::to_string(in[k]) + " for tensor number " + std::to_string(i) + " in the list.";
        return std::nullopt;
      }
    result[d] += in[d];
  }
  return result;
}

} // namespace nncc::ir
