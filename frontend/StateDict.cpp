// StateDict lookups and its safetensors files, written and read through the runtime's format code.
#include "frontend/StateDict.h"

#include "frontend/Error.h"
#include "runtime/Safetensors.h"

#include <cstring>

namespace nncc {

void StateDict::insert(const std::string &key, const Tensor &tensor) {
  for (Item &item : items_) {
    if (item.first == key) {
      item.second = tensor;
      return;
    }
  }
  items_.emplace_back(key, tensor);
}

const Tensor *StateDict::find(const std::string &key) const {
  for (const Item &item : items_)
    if (item.first == key)
      return &item.second;
  return nullptr;
}

const Tensor &StateDict::at(const std::string &key) const {
  if (const Tensor *t = find(key))
    return *t;
  throw Error("key '" + key + "' not in state_dict");
}

std::vector<std::string> StateDict::keys() const {
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const Item &item : items_)
    out.push_back(item.first);
  return out;
}

void save_safetensors(const StateDict &dict, const std::string &path) {
  std::vector<rt::SafetensorsEntry> entries;
  entries.reserve(dict.size());
  for (const auto &[key, tensor] : dict) {
    if (!tensor.defined())
      throw Error(path + ": state_dict entry '" + key + "' is undefined and cannot be saved");
    entries.push_back({key, tensor.shape(), tensor.data()});
  }
  if (rt::Status s = rt::writeSafetensors(path, entries); !s.ok())
    throw Error(s.message());
}

StateDict select(const StateDict &dict, const std::function<bool(const std::string &)> &keep) {
  StateDict out;
  for (const auto &[key, tensor] : dict)
    if (keep(key))
      out.insert(key, tensor);
  return out;
}

StateDict renamed(const StateDict &dict,
                  const std::function<std::string(const std::string &)> &rename) {
  StateDict out;
  for (const auto &[key, tensor] : dict) {
    std::string name = rename(key);
    if (out.contains(name))
      throw Error("renaming '" + key + "' gives '" + name + "', which another key already became");
    out.insert(name, tensor);
  }
  return out;
}

StateDict load_safetensors(const std::string &path) {
  rt::SafetensorsReader reader;
  if (rt::Status s = rt::SafetensorsReader::open(path, &reader); !s.ok())
    throw Error(s.message());
  StateDict dict;
  for (const rt::SafetensorsTensor &t : reader.tensors()) {
    Tensor tensor = Tensor::empty(t.shape);
    t.toFloat(tensor.data());
    dict.insert(t.name, tensor);
  }
  return dict;
}

} // namespace nncc
