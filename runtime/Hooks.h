// Hook callbacks by module path: what compiled hook points and the interpreter call at run time.
//
// A hook point is an `nn.hook` op of the compiled model: a module path, a kind, and the tensor it
// taps (an output, an input, or a gradient). At run time each hook point calls every attached
// callback whose pattern matches its path and whose kind matches its own, in attachment order
// (`prepend` puts a callback first). A callback may overwrite the tensor in place: that value is
// what the rest of the computation sees, as a PyTorch hook's return value replaces the tensor.
// - Patterns are shell globs over dotted paths (fnmatch, so `features.*` also matches
//   `features.0.conv`); the root module's path is "".
// - set_enabled switches hook points on and off by pattern: a disabled point calls nothing.
// - With nothing attached, a hook point costs one call and a lookup; it allocates nothing.
// - Callbacks run on the thread that called the model, never inside its parallel loops.
#pragma once

#include "runtime/Status.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nncc::rt {

/// Where a hook point sits, as torch.nn's hook kinds.
enum class HookKind {
  /// A module's input, before its forward (register_forward_pre_hook).
  ForwardPre,
  /// A module's output, after its forward (register_forward_hook); also sees the input.
  Forward,
  /// The gradient of a module's output, in the backward (register_full_backward_pre_hook).
  BackwardPre,
  /// The gradient of a module's input, in the backward (register_full_backward_hook).
  Backward,
  /// The gradient of a parameter or buffer, named by its state_dict key (Tensor.register_hook).
  Grad,
};

/// "forward_pre", "forward", "backward_pre", "backward", "grad".
const char *hookKindName(HookKind kind);
/// The kind named `name`; false when there is none.
bool parseHookKind(const std::string &name, HookKind *kind);
/// Whether `path` matches the shell glob `pattern`.
bool pathMatches(const std::string &pattern, const std::string &path);

/// A contiguous f32 tensor a hook sees; `data` is null where there is none.
struct HookTensor {
  float *data = nullptr;
  const std::vector<int64_t> *shape = nullptr;
  int64_t numel() const;
};

/// One hook point firing.
struct HookEvent {
  const std::string &path;
  HookKind kind;
  /// The module's class ("ReLU"), or "" where unknown (parameter gradients).
  const std::string &moduleClass;
  /// The entry point running: "forward", "backward" (which recomputes the forward, so forward
  /// hooks fire there too), "train_step"; "interpret" in the reference interpreter.
  const char *entry;
  /// The tapped tensor; writing it replaces the value.
  HookTensor tensor;
  /// Forward hooks: the module's input (read only). Empty otherwise.
  HookTensor input;
};

using HookFn = std::function<void(const HookEvent &event)>;

/// What attach() returns, for remove().
struct HookHandle {
  int64_t id = 0;
};

class Hooks {
public:
  /// Attaches `fn` to every `kind` hook point whose path matches `pattern`.
  HookHandle attach(const std::string &pattern, HookKind kind, HookFn fn, bool prepend = false);
  /// Detaches a callback; false when it was already removed.
  bool remove(HookHandle handle);
  /// Switches the hook points matching `pattern` on or off; the last matching call wins.
  void set_enabled(const std::string &pattern, bool enabled);
  /// Whether hook points at `path` call their callbacks.
  bool enabled(const std::string &path) const;
  /// Detaches every callback and enables every hook point.
  void clear();
  bool empty() const { return callbacks_.empty(); }
  /// Bumped on every change, so callers can cache what matches a hook point.
  uint64_t generation() const { return generation_; }

  /// Indices (for call) of the callbacks a hook point at `path` of `kind` calls, in order.
  void matching(const std::string &path, HookKind kind, std::vector<size_t> *out) const;
  /// Runs callback `index` (from matching) on `event`; what it throws propagates.
  void call(size_t index, const HookEvent &event) const { callbacks_[index].fn(event); }
  /// matching, then call on each, when `event.path` is enabled.
  void dispatch(const HookEvent &event) const;

private:
  struct Callback {
    int64_t id;
    std::string pattern;
    HookKind kind;
    HookFn fn;
  };
  std::vector<Callback> callbacks_;
  std::vector<std::pair<std::string, bool>> switches_;
  int64_t nextId_ = 1;
  uint64_t generation_ = 0;
};

/// A hook point of the compiled code, as the manifest lists it; its index is its site number.
struct HookSite {
  std::string path;
  HookKind kind = HookKind::Forward;
  /// The module's class, or "" where unknown.
  std::string className;
  std::vector<int64_t> shape;
  /// Forward hooks: the shape of the module's input they also see.
  std::vector<int64_t> inputShape;
};

/// A compiled model's hook points, and which callbacks of its Hooks each calls: matched again
/// only when the attachments change, so that a firing allocates nothing.
class HookSites {
public:
  /// Reads the manifest's "hooks" list (absent: no hook points) of model `model`.
  Status parse(const nlohmann::json &manifest, const std::string &model);
  const std::vector<HookSite> &sites() const { return sites_; }
  /// Whether hook point `site` calls any callback of `hooks` now.
  bool active(const Hooks &hooks, int64_t site);
  /// Calls hook point `site`'s callbacks on `tensor` (and a forward hook's `input`) while entry
  /// `entry` runs. Returns "" or, when a callback throws, the error naming the hook point; the
  /// callbacks after it do not run.
  std::string run(const Hooks &hooks, int64_t site, const char *entry, float *tensor, float *input);

private:
  void match(const Hooks &hooks);
  std::vector<HookSite> sites_;
  /// Per site, the callbacks it calls, as of hooks.generation() == matchedAt_.
  std::vector<std::vector<size_t>> matched_;
  uint64_t matchedAt_ = ~uint64_t(0);
};

} // namespace nncc::rt

extern "C" {
/// Called by compiled code at hook point `site` (the manifest's "hooks" index) of the model whose
/// entry point is running on this thread; `input` is null except at forward hooks.
void nncc_rt_hook(int64_t site, float *tensor, float *input);
}
