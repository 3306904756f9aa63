// Symbolic tensors: the values a forward() manipulates while it is being recorded into nn IR.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace nncc {

class Tensor;
class Recorder;

/// A tensor inside a forward being recorded: an SSA value of the nn dialect
/// plus its static shape. Default-constructed means "none" (e.g. bias=False).
class SymTensor {
public:
  SymTensor() = default;
  /// A parameter or buffer of the model being recorded, read through its
  /// state_dict name. Throws nncc::Error when no recording is active or when
  /// the tensor is not registered anywhere in the recorded module tree.
  SymTensor(const Tensor &tensor); // NOLINT: implicit, as torch code passes params directly
  SymTensor(Recorder *recorder, void *value, std::vector<int64_t> shape, bool isIndex = false)
      : recorder_(recorder), value_(value), shape_(std::move(shape)), isIndex_(isIndex) {}

  bool defined() const { return value_ != nullptr; }
  /// Whether this holds int64 indices (an Embedding's input) rather than f32.
  bool is_index() const { return isIndex_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
  /// Size of dimension `d`; negative `d` counts from the end.
  int64_t size(int64_t d) const;
  int64_t numel() const;

  // Shape manipulation, as the torch.Tensor methods of the same names.
  SymTensor reshape(const std::vector<int64_t> &shape) const;
  SymTensor view(const std::vector<int64_t> &shape) const { return reshape(shape); }
  SymTensor permute(const std::vector<int64_t> &dims) const;
  SymTensor transpose(int64_t dim0, int64_t dim1) const;
  SymTensor narrow(int64_t dim, int64_t start, int64_t length) const;
  /// Splits `dim` into `chunks` pieces, the last possibly smaller.
  std::vector<SymTensor> chunk(int64_t chunks, int64_t dim = 0) const;

  Recorder *recorder() const { return recorder_; }
  /// The opaque mlir::Value implementation pointer.
  void *value() const { return value_; }

private:
  Recorder *recorder_ = nullptr;
  void *value_ = nullptr;
  std::vector<int64_t> shape_;
  bool isIndex_ = false;
};

SymTensor operator+(const SymTensor &a, const SymTensor &b);
SymTensor operator-(const SymTensor &a, const SymTensor &b);
SymTensor operator*(const SymTensor &a, const SymTensor &b);
SymTensor operator/(const SymTensor &a, const SymTensor &b);
// With a Python number: recorded as an nn.constant scalar, broadcast.
SymTensor operator+(const SymTensor &a, double b);
SymTensor operator-(const SymTensor &a, double b);
SymTensor operator*(const SymTensor &a, double b);
SymTensor operator/(const SymTensor &a, double b);
SymTensor operator+(double a, const SymTensor &b);
SymTensor operator-(double a, const SymTensor &b);
SymTensor operator*(double a, const SymTensor &b);
SymTensor operator-(const SymTensor &a);

namespace nn::functional {
/// y = x W^T + b, as torch.nn.functional.linear; `bias` may be none.
SymTensor linear(const SymTensor &input, const SymTensor &weight,
                 const SymTensor &bias = SymTensor());
SymTensor relu(const SymTensor &input);
/// torch.flatten(input, start_dim, end_dim).
SymTensor flatten(const SymTensor &input, int64_t start_dim = 1,
                  int64_t end_dim = -1);
/// torch.matmul for 2-D and batched (3-D) operands.
SymTensor matmul(const SymTensor &a, const SymTensor &b);
/// Elementwise with numpy-style broadcasting.
SymTensor add(const SymTensor &a, const SymTensor &b);
SymTensor sub(const SymTensor &a, const SymTensor &b);
SymTensor mul(const SymTensor &a, const SymTensor &b);
SymTensor div(const SymTensor &a, const SymTensor &b);
/// torch.nn.functional.bilinear: x1 [N, in1], x2 [N, in2], weight [out,
/// in1, in2] → [N, out], as x1 · W · x2 per output feature (two batched
/// matmuls); `bias` may be none.
SymTensor bilinear(const SymTensor &input1, const SymTensor &input2, const SymTensor &weight,
                   const SymTensor &bias = SymTensor());
/// torch.nn.functional.embedding: rows of `weight` at the int64 `indices`.
/// `padding_idx` (may be negative) only keeps that row out of the gradient.
SymTensor embedding(const SymTensor &indices, const SymTensor &weight,
                    std::optional<int64_t> padding_idx = std::nullopt);
/// torch.cat along `dim`.
SymTensor cat(const std::vector<SymTensor> &tensors, int64_t dim = 0);
/// A scalar constant in the recording `like` belongs to.
SymTensor scalar(double value, const SymTensor &like);
/// A constant tensor of `shape` filled with `value`, as torch.full.
SymTensor full(const std::vector<int64_t> &shape, double value, const SymTensor &like);
} // namespace nn::functional

namespace F = nn::functional;

} // namespace nncc
