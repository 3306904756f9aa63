// Reading the launch plan with every index checked, so that running it cannot go out of bounds.
#include "runtime/CudaPlan.h"

#include <algorithm>

namespace nncc::rt {
namespace {

GemmOperand operandOf(const nlohmann::json &j) {
  return {j.at("arg").get<int>(), j.at("offset").get<int64_t>(), j.at("ld").get<int64_t>(),
          j.at("stride").get<int64_t>()};
}

} // namespace

Status parseCudaPlan(const nlohmann::json &plan, const std::string &model,
                     const std::map<std::string, size_t> &argCounts, CudaPlan *out) {
  CudaPlan result;
  if (!plan.is_array())
    return Status::Error("model '" + model + "': the CUDA plan is not a list of entries");
  for (const auto &entry : plan) {
    std::string name = entry.value("name", "");
    auto count = argCounts.find(name);
    if (count == argCounts.end())
      return Status::Error("model '" + model + "': the CUDA plan has entry '" + name +
                           "', which the manifest lacks");
    auto bad = [&](const std::string &why) {
      return Status::Error("model '" + model + "': CUDA plan of '" + name + "': " + why);
    };
    int64_t workspace = entry.value("workspace_bytes", int64_t(0));
    if (workspace < 0)
      return bad("negative workspace");
    result.workspaceBytes[name] = workspace;
    auto argOk = [&](int arg) {
      return arg >= 0 && (static_cast<size_t>(arg) < count->second ||
                          (workspace > 0 && static_cast<size_t>(arg) == count->second));
    };
    std::vector<PlanStep> &steps = result.entries[name];
    try {
      for (const auto &launch : entry.at("launches")) {
        PlanStep step;
        step.at = launch.value("at", "");
        std::string op = launch.at("op");
        if (op == "gemm") {
          step.kind = PlanStep::Kind::Gemm;
          GemmStep &g = step.gemmStep;
          g.transa = launch.at("transa");
          g.transb = launch.at("transb");
          g.m = launch.at("m");
          g.n = launch.at("n");
          g.k = launch.at("k");
          g.batch = launch.at("batch");
          g.beta = launch.value("beta", 1.0f);
          g.a = operandOf(launch.at("a"));
          g.b = operandOf(launch.at("b"));
          g.c = operandOf(launch.at("c"));
          if (launch.contains("epilogue")) {
            const nlohmann::json &e = launch["epilogue"];
            g.epilogue = true;
            g.relu = e.at("relu");
            g.bias = {e.at("bias").at("arg").get<int>(), e.at("bias").at("offset").get<int64_t>(), 1, 0};
            g.d = operandOf(e.at("d"));
            if (g.batch != 1 || !argOk(g.bias.arg) || !argOk(g.d.arg))
              return bad("a GEMM epilogue at '" + step.at + "' has invalid arguments");
          }
          if (g.m < 1 || g.n < 1 || g.k < 1 || g.batch < 1 || !argOk(g.a.arg) || !argOk(g.b.arg) ||
              !argOk(g.c.arg) || (g.beta != 0 && g.beta != 1))
            return bad("a GEMM at '" + step.at + "' has invalid sizes or arguments");
        } else if (op == "kernel") {
          std::string kernel = launch.at("kernel");
          auto known = std::find(result.kernels.begin(), result.kernels.end(), kernel);
          step.kernel.kernel = static_cast<int>(known - result.kernels.begin());
          if (known == result.kernels.end())
            result.kernels.push_back(kernel);
          int64_t threads = launch.at("threads"), block = launch.at("block");
          if (threads < 1 || block < 1 || block > 1024 || (threads + block - 1) / block > INT32_MAX)
            return bad("kernel " + kernel + " has an invalid launch shape");
          step.kernel.grid = static_cast<unsigned>((threads + block - 1) / block);
          step.kernel.block = static_cast<unsigned>(block);
          step.kernel.args = launch.at("args").get<std::vector<int>>();
          if (!std::all_of(step.kernel.args.begin(), step.kernel.args.end(), argOk))
            return bad("kernel " + kernel + " takes an argument the entry does not have");
        } else if (op == "hook") {
          step.kind = PlanStep::Kind::Hook;
          HookStep &h = step.hook;
          h.site = launch.at("site");
          h.tensor = {launch.at("tensor").at("arg").get<int>(), launch.at("tensor").at("offset").get<int64_t>()};
          if (launch.contains("input"))
            h.input = {launch["input"].at("arg").get<int>(), launch["input"].at("offset").get<int64_t>()};
          if (h.site < 0 || !argOk(h.tensor.arg) || (h.input.arg >= 0 && !argOk(h.input.arg)))
            return bad("hook point at '" + step.at + "' has an invalid site or argument");
        } else {
          return bad("unknown step '" + op + "'");
        }
        steps.push_back(std::move(step));
      }
    } catch (const nlohmann::json::exception &e) {
      return bad(std::string("malformed: ") + e.what());
    }
  }
  *out = std::move(result);
  return Status::Ok();
}

} // namespace nncc::rt
