// nn::Module: registration rules, traversal order, state_dict loading and repr, as torch.nn.Module.
#include "frontend/Module.h"

#include "frontend/Error.h"

#include <algorithm>
#include <sstream>
#include <utility>

namespace nncc::nn {

/// The entry of `items` named `name`, or null.
template <class Items>
static auto findItem(Items &items, const std::string &name) -> decltype(&items.front()) {
  for (auto &item : items)
    if (item.first == name)
      return &item;
  return nullptr;
}

/// Sets `name` to `value`, keeping its position when present (OrderedDict
/// item assignment).
template <class Items, class Value>
static void setItem(Items &items, const std::string &name, Value value) {
  if (auto *item = findItem(items, name))
    item->second = std::move(value);
  else
    items.emplace_back(name, std::move(value));
}

/// "torch.Size([3, 4])", as a shape prints in PyTorch's messages.
static std::string torchSize(const Shape &shape) {
  return "torch.Size(" + shapeToString(shape) + ")";
}

/// PyTorch's _addindent: indents every line but the first by `spaces`.
static std::string addIndent(const std::string &text, int spaces) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n')
      out.append(static_cast<size_t>(spaces), ' ');
  }
  return out;
}

Module::Module(std::string name) : name_(std::move(name)) {}

SymTensor Module::forward(const SymTensor &) {
  throw Error("Module [" + name_ + "] is missing the required \"forward\" function");
}

bool Module::hasAttribute(const std::string &name) const {
  return findItem(params_, name) || findItem(buffers_, name) || findItem(modules_, name);
}

Tensor Module::register_parameter(const std::string &name, Tensor param,
                                  bool requires_grad) {
  if (name.find('.') != std::string::npos)
    throw Error("parameter name can't contain \".\"");
  if (name.empty())
    throw Error("parameter name can't be empty string \"\"");
  if (hasAttribute(name) && !findItem(params_, name))
    throw Error("attribute '" + name + "' already exists");
  if (param.defined())
    param.requires_grad_(requires_grad);
  setItem(params_, name, param);
  return param;
}

Tensor Module::register_buffer(const std::string &name, Tensor tensor, bool persistent) {
  if (name.find('.') != std::string::npos)
    throw Error("buffer name can't contain \".\"");
  if (name.empty())
    throw Error("buffer name can't be empty string \"\"");
  if (hasAttribute(name) && !findItem(buffers_, name))
    throw Error("attribute '" + name + "' already exists");
  setItem(buffers_, name, tensor);
  if (persistent)
    nonPersistent_.erase(name);
  else
    nonPersistent_.insert(name);
  return tensor;
}

void Module::add_module(const std::string &name, std::shared_ptr<Module> module) {
  if (hasAttribute(name) && !findItem(modules_, name))
    throw Error("attribute '" + name + "' already exists");
  if (name.find('.') != std::string::npos)
    throw Error("module name can't contain \".\", got: " + name);
  if (name.empty())
    throw Error("module name can't be empty string \"\"");
  setItem(modules_, name, std::move(module));
}

RemovableHandle Module::register_forward_pre_hook(ForwardPreHook hook, bool prepend) {
  int64_t id = nextHookId();
  hooks_->forward_pre.add(id, std::move(hook), prepend);
  return {hooks_, id};
}

RemovableHandle Module::register_forward_hook(ForwardHook hook, bool prepend, bool) {
  int64_t id = nextHookId();
  hooks_->forward.add(id, std::move(hook), prepend);
  return {hooks_, id};
}

RemovableHandle Module::register_full_backward_pre_hook(BackwardPreHook hook, bool prepend) {
  int64_t id = nextHookId();
  hooks_->backward_pre.add(id, std::move(hook), prepend);
  return {hooks_, id};
}

RemovableHandle Module::register_full_backward_hook(BackwardHook hook, bool prepend) {
  int64_t id = nextHookId();
  hooks_->backward.add(id, std::move(hook), prepend);
  return {hooks_, id};
}

const Tensor &Module::param(const std::string &name) const {
  if (auto *item = findItem(params_, name))
    return item->second;
  throw Error("'" + name_ + "' object has no parameter '" + name + "'");
}

