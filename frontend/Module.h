// nn::Module: the base of every layer and model, with torch.nn.Module's registration, traversal, state and printing.
#pragma once

#include "frontend/Hooks.h"
#include "frontend/StateDict.h"
#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nncc {
class Recorder;
}

namespace nncc::nn {

class Module;

/// (name, tensor) pairs in registration order, as named_parameters() yields them.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
/// (name, module) pairs in registration order; a null module is a child
/// registered as None.
using NamedModules = std::vector<std::pair<std::string, std::shared_ptr<Module>>>;

/// What load_state_dict(strict=false) could not match, as PyTorch's
/// _IncompatibleKeys.
struct IncompatibleKeys {
  std::vector<std::string> missing_keys;
  std::vector<std::string> unexpected_keys;
};

/// A node of the model tree: named parameters, buffers and child modules in
/// registration order, a training flag, and a forward(). Held by
/// std::shared_ptr so that children can be shared between parents, as
/// Python references are.
class Module {
public:
  /// `name` is the class name PyTorch prints and reports (type(m).__name__).
  explicit Module(std::string name = "Module");
  virtual ~Module() = default;
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  /// The class name, as type(module).__name__.
  const std::string &name() const { return name_; }
  /// Changes the class name: a lazy module becomes its concrete class
  /// (LazyLinear → Linear), and PyTorch's rename-only subclasses
  /// (NonDynamicallyQuantizableLinear) print under their own name.
  void set_class_name(const std::string &name) { name_ = name; }

  /// The computation this module records; the base one throws, as
  /// PyTorch's _forward_unimplemented.
  virtual SymTensor forward(const SymTensor &input);
  /// Calls forward() inside the recording, with the module path and hooks
  /// (defined by the recorder).
  SymTensor operator()(const SymTensor &input);

  // --- registration -------------------------------------------------------

  /// Registers a parameter (an undefined Tensor registers None, as
  /// bias=False does) and sets its requires_grad. Re-registering a parameter
  /// name replaces it in place. Returns the registered handle.
  Tensor register_parameter(const std::string &name, Tensor param,
                            bool requires_grad = true);
  /// Registers a buffer; a non-persistent one is left out of state_dict().
  Tensor register_buffer(const std::string &name, Tensor tensor,
                         bool persistent = true);
  /// Registers a child module (null registers None), as Module.add_module.
  void add_module(const std::string &name, std::shared_ptr<Module> module);
  /// add_module that hands back the typed pointer, for member initialisation.
  template <class M>
  std::shared_ptr<M> register_module(const std::string &name,
                                     std::shared_ptr<M> module) {
    add_module(name, module);
    return module;
  }

  /// The direct parameter, buffer or child called `name`; throws when this
  /// module has none by that name.
  Tensor &param(const std::string &name);
  const Tensor &param(const std::string &name) const;
  Tensor &buffer(const std::string &name);
  const Tensor &buffer(const std::string &name) const;
  std::shared_ptr<Module> child(const std::string &name) const;
  /// Whether the direct buffer `name` goes into state_dict().
  bool is_persistent_buffer(const std::string &name) const;

  /// Dotted-path lookups ("features.0", "features.0.weight"), as
  /// get_submodule / get_parameter / get_buffer, with their errors.
  Module &get_submodule(const std::string &target);
  Tensor &get_parameter(const std::string &target);
  Tensor &get_buffer(const std::string &target);

  // --- traversal (registration order; shared things appear once) ---------

