// Checking gradient rules numerically: a Probe module holds the tensors a case differentiates; the
// generated backward, run by the interpreter, must match central finite differences of the
// interpreted forward, and the JIT-compiled backward must match the interpreter.
#pragma once

#include "TrainCheck.h"
#include "frontend/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>

namespace nncc::testing {

/// The root module of a gradient case: leaves are parameters standing for
/// the inputs of the ops under test; layers under test are its children.
struct Probe : nn::Module {
  Probe() : Module("Probe") {}
  /// A parameter `name` with values uniform in [lo, hi).
  Tensor leaf(const std::string &name, const Shape &shape, double lo = -1, double hi = 1) {
    return register_parameter(name, nn::init::uniform_(Tensor::empty(shape), lo, hi));
  }
  static SymTensor read(const Tensor &t) { return Recorder::active()->read(t); }
};

/// S = sum(forward() * r) in double.
inline double weightedSum(mlir::ModuleOp ir, StateDict &state, const Tensor &r) {
  Tensor y = interpret(ir, "forward", {}, state)[0];
  double s = 0;
  for (int64_t i = 0; i < y.numel(); ++i)
    s += static_cast<double>(y.data()[i]) * r.data()[i];
  return s;
}

/// Checks every trainable parameter's gradient of sum(body() * r): the
/// interpreted backward against central differences (step h, tolerance
/// atol + rtol * |g|), and the JIT's backward against the interpreter.
inline void checkGradients(Probe &probe, const std::function<SymTensor()> &body, double h = 1e-2,
                           double rtol = 2e-2, double atol = 2e-3) {
  ForwardBody forward = [&](const std::vector<SymTensor> &) { return std::vector<SymTensor>{body()}; };
  TracedModel traced = trace(probe, {}, forward);
  mlir::OwningOpRef<mlir::ModuleOp> forJit = traced.module->clone();
  generateTraining(*traced.module);
  auto resultType = mlir::cast<mlir::RankedTensorType>(
      traced.module->lookupSymbol<mlir::func::FuncOp>("forward").getResultTypes()[0]);
  Shape outShape(resultType.getShape().begin(), resultType.getShape().end());
  manual_seed(7);
  Tensor r = nn::init::uniform_(Tensor::empty(outShape), -1, 1);

  StateDict state = interpreterState(probe, *traced.module);
  interpret(*traced.module, "backward", {r}, state);
  for (auto &[key, param] : probe.named_parameters()) {
    if (!param.requires_grad()) {
      EXPECT_FALSE(state.contains("grad." + key)) << "frozen " << key << " has a gradient";
      continue;
    }
    ASSERT_TRUE(state.contains("grad." + key)) << "no gradient for " << key;
    const Tensor &grad = state.at("grad." + key);
    Tensor value = state.at(key); // shares the state's storage
    for (int64_t i = 0; i < value.numel(); ++i) {
      float saved = value.data()[i];
      value.data()[i] = saved + static_cast<float>(h);
      double plus = weightedSum(*traced.module, state, r);
      value.data()[i] = saved - static_cast<float>(h);
      double minus = weightedSum(*traced.module, state, r);
      value.data()[i] = saved;
      double numeric = (plus - minus) / (2 * h), analytic = grad.data()[i];
      EXPECT_NEAR(analytic, numeric, atol + rtol * std::abs(numeric))
          << "d/d " << key << "[" << i << "]";
    }
  }

  auto jit = compileJit(*forJit, copiedState(probe), "probe", /*train=*/true);
  jit->backward({}, {r});
  for (auto &[key, param] : probe.named_parameters())
    if (param.requires_grad())
      EXPECT_TRUE(allClose(jit->grad(key), state.at("grad." + key), 1e-4)) << "JIT gradient of " << key;
}

} // namespace nncc::testing