Tensor &Module::param(const std::string &name) {
  return const_cast<Tensor &>(std::as_const(*this).param(name));
}

const Tensor &Module::buffer(const std::string &name) const {
  if (auto *item = findItem(buffers_, name))
    return item->second;
  throw Error("'" + name_ + "' object has no buffer '" + name + "'");
}

Tensor &Module::buffer(const std::string &name) {
  return const_cast<Tensor &>(std::as_const(*this).buffer(name));
}

std::shared_ptr<Module> Module::child(const std::string &name) const {
  if (auto *item = findItem(modules_, name))
    return item->second;
  throw Error("'" + name_ + "' object has no child module '" + name + "'");
}

bool Module::is_persistent_buffer(const std::string &name) const {
  if (!findItem(buffers_, name))
    throw Error("'" + name_ + "' object has no buffer '" + name + "'");
  return nonPersistent_.count(name) == 0;
}

void Module::setModuleSlot(const std::string &key, std::shared_ptr<Module> module) {
  setItem(modules_, key, std::move(module));
}

const std::shared_ptr<Module> &Module::moduleSlot(const std::string &key) const {
  if (auto *item = findItem(modules_, key))
    return item->second;
  throw Error("key '" + key + "' not in " + name_);
}

void Module::eraseModuleSlot(const std::string &key) {
  moduleSlot(key);
  modules_.erase(std::find_if(modules_.begin(), modules_.end(),
                              [&](const auto &item) { return item.first == key; }));
}

void Module::renumberModules() {
  for (size_t i = 0; i < modules_.size(); ++i)
    modules_[i].first = std::to_string(i);
}

/// Splits "a.b.c" into {"a", "b", "c"}, as str.split('.').
static std::vector<std::string> splitPath(const std::string &path) {
  std::vector<std::string> atoms;
  std::string atom;
  std::istringstream in(path);
  while (std::getline(in, atom, '.'))
    atoms.push_back(atom);
  if (!path.empty() && path.back() == '.')
    atoms.emplace_back();
  return atoms;
}

Module &Module::get_submodule(const std::string &target) {
  Module *mod = this;
  if (target.empty())
    return *mod;
  for (const std::string &item : splitPath(target)) {
    if (!mod->hasAttribute(item))
      throw Error(mod->name_ + " has no attribute `" + item + "`");
    auto *slot = findItem(mod->modules_, item);
    if (!slot || !slot->second)
      throw Error("`" + item + "` is not an nn.Module");
    mod = slot->second.get();
  }
  return *mod;
}

/// Splits "a.b.c" at its last '.', as str.rpartition('.'): {"a.b", "c"}.
static std::pair<std::string, std::string> splitLast(const std::string &target) {
  size_t dot = target.rfind('.');
  if (dot == std::string::npos)
    return {"", target};
  return {target.substr(0, dot), target.substr(dot + 1)};
}

Tensor &Module::get_parameter(const std::string &target) {
  auto [path, leaf] = splitLast(target);
  Module &mod = get_submodule(path);
  if (!mod.hasAttribute(leaf))
    throw Error(mod.name_ + " has no attribute `" + leaf + "`");
  auto *item = findItem(mod.params_, leaf);
  if (!item || !item->second.defined())
    throw Error("`" + leaf + "` is not an nn.Parameter");
  return item->second;
}

Tensor &Module::get_buffer(const std::string &target) {
  auto [path, leaf] = splitLast(target);
  Module &mod = get_submodule(path);
  if (!mod.hasAttribute(leaf))
    throw Error(mod.name_ + " has no attribute `" + leaf + "`");
  auto *item = findItem(mod.buffers_, leaf);
  if (!item)
    throw Error("`" + leaf + "` is not a buffer");
  return item->second;
}

// --- traversal ---------------------------------------------------------------

void Module::collectModules(std::vector<std::pair<std::string, const Module *>> &out,
                            std::set<const Module *> &memo, const std::string &prefix,
                            bool remove_duplicate) const {
  if (memo.count(this))
    return;
  if (remove_duplicate)
    memo.insert(this);
  out.emplace_back(prefix, this);
  for (const auto &[name, module] : modules_)
    if (module)
      module->collectModules(out, memo, prefix + (prefix.empty() ? "" : ".") + name,
                             remove_duplicate);
}

