// The loss modules: MSELoss, L1Loss, CrossEntropyLoss, NLLLoss and BCEWithLogitsLoss. Called as
// loss(input, target) on symbolic tensors, they record the nn::functional loss.
#pragma once

#include "frontend/Module.h"
#include "frontend/Tensor.h"

#include <string>

namespace nncc::nn {

/// A module called on (input, target) rather than one input.
class Loss : public Module {
public:
  virtual SymTensor operator()(const SymTensor &input, const SymTensor &target) = 0;
  /// A loss takes (input, target): the one-input forward is an error.
  SymTensor forward(const SymTensor &input) override;
  const std::string &reduction() const { return reduction_; }
  std::string extra_repr() const override;

protected:
  Loss(const std::string &name, std::string reduction);
  std::string reduction_;
};

class MSELoss : public Loss {
public:
  explicit MSELoss(const std::string &reduction = "mean");
  SymTensor operator()(const SymTensor &input, const SymTensor &target) override;
};

class L1Loss : public Loss {
public:
  explicit L1Loss(const std::string &reduction = "mean");
  SymTensor operator()(const SymTensor &input, const SymTensor &target) override;
};

struct CrossEntropyLossOptions {
  Tensor weight;
  int64_t ignore_index = -100;
  std::string reduction = "mean";
  double label_smoothing = 0.0;
};

class CrossEntropyLoss : public Loss {
public:
  explicit CrossEntropyLoss(CrossEntropyLossOptions options = {});
  SymTensor operator()(const SymTensor &input, const SymTensor &target) override;

private:
  CrossEntropyLossOptions options_;
};

struct NLLLossOptions {
  Tensor weight;
  int64_t ignore_index = -100;
  std::string reduction = "mean";
};

class NLLLoss : public Loss {
public:
  explicit NLLLoss(NLLLossOptions options = {});
  SymTensor operator()(const SymTensor &input, const SymTensor &target) override;

private:
  NLLLossOptions options_;
};

struct BCEWithLogitsLossOptions {
  Tensor weight;
  std::string reduction = "mean";
  Tensor pos_weight;
};

class BCEWithLogitsLoss : public Loss {
public:
  explicit BCEWithLogitsLoss(BCEWithLogitsLossOptions options = {});
  SymTensor operator()(const SymTensor &input, const SymTensor &target) override;

private:
  BCEWithLogitsLossOptions options_;
};

} // namespace nncc::nn
