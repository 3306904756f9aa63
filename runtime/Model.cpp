// Validating manifest and weights, laying out one aligned block, and calling entry points.
#include "runtime/Model.h"
#include "runtime/Safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace nncc::rt {
namespace {

constexpr size_t kAlignment = 64;

size_t alignUp(size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// One argument of an entry function, as the manifest lists it.
struct Arg {
  std::string role, name, dtype;
  std::vector<int64_t> shape;
  size_t bytes = 0;
  bool persistent = true;
};

Status parseArgs(const nlohmann::json &entry, const std::string &model, std::vector<Arg> *out) {
  const auto &args = entry.at("args");
  if (!args.is_array())
    return Status::Error("model '" + model + "': manifest entry has no argument list");
  for (const auto &a : args) {
    Arg arg{a.at("role").get<std::string>(), a.at("name").get<std::string>(),
            a.at("dtype").get<std::string>(), a.at("shape").get<std::vector<int64_t>>()};
    arg.persistent = a.value("persistent", true);
    size_t elementBytes = arg.dtype == "f32" ? 4 : arg.dtype == "i64" ? 8 : arg.dtype == "i8" ? 1 : 0;
    if (!elementBytes || (arg.dtype == "i64" && arg.role != "input"))
      return Status::Error("model '" + model + "': argument '" + arg.name + "' (" + arg.role +
                           ") has unsupported dtype '" + arg.dtype + "'");
    size_t numel = 1;
    for (int64_t d : arg.shape) {
      if (d < 0 || d > (int64_t(1) << 40))
        return Status::Error("model '" + model + "': argument '" + arg.name +
                             "' has an invalid shape " + shapeString(arg.shape));
      numel *= static_cast<size_t>(d);
    }
    arg.bytes = numel * elementBytes;
    out->push_back(std::move(arg));
  }
  return Status::Ok();
}

} // namespace

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Model::~Model() { std::free(storage_); }

Status Model::create(const std::string &manifestJson, const std::map<std::string, EntryFn> &entries,
                     const std::vector<WeightView> &weights, std::unique_ptr<Model> *out) {
  nlohmann::json manifest = nlohmann::json::parse(manifestJson, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object() ||
      manifest.value("format", "") != "nncc-artifact")
    return Status::Error("not an nncc artifact manifest");
  if (manifest.value("version", 0) != 1)
    return Status::Error("unsupported nncc artifact version " +
                         manifest.value("version", nlohmann::json(0)).dump());
  std::unique_ptr<Model> model(new Model());
  model->name_ = manifest.value("model", "");
  const std::string &name = model->name_;

  const nlohmann::json *forward = nullptr;
  auto entryList = manifest.find("entries");
  if (entryList != manifest.end() && entryList->is_array())
    for (const auto &e : *entryList)
      if (e.is_object() && e.value("name", "") == "forward")
        forward = &e;
  if (!forward)
    return Status::Error("model '" + name + "': the artifact has no forward entry point");
  auto fn = entries.find("forward");
  if (fn == entries.end() || !fn->second)
    return Status::Error("model '" + name + "': no function was given for entry 'forward'");

  std::vector<Arg> args;
  try {
    if (Status s = parseArgs(*forward, name, &args); !s.ok())
      return s;
  } catch (const nlohmann::json::exception &e) {
    return Status::Error("model '" + name + "': malformed manifest: " + e.what());
  }

  std::map<std::string, const WeightView *> byName;
  for (const WeightView &w : weights)
    byName[w.name] = &w;

  // One block: every parameter and buffer, then the arena.
  size_t total = 0;
  std::vector<size_t> offsets;
  for (const Arg &arg : args) {
    offsets.push_back(total);
    if (arg.role != "input" && arg.role != "output")
      total += alignUp(arg.bytes);
  }
  model->storage_ = std::aligned_alloc(kAlignment, alignUp(total) ? alignUp(total) : kAlignment);
  if (!model->storage_)
    return Status::Error("model '" + name + "': cannot allocate " + std::to_string(total) +
                         " bytes for weights and arena");
  auto *base = static_cast<uint8_t *>(model->storage_);
  std::memset(base, 0, total);

  Entry &entry = model->forward_;
  entry.fn = fn->second;
  entry.arenaBytes = forward->value("arena_bytes", int64_t(0));
  entry.args.resize(args.size(), nullptr);
  for (size_t i = 0; i < args.size(); ++i) {
    const Arg &arg = args[i];
    if (arg.role == "input") {
      entry.inputs.push_back({arg.name, arg.shape, arg.dtype});
      entry.inputSlots.push_back(i);
    } else if (arg.role == "output") {
      entry.outputs.push_back({arg.name, arg.shape});
      entry.outputSlots.push_back(i);
    } else if (arg.role == "parameter" || arg.role == "buffer") {
      auto w = byName.find(arg.name);
      if (w == byName.end() || !w->second->data)
        return Status::Error("model '" + name + "': weights have no tensor '" + arg.name + "'");
      if (w->second->shape != arg.shape)
        return Status::Error("model '" + name + "': weight '" + arg.name + "' has shape " +
                             shapeString(w->second->shape) + ", the model expects " +
                             shapeString(arg.shape));
      std::memcpy(base + offsets[i], w->second->data, arg.bytes);
      model->state_.push_back({arg.name, arg.shape, arg.role == "parameter", arg.persistent,
                               reinterpret_cast<float *>(base + offsets[i])});
      entry.args[i] = base + offsets[i];
    } else if (arg.role == "arena") {
      entry.args[i] = base + offsets[i];
    } else if (arg.role == "update") {
      // The new value of a buffer, copied into it after each call.
      auto target = std::find_if(model->state_.begin(), model->state_.end(),
                                 [&](const StateTensor &t) { return t.name == arg.name; });
      if (target == model->state_.end() || target->parameter || target->shape != arg.shape)
        return Status::Error("model '" + name + "': update of '" + arg.name +
                             "' does not match a buffer of the model");
      entry.args[i] = base + offsets[i];
      entry.updates.push_back({target->data, reinterpret_cast<const float *>(base + offsets[i]),
                               arg.bytes});
    } else {
      return Status::Error("model '" + name + "': unknown argument role '" + arg.role + "'");
    }
  }
  *out = std::move(model);
  return Status::Ok();
}

Status Model::create(const std::string &manifestJson, const std::map<std::string, EntryFn> &entries,
                     const SafetensorsReader &weights, std::unique_ptr<Model> *out) {
  // Tensor bytes in a safetensors buffer may be unaligned; copy them out.
  std::vector<std::vector<float>> copies;
  std::vector<WeightView> views;
  copies.reserve(weights.tensors().size());
  for (const SafetensorsTensor &t : weights.tensors()) {
    copies.emplace_back(static_cast<size_t>(t.numel()));
    t.toFloat(copies.back().data());
    views.push_back({t.name, t.shape, copies.back().data()});
  }
  return create(manifestJson, entries, views, out);
}

Status Model::forward(const void *const *inputs, float *const *outputs) {
  Entry &e = forward_;
  if (!inputs || !outputs)
    return Status::Error("model '" + name_ + "': forward needs input and output arrays");
  for (size_t i = 0; i < e.inputSlots.size(); ++i) {
    if (!inputs[i])
      return Status::Error("model '" + name_ + "': input '" + e.inputs[i].name + "' is null");
    e.args[e.inputSlots[i]] = const_cast<void *>(inputs[i]);
  }
  for (size_t i = 0; i < e.outputSlots.size(); ++i) {
    if (!outputs[i])
      return Status::Error("model '" + name_ + "': output '" + e.outputs[i].name + "' is null");
    e.args[e.outputSlots[i]] = outputs[i];
  }
  e.fn(e.args.data());
  for (const Update &u : e.updates)
    std::memcpy(u.buffer, u.value, u.bytes);
  return Status::Ok();
}

const float *Model::weight(const std::string &name) const {
  for (const StateTensor &t : state_)
    if (t.name == name)
      return t.data;
  return nullptr;
}

Status Model::save_state_dict(const std::string &path) const {
  std::vector<SafetensorsEntry> entries;
  for (const StateTensor &t : state_)
    if (t.persistent)
      entries.push_back({t.name, t.shape, t.data});
  return writeSafetensors(path, entries);
}

} // namespace nncc::rt