std::vector<std::pair<std::string, Module *>>
Module::named_modules(const std::string &prefix, bool remove_duplicate) {
  std::vector<std::pair<std::string, const Module *>> found;
  std::set<const Module *> memo;
  collectModules(found, memo, prefix, remove_duplicate);
  std::vector<std::pair<std::string, Module *>> out;
  // Every module reached from a non-const *this is itself non-const.
  for (auto &[path, module] : found)
    out.emplace_back(path, const_cast<Module *>(module));
  return out;
}

std::vector<Module *> Module::modules() {
  std::vector<Module *> out;
  for (auto &[path, module] : named_modules())
    out.push_back(module);
  return out;
}

NamedTensors Module::namedMembers(const NamedTensors Module::*members,
                                  const std::string &prefix, bool recurse) const {
  std::vector<std::pair<std::string, const Module *>> mods;
  std::set<const Module *> moduleMemo;
  if (recurse)
    collectModules(mods, moduleMemo, prefix, true);
  else
    mods.emplace_back(prefix, this);
  NamedTensors out;
  std::set<const void *> memo;
  for (const auto &[modulePrefix, module] : mods)
    for (const auto &[name, tensor] : module->*members) {
      if (!tensor.defined() || !memo.insert(tensor.id()).second)
        continue;
      out.emplace_back(modulePrefix + (modulePrefix.empty() ? "" : ".") + name, tensor);
    }
  return out;
}

NamedTensors Module::named_parameters(const std::string &prefix, bool recurse) const {
  return namedMembers(&Module::params_, prefix, recurse);
}

NamedTensors Module::named_buffers(const std::string &prefix, bool recurse) const {
  return namedMembers(&Module::buffers_, prefix, recurse);
}

/// The tensors of `named`, in order.
static std::vector<Tensor> valuesOf(const NamedTensors &named) {
  std::vector<Tensor> out;
  for (const auto &item : named)
    out.push_back(item.second);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  return valuesOf(named_parameters("", recurse));
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  return valuesOf(named_buffers("", recurse));
}

NamedModules Module::named_children() const {
  NamedModules out;
  std::set<const Module *> memo;
  for (const auto &[name, module] : modules_)
    if (module && memo.insert(module.get()).second)
      out.emplace_back(name, module);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::children() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto &item : named_children())
    out.push_back(item.second);
  return out;
}

size_t Module::num_parameters(bool trainable_only) const {
  size_t count = 0;
  for (const Tensor &p : parameters())
    if (p.is_initialized() && (!trainable_only || p.requires_grad()))
      count += static_cast<size_t>(p.numel());
  return count;
}

// --- mode and bulk operations -------------------------------------------------

Module &Module::train(bool mode) {
  training_ = mode;
  for (const auto &module : children())
    module->train(mode);
  return *this;
}

Module &Module::requires_grad_(bool requires_grad) {
  for (Tensor &p : parameters())
    p.requires_grad_(requires_grad);
  return *this;
}

Module &Module::apply(const std::function<void(Module &)> &fn) {
  for (const auto &module : children())
    module->apply(fn);
  fn(*this);
  return *this;
}

// --- state --------------------------------------------------------------------

void Module::saveTo(StateDict &dest, const std::string &prefix) const {
  for (const auto &[name, param] : params_)
    if (param.defined())
      dest.insert(prefix + name, param);
  for (const auto &[name, buf] : buffers_)
    if (buf.defined() && !nonPersistent_.count(name))
      dest.insert(prefix + name, buf);
  for (const auto &[name, module] : modules_)
    if (module)
      module->saveTo(dest, prefix + name + ".");
}

StateDict Module::state_dict(const std::string &prefix) const {
  StateDict dest;
  saveTo(dest, prefix);
  return dest;
}

