// Optimizer options, as torch.optim's constructors take them. nncc compiles the optimizer into
// the train step, so an optimizer is its options: the state lives in the compiled artifact.
#pragma once

#include <utility>
#include <variant>

namespace mlir {
class DictionaryAttr;
class MLIRContext;
} // namespace mlir

namespace nncc::optim {

/// torch.optim.SGD: lr is required.
struct SGDOptions {
  explicit SGDOptions(double lr) : lr_(lr) {}
  SGDOptions &momentum(double v) { momentum_ = v; return *this; }
  SGDOptions &dampening(double v) { dampening_ = v; return *this; }
  SGDOptions &weight_decay(double v) { weight_decay_ = v; return *this; }
  SGDOptions &nesterov(bool v) { nesterov_ = v; return *this; }
  double lr_, momentum_ = 0, dampening_ = 0, weight_decay_ = 0;
  bool nesterov_ = false;
};

/// torch.optim.Adam (weight decay added to the gradient) or, with
/// `decoupled`, torch.optim.AdamW (parameters scaled by 1 - lr * wd).
struct AdamOptions {
  explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions &betas(std::pair<double, double> v) { betas_ = v; return *this; }
  AdamOptions &eps(double v) { eps_ = v; return *this; }
  AdamOptions &weight_decay(double v) { weight_decay_ = v; return *this; }
  double lr_;
  std::pair<double, double> betas_{0.9, 0.999};
  double eps_ = 1e-8, weight_decay_ = 0;
  bool decoupled_ = false;
};

/// torch.optim.AdamW: as Adam, with decoupled weight decay (default 1e-2).
struct AdamWOptions : AdamOptions {
  explicit AdamWOptions(double lr = 1e-3) : AdamOptions(lr) {
    weight_decay_ = 1e-2;
    decoupled_ = true;
  }
};

using Options = std::variant<SGDOptions, AdamOptions, AdamWOptions>;

/// Checks `options` as torch.optim does (throws nncc::Error with its message,
/// e.g. "Invalid learning rate: -1") and returns them as the IR's
/// `nn.optimizer` attribute.
mlir::DictionaryAttr toAttribute(mlir::MLIRContext *ctx, const Options &options);

} // namespace nncc::optim
