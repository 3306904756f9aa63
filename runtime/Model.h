// The nncc runtime: loads a compiled model's manifest and weights and runs its entry points.
//
// Rules of this header:
// - Ownership: a Model owns a copy of its weights and its arena, both
//   64-byte aligned and allocated once in create(). Callers own the input and
//   output buffers they pass; the model never keeps pointers to them.
// - Errors come back as rt::Status with one line naming the model, tensor,
//   file or shape at fault; nothing throws or aborts. Everything read from
//   the manifest and the weights is validated before the first call.
// - Threads: a Model is not safe to call from two threads at once (its arena
//   holds the intermediates of the call in flight). Distinct Models are
//   independent; make one per thread.
// - Steady state: forward(), backward() and train_step() allocate nothing.
// - Entry points: an artifact has `forward`, and, when compiled for
//   training, `backward` and `train_step`. They share the weights, buffers
//   and one arena (only one runs at a time).
// - Gradients: backward() adds each trainable parameter's gradient to its
//   gradient buffer ("grad.<name>"), as PyTorch's backward accumulates into
//   .grad; zero_grad() clears them, and GradMode::Overwrite does both.
// - Hooks: a model compiled with hook points calls the callbacks attached to hooks() (see
//   runtime/Hooks.h) while an entry point runs. A callback that throws stops the callbacks of
//   that call; the entry point then returns the error.
// - This library links no MLIR or LLVM: an embedded model needs only it.
#pragma once

#include "runtime/Hooks.h"
#include "runtime/Layout.h"
#include "runtime/Status.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nncc::rt {

class SafetensorsReader;

/// The compiled code's calling convention: one array of pointers, in the
/// manifest's argument order.
using EntryFn = void (*)(void **args);

/// Name, shape and element type ("f32", or "i64" for indices) of one input
/// or output.
struct TensorInfo {
  std::string name;
  std::vector<int64_t> shape;
  std::string dtype = "f32";
  int64_t numel() const;
};

/// A parameter or buffer the model holds. A train-mode forward updates
/// buffers (e.g. BatchNorm's running statistics) in place.
struct StateTensor {
  std::string name;
  std::vector<int64_t> shape;
  bool parameter = true;
  /// Whether state_dict() includes it (false for non-persistent buffers).
  bool persistent = true;
  float *data = nullptr;
};

/// How backward() treats the gradients already in the gradient buffers.
enum class GradMode {
  /// Adds to them, as PyTorch's backward does (call zero_grad() between steps).
  Accumulate,
  /// Replaces them: zero_grad() then backward.
  Overwrite,
};

class Model {
public:
  ~Model();
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  /// Builds a model from the artifact's manifest JSON, its entry functions
  /// by entry name ("forward", "backward", "train_step"), and weights keyed
  /// by state_dict name. Every parameter and buffer the manifest lists must
  /// be present with its shape, except the gradient ("grad.*") and optimizer
  /// ("optim.*") buffers the compiler adds, which start at zero.
  static Status create(const std::string &manifestJson, const std::map<std::string, EntryFn> &entries,
                       const std::vector<WeightView> &weights, std::unique_ptr<Model> *out);
  /// As above, with the weights read from a parsed safetensors file.
  static Status create(const std::string &manifestJson, const std::map<std::string, EntryFn> &entries,
                       const SafetensorsReader &weights, std::unique_ptr<Model> *out);

  const std::string &name() const { return name_; }
  const std::vector<TensorInfo> &inputs() const { return forward_.inputs; }
  const std::vector<TensorInfo> &outputs() const { return forward_.outputs; }
  /// Bytes of intermediate memory the compiler planned for forward().
  int64_t arenaBytes() const { return forward_.arenaBytes; }

  /// Runs forward: `inputs[i]` holds inputs()[i].numel() values of its dtype
  /// (float, or int64_t for "i64"), `outputs[i]` has room for
  /// outputs()[i].numel() floats.
  Status forward(const void *const *inputs, float *const *outputs);

  /// Whether the artifact has entry point `entry` ("backward", "train_step").
  bool has_entry(const std::string &entry) const { return entries_.count(entry) != 0; }
  /// The inputs and outputs of `entry`, or nullptr when it has none.
  const std::vector<TensorInfo> *entry_inputs(const std::string &entry) const;
  const std::vector<TensorInfo> *entry_outputs(const std::string &entry) const;

  /// Runs the generated backward: `inputs` are forward()'s inputs (the
  /// forward is recomputed), followed by one gradient per forward output,
  /// shaped as that output. Fills the gradient buffers as `mode` says.
  Status backward(const void *const *inputs, GradMode mode = GradMode::Accumulate);
  /// One training step (train-mode forward, loss, backward, optimizer
  /// update): `inputs` are the model's inputs followed by the target;
  /// writes the loss before the update to `*loss`. Updates the parameters,
  /// buffers and optimizer state in place.
  Status train_step(const void *const *inputs, float *loss);
  /// Sets every gradient buffer to zero.
  void zero_grad();
  /// The accumulated gradient of parameter `name` (its state_dict key), or
  /// nullptr when the artifact has none (a frozen parameter, or no backward).
  const float *grad(const std::string &name) const { return weight("grad." + name); }
  /// Writes the optimizer state (the "optim.*" buffers: momentum buffers,
  /// exp_avg, exp_avg_sq, step), keyed "<param>.<state>" and "step".
  Status save_optimizer_state(const std::string &path) const;
  /// Reads what save_optimizer_state wrote; every tensor must match.
  Status load_optimizer_state(const std::string &path);

  /// The callbacks the model's hook points call.
  Hooks &hooks() { return hooks_; }
  /// The hook points compiled into the model, by site number.
  const std::vector<HookSite> &hook_sites() const { return sites_.sites(); }

  /// The current value of a parameter or buffer, or nullptr.
  const float *weight(const std::string &name) const;
  float *mutable_weight(const std::string &name);
  /// Every parameter and buffer, in the manifest's order.
  const std::vector<StateTensor> &state() const { return state_; }
  /// Writes the parameters and persistent buffers, with their current
  /// values, as a safetensors file with PyTorch's state_dict keys.
  Status save_state_dict(const std::string &path) const;

private:
  friend void ::nncc_rt_hook(int64_t, float *, float *);
  /// Runs the callbacks of hook point `site` (from the compiled code).
  void runHook(int64_t site, float *tensor, float *input);

  /// A buffer's new value, written by the compiled code into its own slot
  /// and copied into the buffer once the call is done.
  struct Update {
    float *buffer;
    const float *value;
    size_t bytes;
  };
  struct Entry {
    EntryFn fn = nullptr;
    std::vector<TensorInfo> inputs, outputs;
    int64_t arenaBytes = 0;
    /// Positions in `args` of inputs and outputs; the rest are fixed.
    std::vector<size_t> inputSlots, outputSlots;
    std::vector<void *> args;
    std::vector<Update> updates;
  };
  Model() = default;
  /// Binds inputs then outputs to their slots, runs the entry and applies
  /// its updates.
  Status call(Entry &e, const char *entry, const void *const *inputs, void *const *outputs);

  std::string name_;
  std::map<std::string, Entry> entries_;
  Entry &forward_ = entries_["forward"];
  std::vector<StateTensor> state_;
  void *storage_ = nullptr; // weights then arena, one aligned block
  Hooks hooks_;
  HookSites sites_;
  /// The entry point running, and the first error a hook raised in it.
  const char *running_ = nullptr;
  std::string hookError_;
};

} // namespace nncc::rt
