// Sequential, ModuleList and ModuleDict: indexing, slicing and editing with container.py's rules and errors.
#include "frontend/Containers.h"

#include "frontend/Error.h"

namespace nncc::nn {

/// The positions list[start:stop:step] selects from a list of `size`, by
/// Python's slice.indices rules.
static std::vector<size_t> sliceIndices(size_t size, std::optional<int64_t> start,
                                        std::optional<int64_t> stop, int64_t step) {
  if (step == 0)
    throw Error("slice step cannot be zero");
  const auto n = static_cast<int64_t>(size);
  auto clamp = [&](std::optional<int64_t> v, int64_t ifNone) {
    if (!v)
      return ifNone;
    int64_t i = *v < 0 ? *v + n : *v;
    if (i < 0)
      return step < 0 ? int64_t(-1) : int64_t(0);
    if (i >= n)
      return step < 0 ? n - 1 : n;
    return i;
  };
  int64_t first = clamp(start, step < 0 ? n - 1 : 0);
  int64_t last = clamp(stop, step < 0 ? -1 : n);
  std::vector<size_t> out;
  for (int64_t i = first; step > 0 ? i < last : i > last; i += step)
    out.push_back(static_cast<size_t>(i));
  return out;
}

/// `idx` made non-negative; throws PyTorch's IndexError text when it is
/// outside [-size, size).
static size_t absoluteIndex(int64_t idx, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (idx < -n || idx >= n)
    throw Error("index " + std::to_string(idx) + " is out of range");
  return static_cast<size_t>(idx < 0 ? idx + n : idx);
}

// --- Sequential ---------------------------------------------------------------

Sequential::Sequential() : Module("Sequential") {}

Sequential::Sequential(const std::vector<std::shared_ptr<Module>> &modules) : Sequential() {
  for (const auto &module : modules)
    append(module);
}

Sequential::Sequential(const NamedModules &modules) : Sequential() {
  for (const auto &[key, module] : modules)
    add_module(key, module);
}

SymTensor Sequential::forward(const SymTensor &input) {
  SymTensor x = input;
  for (const auto &[key, module] : modules_) {
    if (!module)
      throw Error("'NoneType' object is not callable");
    x = (*module)(x);
  }
  return x;
}

std::shared_ptr<Module> Sequential::operator[](int64_t idx) const {
  return modules_[absoluteIndex(idx, modules_.size())].second;
}

std::shared_ptr<Sequential> Sequential::slice(std::optional<int64_t> start,
                                              std::optional<int64_t> stop, int64_t step) const {
  NamedModules picked;
  for (size_t i : sliceIndices(modules_.size(), start, stop, step))
    picked.push_back(modules_[i]);
  return std::make_shared<Sequential>(picked);
}

Sequential &Sequential::append(std::shared_ptr<Module> module) {
  add_module(std::to_string(modules_.size()), std::move(module));
  return *this;
}

Sequential &Sequential::insert(int64_t index, std::shared_ptr<Module> module) {
  if (!module)
    throw Error("module should be of type: <class 'torch.nn.modules.module.Module'>");
  const auto n = static_cast<int64_t>(modules_.size());
  if (index < -n || index > n)
    throw Error("Index out of range: " + std::to_string(index));
  if (index < 0)
    index += n;
  for (int64_t i = n; i > index; --i)
    setModuleSlot(std::to_string(i), moduleSlot(std::to_string(i - 1)));
  setModuleSlot(std::to_string(index), std::move(module));
  return *this;
}

std::shared_ptr<Module> Sequential::pop(int64_t idx) {
  size_t i = absoluteIndex(idx, modules_.size());
  std::shared_ptr<Module> module = modules_[i].second;
  eraseModuleSlot(modules_[i].first);
  renumberModules();
  return module;
}

// --- ModuleList ---------------------------------------------------------------

ModuleList::ModuleList() : Module("ModuleList") {}

ModuleList::ModuleList(const std::vector<std::shared_ptr<Module>> &modules) : ModuleList() {
  extend(modules);
}

std::shared_ptr<Module> ModuleList::operator[](int64_t idx) const {
  return moduleSlot(std::to_string(absoluteIndex(idx, modules_.size())));
}

std::shared_ptr<ModuleList> ModuleList::slice(std::optional<int64_t> start,
                                              std::optional<int64_t> stop, int64_t step) const {
  std::vector<std::shared_ptr<Module>> picked;
  for (size_t i : sliceIndices(modules_.size(), start, stop, step))
    picked.push_back(modules_[i].second);
  return std::make_shared<ModuleList>(picked);
}

ModuleList &ModuleList::append(std::shared_ptr<Module> module) {
  add_module(std::to_string(modules_.size()), std::move(module));
  return *this;
}

void ModuleList::insert(int64_t index, std::shared_ptr<Module> module) {
  for (auto i = static_cast<int64_t>(modules_.size()); i > index; --i)
    setModuleSlot(std::to_string(i), moduleSlot(std::to_string(i - 1)));
  setModuleSlot(std::to_string(index), std::move(module));
}

std::shared_ptr<Module> ModuleList::pop(int64_t idx) {
  std::string key = std::to_string(absoluteIndex(idx, modules_.size()));
  std::shared_ptr<Module> module = moduleSlot(key);
  eraseModuleSlot(key);
  renumberModules();
  return module;
}

// --- ModuleDict ---------------------------------------------------------------

ModuleDict::ModuleDict() : Module("ModuleDict") {}

ModuleDict::ModuleDict(const NamedModules &modules) : ModuleDict() { update(modules); }

std::shared_ptr<Module> ModuleDict::operator[](const std::string &key) const {
  return moduleSlot(key);
}

void ModuleDict::set(const std::string &key, std::shared_ptr<Module> module) {
  add_module(key, std::move(module));
}

bool ModuleDict::contains(const std::string &key) const {
  for (const auto &item : modules_)
    if (item.first == key)
      return true;
  return false;
}

std::vector<std::string> ModuleDict::keys() const {
  std::vector<std::string> out;
  for (const auto &item : modules_)
    out.push_back(item.first);
  return out;
}

std::vector<std::shared_ptr<Module>> ModuleDict::values() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto &item : modules_)
    out.push_back(item.second);
  return out;
}

void ModuleDict::update(const NamedModules &modules) {
  for (const auto &[key, module] : modules)
    set(key, module);
}

std::shared_ptr<Module> ModuleDict::pop(const std::string &key) {
  std::shared_ptr<Module> module = moduleSlot(key);
  eraseModuleSlot(key);
  return module;
}

} // namespace nncc::nn
