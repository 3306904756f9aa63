// The ordered key → tensor mapping that state_dict() returns, and its safetensors files.
#pragma once

#include "frontend/Tensor.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace nncc {

/// An OrderedDict of dotted keys to tensors, in insertion order. Tensors are
/// shared handles: state_dict() entries alias the module's own storage, as
/// in PyTorch.
class StateDict {
public:
  using Item = std::pair<std::string, Tensor>;

  /// Appends, or replaces the value of an existing key in place.
  void insert(const std::string &key, const Tensor &tensor);
  bool contains(const std::string &key) const { return find(key) != nullptr; }
  const Tensor *find(const std::string &key) const;
  /// Throws nncc::Error("key '<key>' not in state_dict") when absent.
  const Tensor &at(const std::string &key) const;
  std::vector<std::string> keys() const;
  size_t size() const { return items_.size(); }
  const std::vector<Item> &items() const { return items_; }
  std::vector<Item>::const_iterator begin() const { return items_.begin(); }
  std::vector<Item>::const_iterator end() const { return items_.end(); }

private:
  std::vector<Item> items_;
};

/// The entries whose key `keep` accepts, in order: partial loading, as
/// {k: v for k, v in sd.items() if keep(k)}.
StateDict select(const StateDict &dict, const std::function<bool(const std::string &)> &keep);
/// The entries under new keys, in order: renaming old checkpoints, as
/// {rename(k): v for k, v in sd.items()}. Throws when two keys collide.
StateDict renamed(const StateDict &dict,
                  const std::function<std::string(const std::string &)> &rename);

/// Writes `dict` as a safetensors file (F32, keys as given), readable by
/// safetensors.torch.load_file. Throws nncc::Error naming the path on failure.
void save_safetensors(const StateDict &dict, const std::string &path);
/// Reads a safetensors file written by nncc or by PyTorch (F32, F16, BF16
/// and I64 tensors, converted to f32).
/// Throws nncc::Error naming the path and key for a malformed file.
StateDict load_safetensors(const std::string &path);

} // namespace nncc
