// Host tensors: construction, shape queries and copies of contiguous f32 storage.
#include "frontend/Tensor.h"

#include "frontend/Error.h"
#include "frontend/Hooks.h"

#include <algorithm>

namespace nncc {

std::string shapeToString(const Shape &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

/// The element count of `shape`; throws for a negative size, as torch.empty does.
static int64_t shapeNumel(const Shape &shape) {
  int64_t n = 1;
  for (int64_t s : shape) {
    if (s < 0)
      throw Error("Trying to create tensor with negative dimension " + std::to_string(s) + ": " +
                  shapeToString(shape));
    n *= s;
  }
  return n;
}

Tensor Tensor::empty(const Shape &shape) { return full(shape, 0.0f); }

Tensor Tensor::zeros(const Shape &shape) { return full(shape, 0.0f); }

Tensor Tensor::ones(const Shape &shape) { return full(shape, 1.0f); }

Tensor Tensor::full(const Shape &shape, float value) {
  Tensor t;
  t.impl_ = std::make_shared<Impl>();
  t.impl_->data.assign(static_cast<size_t>(shapeNumel(shape)), value);
  t.impl_->shape = shape;
  return t;
}

Tensor Tensor::fromVector(const Shape &shape, const std::vector<float> &values) {
  int64_t n = shapeNumel(shape);
  if (static_cast<int64_t>(values.size()) != n)
    throw Error("fromVector: " + std::to_string(values.size()) + " values do not fill shape " +
                shapeToString(shape) + " of " + std::to_string(n) + " elements");
  Tensor t = empty(shape);
  std::copy(values.begin(), values.end(), t.impl_->data.begin());
  return t;
}

/// The Impl of `t`, or an error naming `op` when `t` is undefined.
template <typename ImplPtr> static auto &checkedImpl(const ImplPtr &impl, const char *op) {
  if (!impl)
    throw Error(std::string(op) + ": tensor is undefined");
  return *impl;
}

/// The Impl of an initialized `t`; reading an uninitialized parameter's shape
/// or data is PyTorch's error.
template <typename ImplPtr> static auto &storedImpl(const ImplPtr &impl, const char *op) {
  auto &checked = checkedImpl(impl, op);
  if (!checked.initialized)
    throw Error("Can't access the shape of an uninitialized parameter or buffer. This error "
                "usually happens in `load_state_dict` when trying to load an uninitialized "
                "parameter into an initialized one. Call `forward` to initialize the parameters "
                "before accessing their attributes.");
  return checked;
}

Tensor Tensor::uninitialized() {
  Tensor t;
  t.impl_ = std::make_shared<Impl>();
  t.impl_->initialized = false;
  return t;
}

bool Tensor::is_initialized() const { return checkedImpl(impl_, "is_initialized").initialized; }

void Tensor::materialize_(const Shape &shape) {
  Impl &impl = checkedImpl(impl_, "materialize_");
  if (impl.initialized)
    throw Error("materialize_: the tensor is already initialized");
  impl.data.assign(static_cast<size_t>(shapeNumel(shape)), 0.0f);
  impl.shape = shape;
  impl.initialized = true;
}

const Shape &Tensor::shape() const { return storedImpl(impl_, "shape").shape; }

int64_t Tensor::dim() const { return static_cast<int64_t>(shape().size()); }

int64_t Tensor::size(int64_t d) const {
  int64_t rank = dim();
  if (rank == 0)
    throw Error("Dimension specified as " + std::to_string(d) + " but tensor has no dimensions");
  if (d < -rank || d >= rank)
    throw Error("Dimension out of range (expected to be in range of [" + std::to_string(-rank) +
                ", " + std::to_string(rank - 1) + "], but got " + std::to_string(d) + ")");
  return shape()[static_cast<size_t>(d < 0 ? d + rank : d)];
}

int64_t Tensor::numel() const {
  return static_cast<int64_t>(storedImpl(impl_, "numel").data.size());
}

float *Tensor::data() { return storedImpl(impl_, "data").data.data(); }

const float *Tensor::data() const { return storedImpl(impl_, "data").data.data(); }

bool Tensor::requires_grad() const { return checkedImpl(impl_, "requires_grad").requires_grad; }

Tensor &Tensor::requires_grad_(bool requires_grad) {
  checkedImpl(impl_, "requires_grad_").requires_grad = requires_grad;
  return *this;
}

nn::RemovableHandle Tensor::register_hook(std::function<std::optional<Tensor>(const Tensor &)> hook) {
  Impl &impl = checkedImpl(impl_, "register_hook");
  if (!impl.requires_grad)
    throw Error("cannot register a hook on a tensor that doesn't require gradient");
  if (!impl.hooks)
    impl.hooks = std::make_shared<nn::HookStore>();
  int64_t id = nn::nextHookId();
  impl.hooks->grad.add(id, std::move(hook), false);
  return {impl.hooks, id};
}

const nn::HookStore *Tensor::grad_hooks() const {
  return impl_ && impl_->hooks && !impl_->hooks->empty() ? impl_->hooks.get() : nullptr;
}

Tensor Tensor::clone() const {
  Tensor t;
  t.impl_ = std::make_shared<Impl>(checkedImpl(impl_, "clone"));
  t.impl_->hooks = nullptr; // a clone has no hooks, as in PyTorch
  return t;
}

void Tensor::copy_(const Tensor &src) {
  Impl &dst = checkedImpl(impl_, "copy_");
  const Impl &from = checkedImpl(src.impl_, "copy_");
  if (dst.shape != from.shape)
    throw Error("copy_: shape " + shapeToString(from.shape) + " does not match " +
                shapeToString(dst.shape));
  if (&dst != &from)
    dst.data = from.data;
}

} // namespace nncc
