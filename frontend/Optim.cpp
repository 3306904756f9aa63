// Optimizer options: torch.optim's argument checks, and the nn.optimizer attribute.
#include "frontend/Optim.h"
#include "frontend/Error.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <sstream>

namespace nncc::optim {
namespace {

void check(bool ok, const char *what, double value) {
  if (ok)
    return;
  std::ostringstream message;
  message << "Invalid " << what << ": " << value;
  throw Error(message.str());
}

mlir::DictionaryAttr sgd(mlir::Builder &b, const SGDOptions &o) {
  check(o.lr_ >= 0, "learning rate", o.lr_);
  check(o.momentum_ >= 0, "momentum value", o.momentum_);
  check(o.weight_decay_ >= 0, "weight_decay value", o.weight_decay_);
  if (o.nesterov_ && (o.momentum_ <= 0 || o.dampening_ != 0))
    throw Error("Nesterov momentum requires a momentum and zero dampening");
  return b.getDictionaryAttr({b.getNamedAttr("kind", b.getStringAttr("sgd")),
                              b.getNamedAttr("lr", b.getF64FloatAttr(o.lr_)),
                              b.getNamedAttr("momentum", b.getF64FloatAttr(o.momentum_)),
                              b.getNamedAttr("dampening", b.getF64FloatAttr(o.dampening_)),
                              b.getNamedAttr("weight_decay", b.getF64FloatAttr(o.weight_decay_)),
                              b.getNamedAttr("nesterov", b.getBoolAttr(o.nesterov_))});
}

mlir::DictionaryAttr adam(mlir::Builder &b, const AdamOptions &o) {
  check(o.lr_ >= 0, "learning rate", o.lr_);
  check(o.eps_ >= 0, "epsilon value", o.eps_);
  check(o.betas_.first >= 0 && o.betas_.first < 1, "beta parameter at index 0", o.betas_.first);
  check(o.betas_.second >= 0 && o.betas_.second < 1, "beta parameter at index 1", o.betas_.second);
  check(o.weight_decay_ >= 0, "weight_decay value", o.weight_decay_);
  return b.getDictionaryAttr({b.getNamedAttr("kind", b.getStringAttr(o.decoupled_ ? "adamw" : "adam")),
                              b.getNamedAttr("lr", b.getF64FloatAttr(o.lr_)),
                              b.getNamedAttr("beta1", b.getF64FloatAttr(o.betas_.first)),
                              b.getNamedAttr("beta2", b.getF64FloatAttr(o.betas_.second)),
                              b.getNamedAttr("eps", b.getF64FloatAttr(o.eps_)),
                              b.getNamedAttr("weight_decay", b.getF64FloatAttr(o.weight_decay_))});
}

} // namespace

mlir::DictionaryAttr toAttribute(mlir::MLIRContext *ctx, const Options &options) {
  mlir::Builder b(ctx);
  if (auto *o = std::get_if<SGDOptions>(&options))
    return sgd(b, *o);
  if (auto *o = std::get_if<AdamWOptions>(&options))
    return adam(b, *o);
  return adam(b, std::get<AdamOptions>(options));
}

} // namespace nncc::optim
