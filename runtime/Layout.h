// Where an artifact's arguments live: the manifest's entries and arguments validated against the
// weights, and laid out in one block (each parameter and buffer once, each entry's update slots,
// one arena shared by the entries). The CPU Model lays the block out in host memory, the CUDA
// model in device memory.
#pragma once

#include "runtime/Status.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc::rt {

/// A weight handed to a model: `data` holds numel(shape) floats.
struct WeightView {
  std::string name;
  std::vector<int64_t> shape;
  const float *data = nullptr;
};

/// One argument of an entry function, in the manifest's order.
struct ArgSlot {
  std::string role, name, dtype;
  std::vector<int64_t> shape;
  size_t bytes = 0;
  bool persistent = true;
  /// Byte offset in the block: the state tensor's for parameters and buffers, the arena's, the
  /// update's own slot; for inputs and outputs, a staging slot where the layout stages them.
  size_t offset = 0;
};

struct EntryLayout {
  std::string name;
  std::vector<ArgSlot> args;
  int64_t arenaBytes = 0;
};

/// A parameter or buffer of the model, once, with where its value comes from.
struct StateSlot {
  std::string name;
  std::vector<int64_t> shape;
  bool parameter = true;
  bool persistent = true;
  size_t offset = 0, bytes = 0;
  /// The given weight, or nullptr for a buffer the compiler adds (gradients, optimizer state),
  /// which starts at zero.
  const float *initial = nullptr;
};

struct Layout {
  std::string model;
  std::vector<EntryLayout> entries;
  std::vector<StateSlot> state;
  size_t arenaOffset = 0;
  /// The block's size in bytes, a multiple of kLayoutAlignment.
  size_t total = 0;
};

inline constexpr size_t kLayoutAlignment = 64;

/// Parses `manifestJson`, checking that it is an nncc artifact manifest of a version this runtime
/// reads; the error is one line.
Status parseManifest(const std::string &manifestJson, nlohmann::json *out);

/// Lays out `manifest` (parsed) with `weights`. Every parameter and buffer must be among the
/// weights with its shape, except the "grad.*" and "optim.*" buffers; an entry may declare a
/// state tensor only with the shape another gave it; an update must name a state tensor of its
/// shape. With `stageIo`, inputs and outputs get slots in the block too (after the arena).
Status planLayout(const nlohmann::json &manifest, const std::vector<WeightView> &weights, bool stageIo,
                  Layout *out);

/// "[2, 3]".
std::string shapeString(const std::vector<int64_t> &shape);

/// Whether `name` is a buffer the compiler adds for training ("grad.*", "optim.*").
bool generatedBuffer(const std::string &name);

} // namespace nncc::rt
