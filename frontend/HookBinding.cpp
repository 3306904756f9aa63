// Running torch.nn-style hooks at hook points: tensors copied in, replacements checked and copied back.
#include "frontend/HookBinding.h"

#include "frontend/Error.h"
#include "frontend/Module.h"

#include <cstring>
#include <map>
#include <memory>

namespace nncc::nn {
namespace {

Tensor copyIn(const rt::HookTensor &t) {
  Tensor out = Tensor::empty(*t.shape);
  std::memcpy(out.data(), t.data, static_cast<size_t>(t.numel()) * sizeof(float));
  return out;
}

/// Runs `hooks` in order on `value`, each given `call(hook, current)`; a returned tensor
/// replaces the current one. Writes the result back to `dst` when any hook replaced it.
template <class Fn, class Call>
void runChain(const std::vector<std::pair<int64_t, Fn>> &hooks, const rt::HookTensor &dst,
              const std::string &what, Call call) {
  if (hooks.empty())
    return;
  Tensor current = copyIn(dst);
  bool replaced = false;
  // A copy: a hook may remove itself (or others) while the chain runs.
  auto chain = hooks;
  for (auto &[id, hook] : chain) {
    std::optional<Tensor> result = call(hook, current);
    if (!result)
      continue;
    if (!result->defined() || result->shape() != current.shape())
      throw Error(what + " returned a tensor of shape " +
                  (result->defined() ? shapeToString(result->shape()) : std::string("None")) +
                  ", expected " + shapeToString(current.shape()));
    current = *result;
    replaced = true;
  }
  if (replaced)
    std::memcpy(dst.data, current.data(), static_cast<size_t>(dst.numel()) * sizeof(float));
}

template <class Fn> std::vector<std::pair<int64_t, Fn>> concat(const HookList<Fn> &global,
                                                              const HookList<Fn> &own) {
  auto all = global.hooks;
  all.insert(all.end(), own.hooks.begin(), own.hooks.end());
  return all;
}

} // namespace

std::string globLiteral(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (std::strchr("*?[]\\", c))
      out += '\\';
    out += c;
  }
  return out;
}

void bindModuleHooks(Module &root, rt::Hooks &hooks) {
  // Each module's last grad_output, for its full backward hooks: in a backward pass the
  // output's gradient reaches its hook point before the input's.
  auto gradOutputs = std::make_shared<std::map<std::string, Tensor>>();
  for (auto &[path, m] : root.named_modules()) {
    Module *module = m;
    std::string pattern = globLiteral(path);
    std::string where = (path.empty() ? std::string("<root>") : path) + " (" + m->name() + "): ";
    hooks.attach(pattern, rt::HookKind::ForwardPre, [module, where](const rt::HookEvent &e) {
      runChain(concat(globalHooks()->forward_pre, module->hooks().forward_pre), e.tensor,
               where + "forward pre-hook",
               [&](ForwardPreHook &hook, const Tensor &x) { return hook(*module, x); });
    });
    hooks.attach(pattern, rt::HookKind::Forward, [module, where](const rt::HookEvent &e) {
      Tensor input = e.input.data ? copyIn(e.input) : Tensor();
      runChain(concat(globalHooks()->forward, module->hooks().forward), e.tensor,
               where + "forward hook",
               [&](ForwardHook &hook, const Tensor &y) { return hook(*module, input, y); });
    });
    hooks.attach(pattern, rt::HookKind::BackwardPre,
                 [module, where, path = path, gradOutputs](const rt::HookEvent &e) {
                   runChain(concat(globalHooks()->backward_pre, module->hooks().backward_pre),
                            e.tensor, where + "backward pre-hook",
                            [&](BackwardPreHook &hook, const Tensor &g) { return hook(*module, g); });
                   // Only a full backward hook needs it, later in the same backward pass.
                   if (!globalHooks()->backward.empty() || !module->hooks().backward.empty())
                     (*gradOutputs)[path] = copyIn(e.tensor);
                 });
    hooks.attach(pattern, rt::HookKind::Backward,
                 [module, where, path = path, gradOutputs](const rt::HookEvent &e) {
                   Tensor gradOutput = (*gradOutputs)[path];
                   runChain(concat(globalHooks()->backward, module->hooks().backward), e.tensor,
                            where + "full backward hook",
                            [&](BackwardHook &hook, const Tensor &g) {
                              return hook(*module, g, gradOutput);
                            });
                 });
  }
  for (auto &[key, tensor] : root.named_parameters()) {
    if (!tensor.defined())
      continue;
    Tensor param = tensor;
    hooks.attach(globLiteral(key), rt::HookKind::Grad, [param, key = key](const rt::HookEvent &e) {
      if (const HookStore *store = param.grad_hooks())
        runChain(store->grad.hooks, e.tensor, "gradient hook of '" + key + "'",
                 [&](GradHook &hook, const Tensor &g) { return hook(g); });
    });
  }
}

} // namespace nncc::nn
