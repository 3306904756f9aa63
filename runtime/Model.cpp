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

constexpr size_t kAlignment = 64;

/// The model whose entry point runs on this thread, for nncc_rt_hook.
thread_local Model *runningModel = nullptr;

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

Status parseHookSites(const nlohmann::json &manifest, const std::string &model,
                      std::vector<HookSite> *out) {
  auto sites = manifest.find("hooks");
  if (sites == manifest.end())
    return Status::Ok();
  if (!sites->is_array())
    return Status::Error("model '" + model + "': manifest 'hooks' is not a list");
  try {
    for (const auto &h : *sites) {
      HookSite site;
      site.path = h.at("path").get<std::string>();
      if (!parseHookKind(h.at("kind").get<std::string>(), &site.kind))
        return Status::Error("model '" + model + "': hook point '" + site.path +
                             "' has unknown kind '" + h.at("kind").get<std::string>() + "'");
      site.className = h.value("class", "");
      site.shape = h.at("shape").get<std::vector<int64_t>>();
      site.inputShape = h.value("input_shape", std::vector<int64_t>());
      out->push_back(std::move(site));
    }
  } catch (const nlohmann::json::exception &e) {
    return Status::Error("model '" + model + "': malformed hook point in manifest: " + e.what());
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

/// Buffers the compiler adds for training, which start at zero.
/// Entry names, as std::strings made once, so that looking one up allocates nothing.
static const std::string kBackward = "backward", kTrainStep = "train_step";

static bool generatedBuffer(const std::string &name) {
  return name.rfind("grad.", 0) == 0 || name.rfind("optim.", 0) == 0;
}

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
  // Before anything runs: the code may use instructions this CPU does not have.
  if (manifest.contains("isa")) {
    const nlohmann::json &isa = manifest["isa"];
    if (!isa.is_array() || !std::all_of(isa.begin(), isa.end(), [](const nlohmann::json &f) { return f.is_string(); }))
      return Status::Error("model '" + name + "': manifest 'isa' is not a list of feature names");
    if (Status s = checkIsa(name, isa.get<std::vector<std::string>>()); !s.ok())
      return s;
  }

  // Each entry's arguments, in manifest order.
  std::vector<std::pair<std::string, std::vector<Arg>>> parsed;
  std::map<std::string, int64_t> arenaBytes;
  auto entryList = manifest.find("entries");
  try {
    if (entryList != manifest.end() && entryList->is_array())
      for (const auto &e : *entryList) {
        if (!e.is_object() || !e.value("name", nlohmann::json()).is_string())
          return Status::Error("model '" + name + "': manifest entry without a name");
        std::string entryName = e["name"];
        auto fn = entries.find(entryName);
        if (fn == entries.end() || !fn->second)
          return Status::Error("model '" + name + "': no function was given for entry '" +
                               entryName + "'");
        parsed.emplace_back(entryName, std::vector<Arg>());
        if (Status s = parseArgs(e, name, &parsed.back().second); !s.ok())
          return s;
        arenaBytes[entryName] = e.value("arena_bytes", int64_t(0));
      }
  } catch (const nlohmann::json::exception &e) {
    return Status::Error("model '" + name + "': malformed manifest: " + e.what());
  }
  if (!arenaBytes.count("forward"))
    return Status::Error("model '" + name + "': the artifact has no forward entry point");
  if (Status s = parseHookSites(manifest, name, &model->sites_); !s.ok())
    return s;

  std::map<std::string, const WeightView *> byName;
  for (const WeightView &w : weights)
    byName[w.name] = &w;

  // One block: each parameter and buffer once, each entry's update slots,
  // then one arena as large as the largest entry's (entries run one at a time).
  size_t total = 0, arena = 0;
  std::map<std::string, size_t> stateOffsets;
  std::vector<std::vector<size_t>> offsets;
  for (auto &[entryName, args] : parsed) {
    offsets.emplace_back();
    for (const Arg &arg : args) {
      size_t offset = 0;
      if (arg.role == "parameter" || arg.role == "buffer") {
        auto [it, fresh] = stateOffsets.try_emplace(arg.name, total);
        if (fresh)
          total += alignUp(arg.bytes);
        offset = it->second;
      } else if (arg.role == "update") {
        offset = total;
        total += alignUp(arg.bytes);
      } else if (arg.role == "arena") {
        arena = std::max(arena, arg.bytes);
      }
      offsets.back().push_back(offset);
    }
  }
  size_t arenaOffset = total;
  total += alignUp(arena);
  model->storage_ = std::aligned_alloc(kAlignment, alignUp(total) ? alignUp(total) : kAlignment);
  if (!model->storage_)
    return Status::Error("model '" + name + "': cannot allocate " + std::to_string(total) +
                         " bytes for weights and arena");
  auto *base = static_cast<uint8_t *>(model->storage_);
  std::memset(base, 0, total);

  for (size_t k = 0; k < parsed.size(); ++k) {
    auto &[entryName, args] = parsed[k];
    Entry &entry = model->entries_[entryName];
    entry.fn = entries.at(entryName);
    entry.arenaBytes = arenaBytes[entryName];
    entry.args.resize(args.size(), nullptr);
    for (size_t i = 0; i < args.size(); ++i) {
      const Arg &arg = args[i];
      uint8_t *slot = base + offsets[k][i];
      if (arg.role == "input") {
        entry.inputs.push_back({arg.name, arg.shape, arg.dtype});
        entry.inputSlots.push_back(i);
      } else if (arg.role == "output") {
        entry.outputs.push_back({arg.name, arg.shape});
        entry.outputSlots.push_back(i);
      } else if (arg.role == "parameter" || arg.role == "buffer") {
        entry.args[i] = slot;
        auto known = std::find_if(model->state_.begin(), model->state_.end(),
                                  [&](const StateTensor &t) { return t.name == arg.name; });
        if (known != model->state_.end()) {
          if (known->shape != arg.shape)
            return Status::Error("model '" + name + "': entry '" + entryName + "' declares '" +
                                 arg.name + "' with shape " + shapeString(arg.shape) +
                                 ", another entry with " + shapeString(known->shape));
          continue;
        }
        auto w = byName.find(arg.name);
        if (w != byName.end() && w->second->data) {
          if (w->second->shape != arg.shape)
            return Status::Error("model '" + name + "': weight '" + arg.name + "' has shape " +
                                 shapeString(w->second->shape) + ", the model expects " +
                                 shapeString(arg.shape));
          std::memcpy(slot, w->second->data, arg.bytes);
        } else if (arg.role == "parameter" || !generatedBuffer(arg.name)) {
          return Status::Error("model '" + name + "': weights have no tensor '" + arg.name + "'");
        }
        model->state_.push_back({arg.name, arg.shape, arg.role == "parameter", arg.persistent,
                                 reinterpret_cast<float *>(slot)});
      } else if (arg.role == "arena") {
        entry.args[i] = base + arenaOffset;
      } else if (arg.role == "update") {
        // The new value of a parameter or buffer, copied into it after each call.
        auto target = std::find_if(model->state_.begin(), model->state_.end(),
                                   [&](const StateTensor &t) { return t.name == arg.name; });
        if (target == model->state_.end() || target->shape != arg.shape)
          return Status::Error("model '" + name + "': update of '" + arg.name +
                               "' does not match a parameter or buffer of the model");
        entry.args[i] = slot;
        entry.updates.push_back({target->data, reinterpret_cast<const float *>(slot), arg.bytes});
      } else {
        return Status::Error("model '" + name + "': unknown argument role '" + arg.role + "'");
      }
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
  if (site < 0 || static_cast<size_t>(site) >= sites_.size() || !hookError_.empty())
    return;
  if (matchedAt_ != hooks_.generation()) {
    matched_.resize(sites_.size());
    for (size_t i = 0; i < sites_.size(); ++i)
      hooks_.matching(sites_[i].path, sites_[i].kind, &matched_[i]);
    matchedAt_ = hooks_.generation();
  }
  const HookSite &s = sites_[site];
  HookEvent event{s.path, s.kind, s.className, running_, {tensor, &s.shape},
                  {input, &s.inputShape}};
  for (size_t index : matched_[site]) {
    try {
      hooks_.call(index, event);
    } catch (const std::exception &e) {
      hookError_ = std::string(hookKindName(s.kind)) + " hook at '" + s.path + "': " + e.what();
      return;
    } catch (...) {
      hookError_ = std::string(hookKindName(s.kind)) + " hook at '" + s.path + "' threw";
      return;
    }
  }
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
