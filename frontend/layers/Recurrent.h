// nn::LSTM and nn::GRU: multi-layer recurrent networks unrolled over the (static) sequence.
#pragma once

#include "frontend/Module.h"

namespace nncc::nn {

/// What a recurrent layer returns: the top layer's output at every step,
/// and the final hidden (and, for LSTM, cell) state of every layer
/// ([num_layers, N, H]).
struct RecurrentOutput {
  SymTensor output;
  SymTensor h_n;
  SymTensor c_n;
};

/// The shared shape of LSTM and GRU: weight_ih_l{k} [G*H, in], weight_hh_l{k}
/// [G*H, H], bias_ih_l{k} and bias_hh_l{k} [G*H], all uniform in
/// ±1/sqrt(hidden_size), in PyTorch's order. Inputs are [L, N, in] ([N, L,
/// in] with batch_first). Dropout applies between layers in train mode.
/// bidirectional is not supported.
class RecurrentBase : public Module {
public:
  void reset_parameters();
  std::string extra_repr() const override;
  /// The output sequence only, so the layer fits where one tensor flows.
  SymTensor forward(const SymTensor &input) override;

  const int64_t input_size, hidden_size, num_layers;
  const bool bias, batch_first;
  const double dropout;

protected:
  RecurrentBase(const std::string &className, int64_t gates, int64_t input_size, int64_t hidden_size,
                int64_t num_layers, bool bias, bool batch_first, double dropout);
  /// Runs every layer over the sequence from the initial states (zeros when
  /// undefined).
  RecurrentOutput run(const SymTensor &input, const SymTensor &h0, const SymTensor &c0);
  /// One step of one layer: the new h (and c) from x [N, in] and the state.
  virtual std::pair<SymTensor, SymTensor> cell(int64_t layer, const SymTensor &x, const SymTensor &h,
                                               const SymTensor &c) = 0;
  /// x W^T + b for gate rows [from, from + hidden_size) of `weight`.
  SymTensor gate(const std::string &weight, const std::string &bias, int64_t index, const SymTensor &x);
  virtual bool hasCell() const = 0;
};

/// Gates i, f, g, o; c' = f c + i g, h' = o tanh(c').
class LSTM : public RecurrentBase {
public:
  LSTM(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1, bool bias = true,
       bool batch_first = false, double dropout = 0.0);
  /// output, (h_n, c_n) from optional (h0, c0).
  RecurrentOutput operator()(const SymTensor &input, const SymTensor &h0, const SymTensor &c0);
  using Module::operator();

protected:
  std::pair<SymTensor, SymTensor> cell(int64_t layer, const SymTensor &x, const SymTensor &h,
                                       const SymTensor &c) override;
  bool hasCell() const override { return true; }
};

/// Gates r, z, n; n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.
class GRU : public RecurrentBase {
public:
  GRU(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1, bool bias = true,
      bool batch_first = false, double dropout = 0.0);
  /// output, h_n from an optional h0.
  RecurrentOutput operator()(const SymTensor &input, const SymTensor &h0);
  using Module::operator();

protected:
  std::pair<SymTensor, SymTensor> cell(int64_t layer, const SymTensor &x, const SymTensor &h,
                                       const SymTensor &c) override;
  bool hasCell() const override { return false; }
};

} // namespace nncc::nn
