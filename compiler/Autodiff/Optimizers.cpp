// OptimizerBuilder: PyTorch's SGD, Adam and AdamW steps written as elementwise nn ops, so that
// each parameter's update fuses like any other elementwise code.
#include "compiler/Autodiff/Optimizers.h"
#include "dialects/nn/gradients/GradientUtils.h"

#include <cmath>

using namespace mlir;

namespace nncc {

FailureOr<OptimizerBuilder> OptimizerBuilder::create(ModuleOp module, OpBuilder &b,
                                                     StateDecls &state) {
  auto config = module->getAttrOfType<DictionaryAttr>(ir::kOptimizerAttr);
  if (!config)
    return module.emitError("no nn.optimizer attribute: a train step needs an optimizer "
                            "(sgd, adam or adamw)");
  OptimizerBuilder opt(b, state, NameLoc::get(b.getStringAttr("optimizer")));
  auto kind = config.getAs<StringAttr>("kind");
  opt.kind_ = kind ? kind.str() : "";
  if (opt.kind_ != "sgd" && opt.kind_ != "adam" && opt.kind_ != "adamw")
    return module.emitError("nn.optimizer: kind must be sgd, adam or adamw, got '")
           << opt.kind_ << "'";
  auto number = [&](StringRef key, double fallback, double &out) -> LogicalResult {
    Attribute attr = config.get(key);
    if (!attr) {
      out = fallback;
      return success();
    }
    auto value = dyn_cast<FloatAttr>(attr);
    if (!value || value.getValueAsDouble() < 0 || !std::isfinite(value.getValueAsDouble()))
      return module.emitError("nn.optimizer: ") << key << " must be a non-negative f64, got " << attr;
    out = value.getValueAsDouble();
    return success();
  };
  bool sgd = opt.kind_ == "sgd";
  if (failed(number("lr", sgd ? -1 : 1e-3, opt.lr_)) ||
      failed(number("weight_decay", opt.kind_ == "adamw" ? 1e-2 : 0, opt.weightDecay_)) ||
      failed(number("momentum", 0, opt.momentum_)) || failed(number("dampening", 0, opt.dampening_)) ||
      failed(number("beta1", 0.9, opt.beta1_)) || failed(number("beta2", 0.999, opt.beta2_)) ||
      failed(number("eps", 1e-8, opt.eps_)))
    return failure();
  if (opt.lr_ < 0)
    return module.emitError("nn.optimizer: sgd needs lr");
  if (opt.beta1_ >= 1 || opt.beta2_ >= 1)
    return module.emitError("nn.optimizer: betas must be in [0, 1)");
  if (auto nesterov = config.getAs<BoolAttr>("nesterov"))
    opt.nesterov_ = nesterov.getValue();
  if (opt.nesterov_ && (opt.momentum_ <= 0 || opt.dampening_ != 0))
    return module.emitError("nn.optimizer: Nesterov momentum requires a momentum and zero dampening");

  auto scalar = RankedTensorType::get({}, b.getF32Type());
  opt.step_ = state.read(b, opt.loc_, "optim.step", scalar);
  ir::grad::GradBuilder g(b, opt.loc_);
  opt.nextStep_ = g.shift(opt.step_, 1.0);
  state.write(b, opt.loc_, "optim.step", opt.nextStep_);
  return opt;
}

void OptimizerBuilder::update(StringRef name, Value param, Value grad) {
  if (kind_ == "sgd")
    sgd(name, param, grad);
  else
    adam(name, param, grad);
}

/// d = g + wd p; buf = momentum buf + (1 - dampening) d, except on the first
/// step, where buf = d; p -= lr (nesterov ? d + momentum buf : buf).
void OptimizerBuilder::sgd(StringRef name, Value param, Value grad) {
  ir::grad::GradBuilder g(*b_, loc_);
  Value d = weightDecay_ != 0 ? g.add(grad, g.scale(param, weightDecay_)) : grad;
  Value update = d;
  if (momentum_ != 0) {
    std::string key = "optim." + name.str() + ".momentum_buffer";
    Value buf = state_->read(*b_, loc_, key, param.getType());
    Value fresh = d;
    if (dampening_ != 0) {
      // started = min(step, 1) = (step + 1 - |step - 1|) / 2, exact for the
      // integer step counts: 0 on the first step, 1 afterwards.
      Value started = g.scale(g.sub(g.shift(step_, 1.0), g.abs(g.shift(step_, -1.0))), 0.5);
      fresh = g.mul(d, g.sub(g.constant(1.0), g.scale(started, dampening_)));
    }
    Value next = g.add(g.scale(buf, momentum_), fresh);
    state_->write(*b_, loc_, key, next);
    update = nesterov_ ? g.add(d, g.scale(next, momentum_)) : next;
  }
  state_->write(*b_, loc_, name, g.sub(param, g.scale(update, lr_)));
}

/// m = b1 m + (1 - b1) d; v = b2 v + (1 - b2) d^2; with bias corrections
/// bc_i = 1 - b_i^t: p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps).
/// Adam adds wd p to the gradient; AdamW scales p by 1 - lr wd first.
void OptimizerBuilder::adam(StringRef name, Value param, Value grad) {
  ir::grad::GradBuilder g(*b_, loc_);
  Value p = param, d = grad;
  if (weightDecay_ != 0) {
    if (kind_ == "adamw")
      p = g.scale(param, 1.0 - lr_ * weightDecay_);
    else
      d = g.add(grad, g.scale(param, weightDecay_));
  }
  std::string prefix = "optim." + name.str();
  Value m = state_->read(*b_, loc_, prefix + ".exp_avg", param.getType());
  Value v = state_->read(*b_, loc_, prefix + ".exp_avg_sq", param.getType());
  Value nextM = g.add(g.scale(m, beta1_), g.scale(d, 1.0 - beta1_));
  Value nextV = g.add(g.scale(v, beta2_), g.scale(g.mul(d, d), 1.0 - beta2_));
  state_->write(*b_, loc_, prefix + ".exp_avg", nextM);
  state_->write(*b_, loc_, prefix + ".exp_avg_sq", nextV);
  // b^t = exp(t ln b), on scalars.
  auto correction = [&](double beta) {
    return g.sub(g.constant(1.0), g.exp(g.scale(nextStep_, std::log(beta))));
  };
  Value stepSize = g.div(g.constant(lr_), correction(beta1_));
  Value denom = g.shift(g.div(g.sqrt(nextV), g.sqrt(correction(beta2_))), eps_);
  state_->write(*b_, loc_, name, g.sub(p, g.mul(stepSize, g.div(nextM, denom))));
}

} // namespace nncc
