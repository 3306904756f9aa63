// Validating an artifact's manifest against its weights, and laying its arguments out in one block.
#include "runtime/Layout.h"

#include <algorithm>
#include <map>

namespace nncc::rt {
namespace {

size_t alignUp(size_t n) { return (n + kLayoutAlignment - 1) / kLayoutAlignment * kLayoutAlignment; }

Status parseArgs(const nlohmann::json &entry, const std::string &model, std::vector<ArgSlot> *out) {
  const auto &args = entry.at("args");
  if (!args.is_array())
    return Status::Error("model '" + model + "': manifest entry has no argument list");
  for (const auto &a : args) {
    ArgSlot arg{a.at("role").get<std::string>(), a.at("name").get<std::string>(),
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

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

bool generatedBuffer(const std::string &name) {
  return name.rfind("grad.", 0) == 0 || name.rfind("optim.", 0) == 0;
}

Status parseManifest(const std::string &manifestJson, nlohmann::json *out) {
  nlohmann::json manifest = nlohmann::json::parse(manifestJson, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object() ||
      manifest.value("format", "") != "nncc-artifact")
    return Status::Error("not an nncc artifact manifest");
  if (manifest.value("version", 0) != 1)
    return Status::Error("unsupported nncc artifact version " +
                         manifest.value("version", nlohmann::json(0)).dump());
  *out = std::move(manifest);
  return Status::Ok();
}

Status planLayout(const nlohmann::json &manifest, const std::vector<WeightView> &weights, bool stageIo,
                  Layout *out) {
  Layout layout;
  layout.model = manifest.value("model", "");
  const std::string &name = layout.model;
  auto entryList = manifest.find("entries");
  try {
    if (entryList != manifest.end() && entryList->is_array())
      for (const auto &e : *entryList) {
        if (!e.is_object() || !e.value("name", nlohmann::json()).is_string())
          return Status::Error("model '" + name + "': manifest entry without a name");
        EntryLayout entry;
        entry.name = e["name"];
        if (Status s = parseArgs(e, name, &entry.args); !s.ok())
          return s;
        entry.arenaBytes = e.value("arena_bytes", int64_t(0));
        layout.entries.push_back(std::move(entry));
      }
  } catch (const nlohmann::json::exception &e) {
    return Status::Error("model '" + name + "': malformed manifest: " + e.what());
  }
  if (std::none_of(layout.entries.begin(), layout.entries.end(),
                   [](const EntryLayout &e) { return e.name == "forward"; }))
    return Status::Error("model '" + name + "': the artifact has no forward entry point");

  std::map<std::string, const WeightView *> byName;
  for (const WeightView &w : weights)
    byName[w.name] = &w;
  // Each parameter and buffer once and each update slot, in manifest order, then one arena as
  // large as the largest entry's (entries run one at a time), then the staged inputs and outputs.
  size_t total = 0, arena = 0;
  for (EntryLayout &entry : layout.entries)
    for (ArgSlot &arg : entry.args) {
      if (arg.role == "parameter" || arg.role == "buffer") {
        auto known = std::find_if(layout.state.begin(), layout.state.end(),
                                  [&](const StateSlot &t) { return t.name == arg.name; });
        if (known != layout.state.end()) {
          if (known->shape != arg.shape)
            return Status::Error("model '" + name + "': entry '" + entry.name + "' declares '" +
                                 arg.name + "' with shape " + shapeString(arg.shape) +
                                 ", another entry with " + shapeString(known->shape));
          arg.offset = known->offset;
          continue;
        }
        StateSlot slot{arg.name, arg.shape, arg.role == "parameter", arg.persistent, total, arg.bytes};
        auto w = byName.find(arg.name);
        if (w != byName.end() && w->second->data) {
          if (w->second->shape != arg.shape)
            return Status::Error("model '" + name + "': weight '" + arg.name + "' has shape " +
                                 shapeString(w->second->shape) + ", the model expects " +
                                 shapeString(arg.shape));
          slot.initial = w->second->data;
        } else if (arg.role == "parameter" || !generatedBuffer(arg.name)) {
          return Status::Error("model '" + name + "': weights have no tensor '" + arg.name + "'");
        }
        arg.offset = total;
        total += alignUp(arg.bytes);
        layout.state.push_back(std::move(slot));
      } else if (arg.role == "update") {
        auto target = std::find_if(layout.state.begin(), layout.state.end(),
                                   [&](const StateSlot &t) { return t.name == arg.name; });
        if (target == layout.state.end() || target->shape != arg.shape)
          return Status::Error("model '" + name + "': update of '" + arg.name +
                               "' does not match a parameter or buffer of the model");
        arg.offset = total;
        total += alignUp(arg.bytes);
      } else if (arg.role == "arena") {
        arena = std::max(arena, arg.bytes);
      } else if (arg.role != "input" && arg.role != "output") {
        return Status::Error("model '" + name + "': unknown argument role '" + arg.role + "'");
      }
    }
  layout.arenaOffset = total;
  total += alignUp(arena);
  for (EntryLayout &entry : layout.entries)
    for (ArgSlot &arg : entry.args)
      if (arg.role == "arena") {
        arg.offset = layout.arenaOffset;
      } else if (stageIo && (arg.role == "input" || arg.role == "output")) {
        arg.offset = total;
        total += alignUp(arg.bytes);
      }
  layout.total = std::max(total, kLayoutAlignment);
  *out = std::move(layout);
  return Status::Ok();
}

} // namespace nncc::rt
