// Module and tensor hooks, as torch.nn's: registration, removable handles, and global hooks.
//
// Hooks registered here are recorded as hook points (`nn.hook`, `nn.grad_hook`) when the module
// is traced, and called with concrete tensors when the reference interpreter or compiled code
// runs (bindModuleHooks). A hook returning a tensor replaces the one it was given, as in
// PyTorch; it must keep the shape. Hooks run in registration order, global hooks first;
// `prepend` puts a hook first among its module's.
// - Forward hooks see the module's input after its forward pre-hooks.
// - Full backward hooks see grad_input and grad_output; backward pre-hooks see grad_output.
// - Gradient hooks of a parameter or buffer see its gradient (Tensor::register_hook).
// - Compiled forward hooks are opaque to autodiff: the gradient passes through unchanged.
// - `always_call` is accepted for PyTorch parity; compiled forwards cannot raise, so every
//   forward hook runs.
// - Modules whose typed forward takes several tensors (MultiheadAttention, LSTM, GRU, RNN) have
//   no hook points.
#pragma once

#include "frontend/Tensor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace nncc::nn {

class Module;

using ForwardPreHook = std::function<std::optional<Tensor>(Module &module, const Tensor &input)>;
using ForwardHook =
    std::function<std::optional<Tensor>(Module &module, const Tensor &input, const Tensor &output)>;
using BackwardPreHook =
    std::function<std::optional<Tensor>(Module &module, const Tensor &grad_output)>;
using BackwardHook = std::function<std::optional<Tensor>(Module &module, const Tensor &grad_input,
                                                         const Tensor &grad_output)>;
/// A gradient hook of a tensor (Tensor.register_hook): may return a replacement gradient.
using GradHook = std::function<std::optional<Tensor>(const Tensor &grad)>;

/// Ordered hooks of one kind, keyed by handle id, as PyTorch's OrderedDict of hooks.
template <class Fn> struct HookList {
  std::vector<std::pair<int64_t, Fn>> hooks;
  void add(int64_t id, Fn fn, bool prepend) {
    if (prepend)
      hooks.insert(hooks.begin(), {id, std::move(fn)});
    else
      hooks.emplace_back(id, std::move(fn));
  }
  bool erase(int64_t id);
  bool empty() const { return hooks.empty(); }
};

/// Every hook of one module (or the global ones, or one tensor's gradient hooks).
struct HookStore {
  HookList<ForwardPreHook> forward_pre;
  HookList<ForwardHook> forward;
  HookList<BackwardPreHook> backward_pre;
  HookList<BackwardHook> backward;
  HookList<GradHook> grad;
  /// Removes the hook with handle id `id` from whichever list holds it.
  bool erase(int64_t id);
  bool empty() const;
};

/// What the register_*hook functions return, as torch.utils.hooks.RemovableHandle.
class RemovableHandle {
public:
  RemovableHandle(std::weak_ptr<HookStore> store, int64_t id) : store_(std::move(store)), id_(id) {}
  /// Removes the hook; removing twice does nothing.
  void remove();
  int64_t id() const { return id_; }

private:
  std::weak_ptr<HookStore> store_;
  int64_t id_;
};

/// A fresh handle id, unique in the process.
int64_t nextHookId();

/// The hooks every module runs (torch.nn.modules.module.register_module_*_hook).
std::shared_ptr<HookStore> &globalHooks();
RemovableHandle register_module_forward_pre_hook(ForwardPreHook hook);
RemovableHandle register_module_forward_hook(ForwardHook hook, bool always_call = false);
RemovableHandle register_module_full_backward_pre_hook(BackwardPreHook hook);
RemovableHandle register_module_full_backward_hook(BackwardHook hook);

} // namespace nncc::nn
