// Host tensors: shaped, contiguous f32 storage shared by handle, as torch.Tensor is.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nncc {
namespace nn {
struct HookStore;
class RemovableHandle;
} // namespace nn

using Shape = std::vector<int64_t>;

/// Element types a model's inputs can have: f32 data, or int64 indices
/// (token ids for Embedding). Host Tensors hold both as f32 values.
enum class DType { f32, i64 };

/// "[512, 784]" — the shape as PyTorch prints it inside torch.Size(...).
std::string shapeToString(const Shape &shape);

/// A contiguous f32 tensor. Copies of a Tensor share storage (like
/// torch.Tensor); clone() makes an independent copy. A default-constructed
/// Tensor is undefined ("None"), which is how bias=False is registered.
class Tensor {
public:
  Tensor() = default;
  static Tensor empty(const Shape &shape);
  static Tensor zeros(const Shape &shape);
  static Tensor ones(const Shape &shape);
  static Tensor full(const Shape &shape, float value);
  /// Copies `values`; throws nncc::Error if their count is not the shape's numel.
  static Tensor fromVector(const Shape &shape, const std::vector<float> &values);

  /// A parameter of a lazy module before its first forward, as PyTorch's
  /// UninitializedParameter: its shape and data are errors to read until
  /// materialize_() gives it a shape. Copies share the materialization.
  static Tensor uninitialized();

  bool defined() const { return impl_ != nullptr; }
  bool is_initialized() const;
  /// Gives an uninitialized tensor `shape` (zero-filled), in place.
  void materialize_(const Shape &shape);
  const Shape &shape() const;
  int64_t dim() const;
  /// Size of dimension `d`; negative `d` counts from the end.
  int64_t size(int64_t d) const;
  int64_t numel() const;
  float *data();
  const float *data() const;

  bool requires_grad() const;
  /// Sets requires_grad in place and returns *this, as Tensor.requires_grad_.
  Tensor &requires_grad_(bool requires_grad = true);

  /// Registers a gradient hook, as Tensor.register_hook: a registered parameter's or buffer's
  /// gradient goes through it in compiled backward passes (frontend/Hooks.h). Copies of the
  /// Tensor share its hooks.
  nn::RemovableHandle register_hook(std::function<std::optional<Tensor>(const Tensor &grad)> hook);
  /// The gradient hooks, or null when none was ever registered.
  const nn::HookStore *grad_hooks() const;

  Tensor clone() const;
  /// Copies values from `src` into this storage; shapes must match.
  void copy_(const Tensor &src);
  /// Identity of the shared storage: equal for copies of one Tensor.
  const void *id() const { return impl_.get(); }

private:
  struct Impl {
    Shape shape;
    std::vector<float> data;
    bool requires_grad = false;
    bool initialized = true;
    std::shared_ptr<nn::HookStore> hooks;
  };
  std::shared_ptr<Impl> impl_;
};

} // namespace nncc
