// nn::MaxPool2d, nn::AvgPool2d and nn::AdaptiveAvgPool2d.
#pragma once

#include "frontend/Module.h"
#include "frontend/functional/Conv.h"

#include <optional>

namespace nncc::nn {

using functional::Size2;

/// stride defaults to kernel_size; printed as PyTorch prints the arguments.
class MaxPool2d : public Module {
public:
  explicit MaxPool2d(Size2 kernel_size, std::optional<Size2> stride = std::nullopt, Size2 padding = 0,
                     Size2 dilation = 1, bool ceil_mode = false);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;
  const Size2 kernel_size, stride, padding, dilation;
  const bool ceil_mode;
};

/// stride defaults to kernel_size; count_include_pad and divisor_override
/// choose each window's divisor; prints kernel_size, stride and padding only.
class AvgPool2d : public Module {
public:
  explicit AvgPool2d(Size2 kernel_size, std::optional<Size2> stride = std::nullopt, Size2 padding = 0,
                     bool ceil_mode = false, bool count_include_pad = true,
                     std::optional<int64_t> divisor_override = std::nullopt);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;
  const Size2 kernel_size, stride, padding;
  const bool ceil_mode, count_include_pad;
  const std::optional<int64_t> divisor_override;
};

/// Means over windows that cover the input to give `output_size` exactly.
class AdaptiveAvgPool2d : public Module {
public:
  explicit AdaptiveAvgPool2d(Size2 output_size);
  SymTensor forward(const SymTensor &input) override;
  std::string extra_repr() const override;
  const Size2 output_size;
};

} // namespace nncc::nn
