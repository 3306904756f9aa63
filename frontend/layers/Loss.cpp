// The loss modules: each records its nn::functional loss with the options it was built with.
#include "frontend/layers/Loss.h"
#include "frontend/Error.h"
#include "frontend/functional/Loss.h"

namespace nncc::nn {

Loss::Loss(const std::string &name, std::string reduction)
    : Module(name), reduction_(std::move(reduction)) {
  if (reduction_ != "mean" && reduction_ != "sum" && reduction_ != "none")
    throw Error(name + ": " + reduction_ + " is not a valid value for reduction");
}

SymTensor Loss::forward(const SymTensor &) {
  throw Error(name() + ".forward takes (input, target); call it as loss(input, target)");
}

std::string Loss::extra_repr() const { return reduction_ == "mean" ? "" : "reduction=" + reduction_; }

MSELoss::MSELoss(const std::string &reduction) : Loss("MSELoss", reduction) {}
SymTensor MSELoss::operator()(const SymTensor &input, const SymTensor &target) {
  return F::mse_loss(input, target, reduction_);
}

L1Loss::L1Loss(const std::string &reduction) : Loss("L1Loss", reduction) {}
SymTensor L1Loss::operator()(const SymTensor &input, const SymTensor &target) {
  return F::l1_loss(input, target, reduction_);
}

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyLossOptions options)
    : Loss("CrossEntropyLoss", options.reduction), options_(std::move(options)) {}
SymTensor CrossEntropyLoss::operator()(const SymTensor &input, const SymTensor &target) {
  return F::cross_entropy(input, target, options_.weight, options_.ignore_index, reduction_,
                          options_.label_smoothing);
}

NLLLoss::NLLLoss(NLLLossOptions options)
    : Loss("NLLLoss", options.reduction), options_(std::move(options)) {}
SymTensor NLLLoss::operator()(const SymTensor &input, const SymTensor &target) {
  return F::nll_loss(input, target, options_.weight, options_.ignore_index, reduction_);
}

BCEWithLogitsLoss::BCEWithLogitsLoss(BCEWithLogitsLossOptions options)
    : Loss("BCEWithLogitsLoss", options.reduction), options_(std::move(options)) {}
SymTensor BCEWithLogitsLoss::operator()(const SymTensor &input, const SymTensor &target) {
  return F::binary_cross_entropy_with_logits(input, target, options_.weight, reduction_,
                                             options_.pos_weight);
}

} // namespace nncc::nn
