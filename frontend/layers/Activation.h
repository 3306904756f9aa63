// Activation layers: modules wrapping the elementwise nonlinearities of nn::functional.
#pragma once

#include "frontend/Module.h"
#include "frontend/functional/Activation.h"

namespace nncc::nn {

/// max(0, x). `inplace` is recorded for printing and for the recorder; the
/// compiled graph decides where values live.
class ReLU : public Module {
public:
  explicit ReLU(bool inplace = false);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;

  const bool inplace;
};

/// x for x > 0, else negative_slope * x.
class LeakyReLU : public Module {
public:
  explicit LeakyReLU(double negative_slope = 0.01, bool inplace = false);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;
  const double negative_slope;
  const bool inplace;
};

/// x * Phi(x); approximate is "none" (erf) or "tanh".
class GELU : public Module {
public:
  explicit GELU(const std::string &approximate = "none");
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;
  const std::string approximate;
};

/// An activation with no settings, printed as "Name()".
template <SymTensor (*Fn)(const SymTensor &)> class SimpleActivation : public Module {
public:
  explicit SimpleActivation(const char *name) : Module(name) {}
  SymTensor forward(const SymTensor &input) override { return Fn(input); }
};

/// x * sigmoid(x).
class SiLU : public SimpleActivation<F::silu> {
public:
  SiLU() : SimpleActivation("SiLU") {}
};
/// 1 / (1 + exp(-x)).
class Sigmoid : public SimpleActivation<F::sigmoid> {
public:
  Sigmoid() : SimpleActivation("Sigmoid") {}
};
/// tanh(x).
class Tanh : public SimpleActivation<F::tanh> {
public:
  Tanh() : SimpleActivation("Tanh") {}
};
/// x * relu6(x + 3) / 6.
class Hardswish : public SimpleActivation<F::hardswish> {
public:
  Hardswish() : SimpleActivation("Hardswish") {}
};

/// Softmax or LogSoftmax along `dim`.
template <SymTensor (*Fn)(const SymTensor &, int64_t)> class SoftmaxLike : public Module {
public:
  SoftmaxLike(const char *name, int64_t dim) : Module(name), dim(dim) {}
  SymTensor forward(const SymTensor &input) override { return Fn(input, dim); }
  std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
  const int64_t dim;
};

/// exp(x) / sum(exp(x)) along dim, printed "Softmax(dim=1)". dim has no
/// default: PyTorch's implicit-dim choice is deprecated.
class Softmax : public SoftmaxLike<F::softmax> {
public:
  explicit Softmax(int64_t dim) : SoftmaxLike("Softmax", dim) {}
};
/// log(softmax(x)) along dim, printed "LogSoftmax(dim=1)".
class LogSoftmax : public SoftmaxLike<F::log_softmax> {
public:
  explicit LogSoftmax(int64_t dim) : SoftmaxLike("LogSoftmax", dim) {}
};

} // namespace nncc::nn