  std::vector<Tensor> parameters(bool recurse = true) const;
  NamedTensors named_parameters(const std::string &prefix = "",
                                bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  NamedTensors named_buffers(const std::string &prefix = "",
                             bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  NamedModules named_children() const;
  /// This module and all its descendants, depth first, parents before children.
  std::vector<Module *> modules();
  /// As modules(), with dotted paths; the root's path is `prefix`.
  std::vector<std::pair<std::string, Module *>>
  named_modules(const std::string &prefix = "", bool remove_duplicate = true);
  /// Number of parameter elements, counting shared parameters once.
  size_t num_parameters(bool trainable_only = false) const;

  // --- mode and bulk operations --------------------------------------------

  /// Sets the training flag here and in every descendant; returns *this.
  Module &train(bool mode = true);
  Module &eval() { return train(false); }
  bool is_training() const { return training_; }
  /// Sets requires_grad on every parameter (freezing when false).
  Module &requires_grad_(bool requires_grad = true);
  /// Calls `fn` on every descendant, children before parents, then on self.
  Module &apply(const std::function<void(Module &)> &fn);

  // --- state ---------------------------------------------------------------

  /// Parameters (skipping None) then persistent buffers of each module,
  /// recursively, keyed by dotted path; the tensors alias the module's own.
  StateDict state_dict(const std::string &prefix = "") const;
  /// Copies matching entries into the module's tensors. Shape mismatches
  /// always throw (all listed in one error); with `strict`, missing and
  /// unexpected keys throw too, otherwise they are returned. Nothing is
  /// copied when it throws.
  IncompatibleKeys load_state_dict(const StateDict &state_dict, bool strict = true);

  // --- hooks (frontend/Hooks.h) -------------------------------------------

  /// As torch.nn.Module's register_*_hook: each returns a handle whose
  /// remove() detaches the hook. A traced module gets hook points where it
  /// has hooks; the hooks then run in the interpreter and in compiled code.
  RemovableHandle register_forward_pre_hook(ForwardPreHook hook, bool prepend = false);
  RemovableHandle register_forward_hook(ForwardHook hook, bool prepend = false,
                                        bool always_call = false);
  RemovableHandle register_full_backward_pre_hook(BackwardPreHook hook, bool prepend = false);
  RemovableHandle register_full_backward_hook(BackwardHook hook, bool prepend = false);
  /// This module's own hooks (the global ones are in globalHooks()).
  const HookStore &hooks() const { return *hooks_; }

  // --- printing ------------------------------------------------------------

  /// The layer's settings inside its parentheses ("in_features=4, ...").
  virtual std::string extra_repr() const { return ""; }
  /// The tree as PyTorch's repr(module) prints it.
  std::string to_string() const;

protected:
  /// Storage, as PyTorch's _parameters, _buffers, _modules and
  /// _non_persistent_buffers_set; containers edit modules_ directly.
  NamedTensors params_;
  NamedTensors buffers_;
  NamedModules modules_;
  std::set<std::string> nonPersistent_;

  /// Sets `key` in modules_ without the registration checks, keeping its
  /// position when present (OrderedDict item assignment).
  void setModuleSlot(const std::string &key, std::shared_ptr<Module> module);
  /// The module under `key`, which must exist.
  const std::shared_ptr<Module> &moduleSlot(const std::string &key) const;
  /// Removes `key` from modules_, as `del self._modules[key]`.
  void eraseModuleSlot(const std::string &key);
  /// Renames every child to its position ("0", "1", ...), as containers do
  /// after a deletion.
  void renumberModules();

private:
  /// Whether `name` is a parameter, buffer or child here (Python's hasattr).
  bool hasAttribute(const std::string &name) const;
  void collectModules(std::vector<std::pair<std::string, const Module *>> &out,
                      std::set<const Module *> &memo, const std::string &prefix,
                      bool remove_duplicate) const;
  NamedTensors namedMembers(const NamedTensors Module::*members,
                            const std::string &prefix, bool recurse) const;
  void saveTo(StateDict &dest, const std::string &prefix) const;
  /// Collects missing/unexpected keys and size mismatches; copies the
  /// matching tensors only when `apply`.
  void loadFrom(const StateDict &state_dict, const std::string &prefix,
                IncompatibleKeys &keys, std::vector<std::string> &errors, bool apply);

  std::string name_;
  bool training_ = true;
  std::shared_ptr<HookStore> hooks_ = std::make_shared<HookStore>();
};

/// Puts the ops recorded while it lives under `module`'s path, as
/// operator() does around forward(). For modules whose forward takes or
/// returns several tensors (MultiheadAttention, LSTM): their typed forward
/// opens a CallScope first, and calls done(output) with its main output.
class CallScope {
public:
  explicit CallScope(const Module &module);
  ~CallScope();
  CallScope(const CallScope &) = delete;
  CallScope &operator=(const CallScope &) = delete;
  /// Leaves the path, recording the call's output shape.
  void done(const SymTensor &output);

private:
  Recorder *recorder_;
};

/// Prints module.to_string().
std::ostream &operator<<(std::ostream &os, const Module &module);

} // namespace nncc::nn