/// PyTorch's _load_from_state_dict for one module, then its children.
void Module::loadFrom(const StateDict &state_dict, const std::string &prefix,
                      IncompatibleKeys &keys, std::vector<std::string> &errors, bool apply) {
  NamedTensors local;
  for (const auto &[name, param] : params_)
    if (param.defined())
      local.emplace_back(name, param);
  for (const auto &[name, buf] : buffers_)
    if (buf.defined() && !nonPersistent_.count(name))
      local.emplace_back(name, buf);

  for (auto &[name, tensor] : local) {
    std::string key = prefix + name;
    const Tensor *input = state_dict.find(key);
    if (!input) {
      keys.missing_keys.push_back(key);
      continue;
    }
    if (!tensor.is_initialized()) {
      // A lazy module's parameter takes its shape from the checkpoint.
      if (apply)
        tensor.materialize_(input->shape());
    } else if (input->shape() != tensor.shape()) {
      errors.push_back("size mismatch for " + key + ": copying a param with shape " +
                       torchSize(input->shape()) +
                       " from checkpoint, the shape in current model is " +
                       torchSize(tensor.shape()) + ".");
      continue;
    }
    if (apply)
      tensor.copy_(*input);
  }

  for (const auto &[key, value] : state_dict) {
    if (key.compare(0, prefix.size(), prefix) != 0)
      continue;
    std::string inputName = key.substr(prefix.size());
    inputName = inputName.substr(0, inputName.find('.'));
    if (!findItem(modules_, inputName) && !findItem(local, inputName))
      keys.unexpected_keys.push_back(key);
  }

  for (const auto &[name, module] : modules_)
    if (module)
      module->loadFrom(state_dict, prefix + name + ".", keys, errors, apply);
}

/// `"a", "b"`: keys quoted and comma-separated, as PyTorch lists them.
static std::string quoteKeys(const std::vector<std::string> &keys) {
  std::string out;
  for (const std::string &key : keys)
    out += (out.empty() ? "\"" : ", \"") + key + "\"";
  return out;
}

IncompatibleKeys Module::load_state_dict(const StateDict &state_dict, bool strict) {
  // Check everything first and copy only when nothing is wrong, so a failed
  // load leaves the module as it was.
  IncompatibleKeys keys;
  std::vector<std::string> errors;
  loadFrom(state_dict, "", keys, errors, /*apply=*/false);
  if (strict) {
    if (!keys.unexpected_keys.empty())
      errors.insert(errors.begin(), "Unexpected key(s) in state_dict: " +
                                        quoteKeys(keys.unexpected_keys) + ". ");
    if (!keys.missing_keys.empty())
      errors.insert(errors.begin(),
                    "Missing key(s) in state_dict: " + quoteKeys(keys.missing_keys) + ". ");
  }
  if (!errors.empty()) {
    std::string message = "Error(s) in loading state_dict for " + name_ + ":";
    for (const std::string &error : errors)
      message += "\n\t" + error;
    throw Error(message);
  }
  IncompatibleKeys applied;
  loadFrom(state_dict, "", applied, errors, /*apply=*/true);
  return keys;
}

// --- printing -------------------------------------------------------------------

std::string Module::to_string() const {
  std::vector<std::string> extraLines;
  std::string extra = extra_repr();
  if (!extra.empty()) {
    std::istringstream in(extra);
    std::string line;
    while (std::getline(in, line))
      extraLines.push_back(line);
    if (extra.back() == '\n')
      extraLines.emplace_back();
  }
  std::vector<std::string> childLines;
  for (const auto &[key, module] : modules_)
    childLines.push_back("(" + key + "): " +
                         addIndent(module ? module->to_string() : "None", 2));

  std::string out = name_ + "(";
  if (extraLines.size() == 1 && childLines.empty()) {
    out += extraLines.front();
  } else if (!extraLines.empty() || !childLines.empty()) {
    std::vector<std::string> lines = extraLines;
    lines.insert(lines.end(), childLines.begin(), childLines.end());
    for (const std::string &line : lines)
      out += "\n  " + line;
    out += "\n";
  }
  return out + ")";
}

std::ostream &operator<<(std::ostream &os, const Module &module) {
  return os << module.to_string();
}

} // namespace nncc::nn
