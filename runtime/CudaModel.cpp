// Laying the model out in device memory and running an entry's plan on the device.
#include "runtime/CudaModel.h"
#include "runtime/CudaDriver.h"
#include "runtime/FileIO.h"
#include "runtime/Safetensors.h"

#include <algorithm>
#include <array>
#include <climits>
#include <filesystem>

namespace nncc::rt {
namespace {

/// Whether a GEMM operand of `rows` x `cols` (as stored), `batch` times, stays inside an argument
/// of `numel` elements.
bool inside(const GemmOperand &o, int64_t rows, int64_t cols, int64_t batch, int64_t numel) {
  if (o.offset < 0 || o.ld < 1 || o.stride < 0)
    return false;
  int64_t last = o.offset + (batch - 1) * o.stride + (cols - 1) * o.ld + (rows - 1);
  return last < numel;
}

Status checkGemm(const GemmStep &g, const EntryLayout &entry, int64_t workspaceBytes, const std::string &model) {
  auto numel = [&](int arg) {
    return static_cast<int64_t>(static_cast<size_t>(arg) < entry.args.size() ? entry.args[arg].bytes / 4
                                                                            : workspaceBytes / 4);
  };
  bool fits = inside(g.a, g.transa ? g.k : g.m, g.transa ? g.m : g.k, g.batch, numel(g.a.arg)) &&
              inside(g.b, g.transb ? g.n : g.k, g.transb ? g.k : g.n, g.batch, numel(g.b.arg)) &&
              inside(g.c, g.m, g.n, g.batch, numel(g.c.arg)) &&
              (!g.epilogue || (inside(g.bias, g.m, 1, 1, numel(g.bias.arg)) &&
                               inside(g.d, g.m, g.n, 1, numel(g.d.arg)))) &&
              g.m <= INT_MAX && g.n <= INT_MAX &&
              g.k <= INT_MAX && g.batch <= INT_MAX && g.a.ld <= INT_MAX && g.b.ld <= INT_MAX &&
              g.c.ld <= INT_MAX;
  if (!fits)
    return Status::Error("model '" + model + "': CUDA plan of '" + entry.name +
                         "': a GEMM reads or writes outside its arguments");
  return Status::Ok();
}

int64_t numelOf(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Status checkHook(const HookStep &h, const std::vector<HookSite> &sites, const EntryLayout &entry,
                 const std::string &model) {
  auto fits = [&](const HookPlace &p, const std::vector<int64_t> &shape) {
    return static_cast<size_t>(p.arg) < entry.args.size() && p.offset >= 0 &&
           p.offset + numelOf(shape) <= static_cast<int64_t>(entry.args[p.arg].bytes / 4);
  };
  if (static_cast<size_t>(h.site) >= sites.size() || !fits(h.tensor, sites[h.site].shape) ||
      (h.input.arg >= 0 && !fits(h.input, sites[h.site].inputShape)))
    return Status::Error("model '" + model + "': CUDA plan of '" + entry.name + "': hook point " +
                         std::to_string(h.site) + " does not match the manifest's hook points");
  return Status::Ok();
}

} // namespace

CudaModel::~CudaModel() {
  if (block_)
    device_->release(block_);
}

Status CudaModel::create(const std::string &descriptionJson, const std::vector<WeightView> &weights,
                         std::unique_ptr<CudaDevice> device, std::unique_ptr<CudaModel> *out) {
  nlohmann::json description = nlohmann::json::parse(descriptionJson, nullptr, false);
  if (description.is_discarded() || !description.is_object() || !description.contains("manifest") ||
      !description.contains("plan"))
    return Status::Error("not an nncc CUDA artifact (a .cuda.json with a manifest and a plan)");
  nlohmann::json manifest;
  if (Status s = parseManifest(description["manifest"].dump(), &manifest); !s.ok())
    return s;
  std::unique_ptr<CudaModel> model(new CudaModel());
  model->device_ = std::move(device);
  if (Status s = planLayout(manifest, weights, /*stageIo=*/true, &model->layout_); !s.ok())
    return s;
  const std::string &name = model->layout_.model;
  std::map<std::string, size_t> argCounts;
  for (const EntryLayout &e : model->layout_.entries)
    argCounts[e.name] = e.args.size();
  if (Status s = parseCudaPlan(description["plan"], name, argCounts, &model->plan_); !s.ok())
    return s;
  if (Status s = model->sites_.parse(manifest, name); !s.ok())
    return s;
  for (const HookSite &site : model->sites_.sites()) {
    model->hookTensors_.emplace_back(static_cast<size_t>(numelOf(site.shape)));
    model->hookInputs_.emplace_back(static_cast<size_t>(numelOf(site.inputShape)));
  }
  bool gemms = false;
  for (const EntryLayout &e : model->layout_.entries)
    for (const PlanStep &step : model->plan_.entries[e.name]) {
      if (step.kind == PlanStep::Kind::Gemm) {
        gemms = true;
        if (Status s = checkGemm(step.gemmStep, e, model->plan_.workspaceBytes[e.name], name); !s.ok())
          return s;
      } else if (step.kind == PlanStep::Kind::Hook) {
        if (Status s = checkHook(step.hook, model->sites_.sites(), e, name); !s.ok())
          return s;
      }
    }
  CudaDevice &dev = *model->device_;
  if (Status s = dev.prepare(model->plan_.kernels, gemms); !s.ok())
    return Status::Error("model '" + name + "' on " + dev.describe() + ": " + s.message());
  // The entries' scratch memory (one at a time, like the arena) after the layout's block.
  size_t workspace = 0;
  for (const auto &[entry, bytes] : model->plan_.workspaceBytes)
    workspace = std::max(workspace, static_cast<size_t>(bytes));
  size_t total = model->layout_.total + workspace;
  if (Status s = dev.allocate(total, &model->block_); !s.ok())
    return Status::Error("model '" + name + "' on " + dev.describe() + ": cannot allocate " +
                         std::to_string(total) + " bytes: " + s.message());
  if (Status s = dev.zero(model->block_, total); !s.ok())
    return s;
  for (const StateSlot &t : model->layout_.state)
    if (t.initial)
      if (Status s = dev.upload(model->block_ + t.offset, t.initial, t.bytes); !s.ok())
        return s;

  for (const EntryLayout &e : model->layout_.entries) {
    Entry &entry = model->entries_[e.name];
    entry.steps = &model->plan_.entries[e.name];
    for (size_t i = 0; i < e.args.size(); ++i) {
      const ArgSlot &arg = e.args[i];
      entry.args.push_back(model->block_ + arg.offset);
      if (arg.role == "input") {
        entry.inputs.push_back({arg.name, arg.shape, arg.dtype});
        entry.inputSlots.push_back(i);
      } else if (arg.role == "output") {
        entry.outputs.push_back({arg.name, arg.shape});
        entry.outputSlots.push_back(i);
      } else if (arg.role == "update") {
        for (const StateSlot &t : model->layout_.state)
          if (t.name == arg.name)
            entry.updates.push_back({t.offset, arg.offset, arg.bytes});
      }
    }
    entry.args.push_back(model->block_ + model->layout_.total); // the workspace
  }
  if (Status s = dev.synchronize(); !s.ok())
    return s;
  *out = std::move(model);
  return Status::Ok();
}

Status CudaModel::load(const std::string &path, int device, std::unique_ptr<CudaModel> *out) {
  std::vector<uint8_t> bytes;
  if (Status s = io::readFile(path, &bytes); !s.ok())
    return s;
  std::string text(bytes.begin(), bytes.end());
  nlohmann::json description = nlohmann::json::parse(text, nullptr, false);
  if (description.is_discarded() || !description.is_object())
    return Status::Error(path + ": not an nncc CUDA artifact (malformed JSON)");
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::map<std::string, std::string> images;
  nlohmann::json files = description.value("images", nlohmann::json::object());
  for (const auto &[arch, file] : files.items()) {
    if (!file.is_string())
      return Status::Error(path + ": image '" + arch + "' is not a file name");
    if (Status s = io::readFile((dir / file.get<std::string>()).string(), &bytes); !s.ok())
      return s;
    images[arch].assign(bytes.begin(), bytes.end());
  }
  if (images.empty())
    return Status::Error(path + ": the artifact has no kernel images (it was compiled without NVRTC)");
  SafetensorsReader reader;
  if (Status s = SafetensorsReader::open((dir / description.value("weights", "")).string(), &reader);
      !s.ok())
    return s;
  std::vector<std::vector<float>> copies;
  return open(text, images, weightViews(reader, &copies), device, out);
}

Status CudaModel::open(const std::string &descriptionJson, const std::map<std::string, std::string> &images,
                       const std::vector<WeightView> &weights, int device, std::unique_ptr<CudaModel> *out) {
  // The device first: without one, that is what a user needs to hear, whatever the artifact.
  std::unique_ptr<CudaDriver> driver;
  if (Status s = CudaDriver::load(device, &driver); !s.ok())
    return s;
  if (images.empty())
    return Status::Error("the artifact has no kernel images (it was compiled without NVRTC)");
  std::unique_ptr<CudaDevice> opened;
  if (Status s = CudaDriver::open(std::move(driver), images, &opened); !s.ok())
    return s;
  return create(descriptionJson, weights, std::move(opened), out);
}

const std::vector<TensorInfo> *CudaModel::entry_inputs(const std::string &entry) const {
  auto it = entries_.find(entry);
  return it == entries_.end() ? nullptr : &it->second.inputs;
}

const std::vector<TensorInfo> *CudaModel::entry_outputs(const std::string &entry) const {
  auto it = entries_.find(entry);
  return it == entries_.end() ? nullptr : &it->second.outputs;
}

Status CudaModel::runHook(const std::string &entry, const Entry &e, const HookStep &h) {
  if (!sites_.active(hooks_, h.site))
    return Status::Ok();
  std::vector<float> &tensor = hookTensors_[h.site], &input = hookInputs_[h.site];
  DevicePtr at = e.args[h.tensor.arg] + 4 * h.tensor.offset;
  if (Status s = device_->download(tensor.data(), at, 4 * tensor.size()); !s.ok())
    return s;
  if (h.input.arg >= 0)
    if (Status s = device_->download(input.data(), e.args[h.input.arg] + 4 * h.input.offset, 4 * input.size());
        !s.ok())
      return s;
  std::string error = sites_.run(hooks_, h.site, entry.c_str(), tensor.data(), h.input.arg >= 0 ? input.data() : nullptr);
  if (!error.empty())
    return Status::Error(error);
  return device_->upload(at, tensor.data(), 4 * tensor.size());
}

Status CudaModel::run(const std::string &entry, const Entry &e) {
  CudaDevice &dev = *device_;
  std::vector<DevicePtr> args;
  for (const PlanStep &step : *e.steps) {
    Status s = Status::Ok();
    switch (step.kind) {
    case PlanStep::Kind::Gemm: {
      const GemmStep &g = step.gemmStep;
      s = dev.gemm(g, e.args[g.a.arg] + 4 * g.a.offset, e.args[g.b.arg] + 4 * g.b.offset,
                   e.args[g.c.arg] + 4 * g.c.offset, g.epilogue ? e.args[g.bias.arg] + 4 * g.bias.offset : 0,
                   g.epilogue ? e.args[g.d.arg] + 4 * g.d.offset : 0);
      if (!s.ok())
        return Status::Error("GEMM at '" + step.at + "': " + s.message());
      break;
    }
    case PlanStep::Kind::Kernel:
      args.clear();
      for (int a : step.kernel.args)
        args.push_back(e.args[a]);
      s = dev.launch(step.kernel.kernel, step.kernel.grid, step.kernel.block, args);
      if (!s.ok())
        return Status::Error(plan_.kernels[step.kernel.kernel] + " at '" + step.at + "': " + s.message());
      break;
    case PlanStep::Kind::Hook:
      if (Status h = runHook(entry, e, step.hook); !h.ok())
        return h;
      break;
    }
  }
  return Status::Ok();
}

Status CudaModel::call(const std::string &entry, const void *const *inputs, void *const *outputs) {
  const std::string &model = layout_.model;
  auto it = entries_.find(entry);
  if (it == entries_.end())
    return Status::Error("model '" + model + "' was compiled without " + entry +
                         " (compile with --mode=train)");
  const Entry &e = it->second;
  const EntryLayout *layout = nullptr;
  for (const EntryLayout &l : layout_.entries)
    if (l.name == entry)
      layout = &l;
  auto fail = [&](const Status &s) {
    return Status::Error("model '" + model + "' on " + device_->describe() + ": " + entry + ": " +
                         s.message());
  };
  for (size_t i = 0; i < e.inputSlots.size(); ++i) {
    if (!inputs || !inputs[i])
      return Status::Error("model '" + model + "': " + entry + " input '" + e.inputs[i].name + "' is null");
    size_t slot = e.inputSlots[i];
    if (Status s = device_->upload(e.args[slot], inputs[i], layout->args[slot].bytes); !s.ok())
      return fail(s);
  }
  for (size_t i = 0; i < e.outputSlots.size(); ++i)
    if (!outputs || !outputs[i])
      return Status::Error("model '" + model + "': " + entry + " output '" + e.outputs[i].name + "' is null");
  if (Status s = run(entry, e); !s.ok())
    return fail(s);
  for (const auto &[state, update, bytes] : e.updates)
    if (Status s = device_->copy(block_ + state, block_ + update, bytes); !s.ok())
      return fail(s);
  for (size_t i = 0; i < e.outputSlots.size(); ++i) {
    size_t slot = e.outputSlots[i];
    if (Status s = device_->download(outputs[i], e.args[slot], layout->args[slot].bytes); !s.ok())
      return fail(s);
  }
  if (Status s = device_->synchronize(); !s.ok())
    return fail(s);
  return Status::Ok();
}

Status CudaModel::forward(const void *const *inputs, float *const *outputs) {
  return call("forward", inputs, reinterpret_cast<void *const *>(outputs));
}

Status CudaModel::backward(const void *const *inputs, GradMode mode) {
  if (mode == GradMode::Overwrite && has_entry("backward"))
    if (Status s = zero_grad(); !s.ok())
      return s;
  return call("backward", inputs, nullptr);
}

Status CudaModel::train_step(const void *const *inputs, float *loss) {
  void *outputs[] = {loss};
  return call("train_step", inputs, outputs);
}

Status CudaModel::zero_grad() {
  for (const StateSlot &t : layout_.state)
    if (t.name.rfind("grad.", 0) == 0)
      if (Status s = device_->zero(block_ + t.offset, t.bytes); !s.ok())
        return s;
  return device_->synchronize();
}

Status CudaModel::read(const std::string &name, float *out) const {
  for (const StateSlot &t : layout_.state)
    if (t.name == name)
      return device_->download(out, block_ + t.offset, t.bytes);
  return Status::Error("model '" + layout_.model + "' has no parameter or buffer '" + name + "'");
}

Status CudaModel::save_state_dict(const std::string &path) const {
  std::vector<std::vector<float>> values;
  std::vector<SafetensorsEntry> entries;
  values.reserve(layout_.state.size());
  for (const StateSlot &t : layout_.state)
    if (t.persistent && !generatedBuffer(t.name)) {
      values.emplace_back(t.bytes / 4);
      if (Status s = read(t.name, values.back().data()); !s.ok())
        return s;
      entries.push_back({t.name, t.shape, values.back().data()});
    }
  return writeSafetensors(path, entries);
}

} // namespace nncc::rt
