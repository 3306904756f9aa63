// nn::Sequential, nn::ModuleList and nn::ModuleDict: modules held in order or by key, as torch.nn's containers.
#pragma once

#include "frontend/Module.h"

#include <iterator>
#include <optional>

namespace nncc::nn {

/// Walks a container's modules in key order, duplicates and None included,
/// as iterating a Sequential or ModuleList does in Python.
class ModuleIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = std::shared_ptr<Module>;
  using difference_type = std::ptrdiff_t;
  using pointer = const std::shared_ptr<Module> *;
  using reference = const std::shared_ptr<Module> &;

  explicit ModuleIterator(NamedModules::const_iterator it) : it_(it) {}
  reference operator*() const { return it_->second; }
  pointer operator->() const { return &it_->second; }
  ModuleIterator &operator++() {
    ++it_;
    return *this;
  }
  ModuleIterator operator++(int) { return ModuleIterator(it_++); }
  bool operator==(const ModuleIterator &other) const { return it_ == other.it_; }
  bool operator!=(const ModuleIterator &other) const { return it_ != other.it_; }

private:
  NamedModules::const_iterator it_;
};

/// Runs its children one after another, each output feeding the next.
/// Keys are "0", "1", ... unless built from named pairs; deleting renumbers
/// them, as PyTorch does.
class Sequential : public Module {
public:
  Sequential();
  /// Sequential(a, b, c): keys "0", "1", "2". C++ leaves the evaluation order
  /// of call arguments unspecified; write Sequential{...} (a braced list runs
  /// left to right) when layers built inline must draw their initial
  /// weights in PyTorch's order.
  template <class M, class... Ms>
  explicit Sequential(std::shared_ptr<M> first, std::shared_ptr<Ms>... rest) : Sequential() {
    append(std::move(first));
    (append(std::move(rest)), ...);
  }
  explicit Sequential(const std::vector<std::shared_ptr<Module>> &modules);
  /// Sequential(OrderedDict([...])): the given keys, in the given order.
  explicit Sequential(const NamedModules &modules);

  SymTensor forward(const SymTensor &input) override;

  /// The idx-th module; negative idx counts from the end.
  std::shared_ptr<Module> operator[](int64_t idx) const;
  /// seq[start:stop:step] with Python's slice rules (nullopt is None); the
  /// new Sequential shares the modules and keeps their keys.
  std::shared_ptr<Sequential> slice(std::optional<int64_t> start, std::optional<int64_t> stop,
                                    int64_t step = 1) const;
  Sequential &append(std::shared_ptr<Module> module);
  /// Inserts before position `index` (negative counts from the end).
  Sequential &insert(int64_t index, std::shared_ptr<Module> module);
  /// Appends every module of `modules` (a vector or another container).
  template <class Range> Sequential &extend(const Range &modules) {
    std::vector<std::shared_ptr<Module>> items(std::begin(modules), std::end(modules));
    for (auto &module : items)
      append(std::move(module));
    return *this;
  }
  /// Removes the idx-th module, renumbers the keys, and returns the module.
  std::shared_ptr<Module> pop(int64_t idx);
  size_t size() const { return modules_.size(); }
  ModuleIterator begin() const { return ModuleIterator(modules_.begin()); }
  ModuleIterator end() const { return ModuleIterator(modules_.end()); }
};

/// A list of registered modules ("0", "1", ...) with no forward of its own:
/// the owning module's forward decides how to use them.
class ModuleList : public Module {
public:
  ModuleList();
  explicit ModuleList(const std::vector<std::shared_ptr<Module>> &modules);

  /// The idx-th module; negative idx counts from the end.
  std::shared_ptr<Module> operator[](int64_t idx) const;
  /// list[start:stop:step] as a new ModuleList, renumbered from "0".
  std::shared_ptr<ModuleList> slice(std::optional<int64_t> start, std::optional<int64_t> stop,
                                    int64_t step = 1) const;
  ModuleList &append(std::shared_ptr<Module> module);
  /// Inserts before position `index`, shifting the later keys up, exactly as
  /// ModuleList.insert (which takes no negative index).
  void insert(int64_t index, std::shared_ptr<Module> module);
  template <class Range> ModuleList &extend(const Range &modules) {
    std::vector<std::shared_ptr<Module>> items(std::begin(modules), std::end(modules));
    for (auto &module : items)
      append(std::move(module));
    return *this;
  }
  /// Removes the idx-th module, renumbers the keys, and returns the module.
  std::shared_ptr<Module> pop(int64_t idx);
  size_t size() const { return modules_.size(); }
  ModuleIterator begin() const { return ModuleIterator(modules_.begin()); }
  ModuleIterator end() const { return ModuleIterator(modules_.end()); }
};

/// Registered modules by key, in insertion order, with no forward of its own.
class ModuleDict : public Module {
public:
  ModuleDict();
  explicit ModuleDict(const NamedModules &modules);

  /// The module under `key`; throws when absent.
  std::shared_ptr<Module> operator[](const std::string &key) const;
  /// dict[key] = module: registers it, replacing in place an existing key.
  void set(const std::string &key, std::shared_ptr<Module> module);
  bool contains(const std::string &key) const;
  std::vector<std::string> keys() const;
  std::vector<std::shared_ptr<Module>> values() const;
  const NamedModules &items() const { return modules_; }
  /// Sets every pair in order, overwriting existing keys.
  void update(const NamedModules &modules);
  /// Removes `key` and returns its module; throws when absent.
  std::shared_ptr<Module> pop(const std::string &key);
  void clear() { modules_.clear(); }
  size_t size() const { return modules_.size(); }
  NamedModules::const_iterator begin() const { return modules_.begin(); }
  NamedModules::const_iterator end() const { return modules_.end(); }
};

} // namespace nncc::nn
