// Validating manifest and weights, laying out one aligned block, and calling entry points.
#include "runtime/Model.h"
#include "runtime/Isa.h"
#include "runtime/Safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace nncc::rt {
namespace {

/// The model whose entry point runs on this thread, for nncc_rt_hook.
thread_local Model *runningModel = nullptr;

} // namespace

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Model::~Model() { std::free(storage_); }

/// Entry names, as std::strings made once, so that looking one up allocates nothing.
static const std::string kBackward = "backward", kTrainStep = "train_step";

Status Model::create(const std::string &manifestJson, const std::map<std::string, EntryFn> &entries,
                     const std::vector<WeightView> &weights, std::unique_ptr<Model> *out) {
  nlohmann::json manifest;
  if (Status s = parseManifest(manifestJson, &manifest); !s.ok())
    return s;
  std::unique_ptr<Model> model(new Model());
  model->name_ = manifest.value("model", "");
  const std::string &name = model->name_;
  // Before anything runs: the code may use instructions this CPU does not have.
  if (manifest.contains("isa")) {
    const nlohmann::json &isa = manifest["isa"];
    if (!isa.is_array() || !std::all_of(isa.begin(), isa.end(), [](const nlohmann::json &f) { return f.is_string(); }))
      return Status::Error("model '" + name + "': manifest 'isa' is not a list of feature names");
    if (Status s = checkIsa(name, isa.get<std::vector<std::string>>()); !s.ok())
      return s;
  }
  Layout layout;
  if (Status s = planLayout(manifest, weights, /*stageIo=*/false, &layout); !s.ok())
    return s;
  for (const EntryLayout &e : layout.entries) {
    auto fn = entries.find(e.name);
    if (fn == entries.end() || !fn->second)
      return Status::Error("model '" + name + "': no function was given for entry '" + e.name + "'");
  }
  if (Status s = model->sites_.parse(manifest, name); !s.ok())
    return s;

  model->storage_ = std::aligned_alloc(kLayoutAlignment, layout.total);
  if (!model->storage_)
    return Status::Error("model '" + name + "': cannot allocate " + std::to_string(layout.total) +
                         " bytes for weights and arena");
  auto *base = static_cast<uint8_t *>(model->storage_);
  std::memset(base, 0, layout.total);
  for (const StateSlot &t : layout.state) {
    if (t.initial)
      std::memcpy(base + t.offset, t.initial, t.bytes);
    model->state_.push_back({t.name, t.shape, t.parameter, t.persistent,
                             reinterpret_cast<float *>(base + t.offset)});
  }
  for (const EntryLayout &e : layout.entries) {
    Entry &entry = model->entries_[e.name];
    entry.fn = entries.at(e.name);
    entry.arenaBytes = e.arenaBytes;
    entry.args.resize(e.args.size(), nullptr);
    for (size_t i = 0; i < e.args.size(); ++i) {
      const ArgSlot &arg = e.args[i];
      if (arg.role == "input") {
        entry.inputs.push_back({arg.name, arg.shape, arg.dtype});
        entry.inputSlots.push_back(i);
      } else if (arg.role == "output") {
        entry.outputs.push_back({arg.name, arg.shape});
        entry.outputSlots.push_back(i);
      } else {
        entry.args[i] = base + arg.offset;
      }
      // The new value of a parameter or buffer, copied into it after each call.
      if (arg.role == "update")
        entry.updates.push_back({model->mutable_weight(arg.name),
                                 reinterpret_cast<const float *>(base + arg.offset), arg.bytes});
    }
  }
  *out = std::move(model);
  return Status::Ok();
}

Status Model::create(const std::string &manifestJson, const std::map<std::string, EntryFn> &entries,
                     const SafetensorsReader &weights, std::unique_ptr<Model> *out) {
  std::vector<std::vector<float>> copies;
  std::vector<WeightView> views = weightViews(weights, &copies);
  return create(manifestJson, entries, views, out);
}

Status Model::call(Entry &e, const char *entry, const void *const *inputs, void *const *outputs) {
  // Messages name the entry, except forward's, which is the model's own call;
  // they are only built on error, so a call allocates nothing.
  auto what = [&] { return std::strcmp(entry, "forward") ? std::string(entry) + " " : std::string(); };
  if ((!inputs && !e.inputSlots.empty()) || (!outputs && !e.outputSlots.empty()))
    return Status::Error("model '" + name_ + "': " + entry + " needs input and output arrays");
  for (size_t i = 0; i < e.inputSlots.size(); ++i) {
    if (!inputs[i])
      return Status::Error("model '" + name_ + "': " + what() + "input '" + e.inputs[i].name +
                           "' is null");
    e.args[e.inputSlots[i]] = const_cast<void *>(inputs[i]);
  }
  for (size_t i = 0; i < e.outputSlots.size(); ++i) {
    if (!outputs[i])
      return Status::Error("model '" + name_ + "': " + what() + "output '" + e.outputs[i].name +
                           "' is null");
    e.args[e.outputSlots[i]] = outputs[i];
  }
  Model *outer = runningModel;
  runningModel = this;
  running_ = entry;
  hookError_.clear();
  e.fn(e.args.data());
  runningModel = outer;
  if (!hookError_.empty())
    return Status::Error("model '" + name_ + "': " + hookError_);
  for (const Update &u : e.updates)
    std::memcpy(u.buffer, u.value, u.bytes);
  return Status::Ok();
}

