// nn::LSTM and nn::GRU: PyTorch's parameters and init, and cells unrolled over the sequence.
#include "frontend/layers/Recurrent.h"
#include "frontend/Error.h"
#include "frontend/Init.h"
#include "frontend/PyRepr.h"
#include "frontend/functional/Activation.h"
#include "frontend/functional/Mode.h"

#include <cmath>

namespace nncc::nn {

RecurrentBase::RecurrentBase(const std::string &className, int64_t gates, int64_t input_size,
                             int64_t hidden_size, int64_t num_layers, bool bias, bool batch_first,
                             double dropout)
    : Module(className), input_size(input_size), hidden_size(hidden_size), num_layers(num_layers),
      bias(bias), batch_first(batch_first), dropout(dropout) {
  if (!(dropout >= 0 && dropout <= 1))
    throw Error("dropout should be a number in range [0, 1] representing the probability of an "
                "element being zeroed");
  if (hidden_size <= 0)
    throw Error("hidden_size must be greater than zero");
  if (num_layers <= 0)
    throw Error("num_layers must be greater than zero");
  for (int64_t k = 0; k < num_layers; ++k) {
    std::string l = "_l" + std::to_string(k);
    int64_t in = k == 0 ? input_size : hidden_size;
    register_parameter("weight_ih" + l, Tensor::empty({gates * hidden_size, in}));
    register_parameter("weight_hh" + l, Tensor::empty({gates * hidden_size, hidden_size}));
    if (bias) {
      register_parameter("bias_ih" + l, Tensor::empty({gates * hidden_size}));
      register_parameter("bias_hh" + l, Tensor::empty({gates * hidden_size}));
    }
  }
  reset_parameters();
}

void RecurrentBase::reset_parameters() {
  double bound = 1 / std::sqrt(static_cast<double>(hidden_size));
  for (Tensor &p : parameters())
    init::uniform_(p, -bound, bound);
}

std::string RecurrentBase::extra_repr() const {
  std::string text = std::to_string(input_size) + ", " + std::to_string(hidden_size);
  if (num_layers != 1)
    text += ", num_layers=" + std::to_string(num_layers);
  if (!bias)
    text += ", bias=False";
  if (batch_first)
    text += ", batch_first=True";
  if (dropout != 0)
    text += ", dropout=" + pyFloat(dropout);
  return text;
}

SymTensor RecurrentBase::forward(const SymTensor &input) { return run(input, SymTensor(), SymTensor()).output; }

SymTensor RecurrentBase::gate(const std::string &weight, const std::string &biasName, int64_t layer,
                              const SymTensor &x) {
  std::string l = "_l" + std::to_string(layer);
  return F::linear(x, param(weight + l), bias ? SymTensor(param(biasName + l)) : SymTensor());
}

RecurrentOutput RecurrentBase::run(const SymTensor &input, const SymTensor &h0, const SymTensor &c0) {
  if (input.dim() != 3 || input.size(2) != input_size)
    throw Error(name() + ": input must be [L, N, " + std::to_string(input_size) +
                "] ([N, L, ...] with batch_first), got " + shapeToString(input.shape()));
  SymTensor seq = batch_first ? input.transpose(0, 1) : input;
  int64_t steps = seq.size(0), n = seq.size(1), H = hidden_size;
  Shape state{num_layers, n, H};
  for (const SymTensor *s : {&h0, &c0})
    if (s->defined() && s->shape() != state)
      throw Error(name() + ": initial state must be " + shapeToString(state) + ", got " +
                  shapeToString(s->shape()));
  SymTensor zeros = F::full({n, H}, 0.0, seq);
  std::vector<SymTensor> hs, cs;
  for (int64_t k = 0; k < num_layers; ++k) {
    SymTensor h = h0.defined() ? h0.narrow(0, k, 1).reshape({n, H}) : zeros;
    SymTensor c = c0.defined() ? c0.narrow(0, k, 1).reshape({n, H}) : zeros;
    std::vector<SymTensor> outputs;
    for (int64_t t = 0; t < steps; ++t) {
      SymTensor x = seq.narrow(0, t, 1).reshape({n, seq.size(2)});
      std::tie(h, c) = cell(k, x, h, c);
      outputs.push_back(h.reshape({1, n, H}));
    }
    seq = F::cat(outputs, 0);
    if (k + 1 < num_layers)
      seq = F::dropout(seq, dropout, is_training());
    hs.push_back(h.reshape({1, n, H}));
    cs.push_back(c.reshape({1, n, H}));
  }
  RecurrentOutput result;
  result.output = batch_first ? seq.transpose(0, 1) : seq;
  result.h_n = F::cat(hs, 0);
  if (hasCell())
    result.c_n = F::cat(cs, 0);
  return result;
}

LSTM::LSTM(int64_t input_size, int64_t hidden_size, int64_t num_layers, bool bias, bool batch_first,
           double dropout)
    : RecurrentBase("LSTM", 4, input_size, hidden_size, num_layers, bias, batch_first, dropout) {}

RecurrentOutput LSTM::operator()(const SymTensor &input, const SymTensor &h0, const SymTensor &c0) {
  CallScope scope(*this);
  RecurrentOutput result = run(input, h0, c0);
  scope.done(result.output);
  return result;
}

std::pair<SymTensor, SymTensor> LSTM::cell(int64_t layer, const SymTensor &x, const SymTensor &h,
                                           const SymTensor &c) {
  int64_t H = hidden_size;
  SymTensor gates = gate("weight_ih", "bias_ih", layer, x) + gate("weight_hh", "bias_hh", layer, h);
  SymTensor i = F::sigmoid(gates.narrow(1, 0, H)), f = F::sigmoid(gates.narrow(1, H, H));
  SymTensor g = F::tanh(gates.narrow(1, 2 * H, H)), o = F::sigmoid(gates.narrow(1, 3 * H, H));
  SymTensor next = f * c + i * g;
  return {o * F::tanh(next), next};
}

GRU::GRU(int64_t input_size, int64_t hidden_size, int64_t num_layers, bool bias, bool batch_first,
         double dropout)
    : RecurrentBase("GRU", 3, input_size, hidden_size, num_layers, bias, batch_first, dropout) {}

RecurrentOutput GRU::operator()(const SymTensor &input, const SymTensor &h0) {
  CallScope scope(*this);
  RecurrentOutput result = run(input, h0, SymTensor());
  scope.done(result.output);
  return result;
}

std::pair<SymTensor, SymTensor> GRU::cell(int64_t layer, const SymTensor &x, const SymTensor &h,
                                          const SymTensor &c) {
  int64_t H = hidden_size;
  SymTensor gi = gate("weight_ih", "bias_ih", layer, x), gh = gate("weight_hh", "bias_hh", layer, h);
  SymTensor r = F::sigmoid(gi.narrow(1, 0, H) + gh.narrow(1, 0, H));
  SymTensor z = F::sigmoid(gi.narrow(1, H, H) + gh.narrow(1, H, H));
  SymTensor n = F::tanh(gi.narrow(1, 2 * H, H) + r * gh.narrow(1, 2 * H, H));
  return {(1.0 - z) * n + z * h, c};
}

} // namespace nncc::nn
