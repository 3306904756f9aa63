// Hook callbacks by module path: attaching, switching and matching.
#include "runtime/Hooks.h"

#include <fnmatch.h>

#include <algorithm>
#include <utility>

namespace nncc::rt {
namespace {
constexpr const char *kKindNames[] = {"forward_pre", "forward", "backward_pre", "backward", "grad"};
}

const char *hookKindName(HookKind kind) { return kKindNames[static_cast<int>(kind)]; }

bool parseHookKind(const std::string &name, HookKind *kind) {
  for (int k = 0; k < 5; ++k)
    if (name == kKindNames[k]) {
      *kind = static_cast<HookKind>(k);
      return true;
    }
  return false;
}

bool pathMatches(const std::string &pattern, const std::string &path) {
  return fnmatch(pattern.c_str(), path.c_str(), 0) == 0;
}

int64_t HookTensor::numel() const {
  int64_t n = 1;
  if (shape)
    for (int64_t d : *shape)
      n *= d;
  return n;
}

HookHandle Hooks::attach(const std::string &pattern, HookKind kind, HookFn fn, bool prepend) {
  HookHandle handle{nextId_++};
  Callback callback{handle.id, pattern, kind, std::move(fn)};
  if (prepend)
    callbacks_.insert(callbacks_.begin(), std::move(callback));
  else
    callbacks_.push_back(std::move(callback));
  ++generation_;
  return handle;
}

bool Hooks::remove(HookHandle handle) {
  auto it = std::find_if(callbacks_.begin(), callbacks_.end(),
                         [&](const Callback &c) { return c.id == handle.id; });
  if (it == callbacks_.end())
    return false;
  callbacks_.erase(it);
  ++generation_;
  return true;
}

void Hooks::set_enabled(const std::string &pattern, bool enabled) {
  switches_.emplace_back(pattern, enabled);
  ++generation_;
}

bool Hooks::enabled(const std::string &path) const {
  for (auto it = switches_.rbegin(); it != switches_.rend(); ++it)
    if (pathMatches(it->first, path))
      return it->second;
  return true;
}

void Hooks::clear() {
  callbacks_.clear();
  switches_.clear();
  ++generation_;
}

void Hooks::matching(const std::string &path, HookKind kind, std::vector<size_t> *out) const {
  out->clear();
  if (!enabled(path))
    return;
  for (size_t i = 0; i < callbacks_.size(); ++i)
    if (callbacks_[i].kind == kind && pathMatches(callbacks_[i].pattern, path))
      out->push_back(i);
}

void Hooks::dispatch(const HookEvent &event) const {
  std::vector<size_t> indices;
  matching(event.path, event.kind, &indices);
  for (size_t i : indices)
    call(i, event);
}

Status HookSites::parse(const nlohmann::json &manifest, const std::string &model) {
  std::vector<HookSite> *out = &sites_;
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

void HookSites::match(const Hooks &hooks) {
  if (matchedAt_ == hooks.generation())
    return;
  matched_.resize(sites_.size());
  for (size_t i = 0; i < sites_.size(); ++i)
    hooks.matching(sites_[i].path, sites_[i].kind, &matched_[i]);
  matchedAt_ = hooks.generation();
}

bool HookSites::active(const Hooks &hooks, int64_t site) {
  if (site < 0 || static_cast<size_t>(site) >= sites_.size())
    return false;
  match(hooks);
  return !matched_[site].empty();
}

std::string HookSites::run(const Hooks &hooks, int64_t site, const char *entry, float *tensor, float *input) {
  if (!active(hooks, site))
    return "";
  const HookSite &s = sites_[site];
  HookEvent event{s.path, s.kind, s.className, entry, {tensor, &s.shape}, {input, &s.inputShape}};
  for (size_t index : matched_[site]) {
    try {
      hooks.call(index, event);
    } catch (const std::exception &e) {
      return std::string(hookKindName(s.kind)) + " hook at '" + s.path + "': " + e.what();
    } catch (...) {
      return std::string(hookKindName(s.kind)) + " hook at '" + s.path + "' threw";
    }
  }
  return "";
}

} // namespace nncc::rt