void Model::runHook(int64_t site, float *tensor, float *input) {
  if (hookError_.empty())
    hookError_ = sites_.run(hooks_, site, running_, tensor, input);
}

Status Model::forward(const void *const *inputs, float *const *outputs) {
  return call(forward_, "forward", inputs, reinterpret_cast<void *const *>(outputs));
}

const std::vector<TensorInfo> *Model::entry_inputs(const std::string &entry) const {
  auto it = entries_.find(entry);
  return it == entries_.end() ? nullptr : &it->second.inputs;
}

const std::vector<TensorInfo> *Model::entry_outputs(const std::string &entry) const {
  auto it = entries_.find(entry);
  return it == entries_.end() ? nullptr : &it->second.outputs;
}

Status Model::backward(const void *const *inputs, GradMode mode) {
  auto it = entries_.find(kBackward);
  if (it == entries_.end())
    return Status::Error("model '" + name_ + "' was compiled without backward "
                         "(compile with --mode=train)");
  if (mode == GradMode::Overwrite)
    zero_grad();
  return call(it->second, "backward", inputs, nullptr);
}

Status Model::train_step(const void *const *inputs, float *loss) {
  auto it = entries_.find(kTrainStep);
  if (it == entries_.end())
    return Status::Error("model '" + name_ + "' was compiled without a train step "
                         "(record it with a loss and compile with --mode=train)");
  void *outputs[] = {loss};
  return call(it->second, "train_step", inputs, outputs);
}

void Model::zero_grad() {
  for (StateTensor &t : state_)
    if (t.name.rfind("grad.", 0) == 0) {
      int64_t n = 1;
      for (int64_t d : t.shape)
        n *= d;
      std::fill_n(t.data, n, 0.0f);
    }
}

Status Model::save_optimizer_state(const std::string &path) const {
  std::vector<SafetensorsEntry> entries;
  for (const StateTensor &t : state_)
    if (t.name.rfind("optim.", 0) == 0)
      entries.push_back({t.name.substr(6), t.shape, t.data});
  if (entries.empty())
    return Status::Error("model '" + name_ + "' has no optimizer state (compiled without a train step)");
  return writeSafetensors(path, entries);
}

Status Model::load_optimizer_state(const std::string &path) {
  SafetensorsReader reader;
  if (Status s = SafetensorsReader::open(path, &reader); !s.ok())
    return s;
  size_t expected = 0;
  for (StateTensor &t : state_) {
    if (t.name.rfind("optim.", 0) != 0)
      continue;
    ++expected;
    const SafetensorsTensor *found = reader.find(t.name.substr(6));
    if (!found)
      return Status::Error(path + ": optimizer state has no tensor '" + t.name.substr(6) + "'");
    if (found->shape != t.shape)
      return Status::Error(path + ": optimizer state '" + t.name.substr(6) + "' has shape " +
                           shapeString(found->shape) + ", the model expects " + shapeString(t.shape));
  }
  if (reader.tensors().size() != expected)
    return Status::Error(path + ": optimizer state has " + std::to_string(reader.tensors().size()) +
                         " tensors, the model expects " + std::to_string(expected));
  for (StateTensor &t : state_)
    if (t.name.rfind("optim.", 0) == 0)
      reader.find(t.name.substr(6))->toFloat(t.data);
  return Status::Ok();
}

const float *Model::weight(const std::string &name) const {
  for (const StateTensor &t : state_)
    if (t.name == name)
      return t.data;
  return nullptr;
}

float *Model::mutable_weight(const std::string &name) {
  return const_cast<float *>(static_cast<const Model *>(this)->weight(name));
}

Status Model::save_state_dict(const std::string &path) const {
  std::vector<SafetensorsEntry> entries;
  for (const StateTensor &t : state_)
    if (t.persistent)
      entries.push_back({t.name, t.shape, t.data});
  return writeSafetensors(path, entries);
}

} // namespace nncc::rt

void nncc_rt_hook(int64_t site, float *tensor, float *input) {
  if (nncc::rt::Model *model = nncc::rt::runningModel)
    model->runHook(site, tensor, input);
}
