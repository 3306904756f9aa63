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
// - Steady state: forward() allocates nothing.
// - This library links no MLIR or LLVM: an embedded model needs only it.
#pragma once

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

/// A weight handed to create(): `data` holds numel(shape) floats.
struct WeightView {
  std::string name;
  std::vector<int64_t> shape;
  const float *data = nullptr;
};

class Model {
public:
  ~Model();
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  /// Builds a model from the artifact's manifest JSON, its entry functions
  /// by entry name ("forward"), and weights keyed by state_dict name. Every
  /// parameter and buffer the manifest lists must be present with its shape.
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

  /// The current value of a parameter or buffer, or nullptr.
  const float *weight(const std::string &name) const;
  /// Every parameter and buffer, in the manifest's order.
  const std::vector<StateTensor> &state() const { return state_; }
  /// Writes the parameters and persistent buffers, with their current
  /// values, as a safetensors file with PyTorch's state_dict keys.
  Status save_state_dict(const std::string &path) const;

private:
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

  std::string name_;
  Entry forward_;
  std::vector<StateTensor> state_;
  void *storage_ = nullptr; // weights then arena, one aligned block
};

} // namespace nncc::rt
