// Hook lists, removable handles and the global module hooks.
#include "frontend/Hooks.h"

#include <algorithm>
#include <atomic>

namespace nncc::nn {

template <class Fn> bool HookList<Fn>::erase(int64_t id) {
  auto it = std::find_if(hooks.begin(), hooks.end(), [&](const auto &h) { return h.first == id; });
  if (it == hooks.end())
    return false;
  hooks.erase(it);
  return true;
}

bool HookStore::erase(int64_t id) {
  return forward_pre.erase(id) || forward.erase(id) || backward_pre.erase(id) ||
         backward.erase(id) || grad.erase(id);
}

bool HookStore::empty() const {
  return forward_pre.empty() && forward.empty() && backward_pre.empty() && backward.empty() &&
         grad.empty();
}

void RemovableHandle::remove() {
  if (auto store = store_.lock())
    store->erase(id_);
}

int64_t nextHookId() {
  static std::atomic<int64_t> next{0};
  return next++;
}

std::shared_ptr<HookStore> &globalHooks() {
  static std::shared_ptr<HookStore> store = std::make_shared<HookStore>();
  return store;
}

RemovableHandle register_module_forward_pre_hook(ForwardPreHook hook) {
  int64_t id = nextHookId();
  globalHooks()->forward_pre.add(id, std::move(hook), false);
  return {globalHooks(), id};
}

RemovableHandle register_module_forward_hook(ForwardHook hook, bool) {
  int64_t id = nextHookId();
  globalHooks()->forward.add(id, std::move(hook), false);
  return {globalHooks(), id};
}

RemovableHandle register_module_full_backward_pre_hook(BackwardPreHook hook) {
  int64_t id = nextHookId();
  globalHooks()->backward_pre.add(id, std::move(hook), false);
  return {globalHooks(), id};
}

RemovableHandle register_module_full_backward_hook(BackwardHook hook) {
  int64_t id = nextHookId();
  globalHooks()->backward.add(id, std::move(hook), false);
  return {globalHooks(), id};
}

} // namespace nncc::nn
