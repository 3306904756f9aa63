// The exception type the frontend throws, carrying PyTorch's message for the same mistake.
#pragma once

#include <stdexcept>
#include <string>

namespace nncc {

/// Raised where PyTorch raises (KeyError, TypeError, ValueError, RuntimeError);
/// what() is a single line that names the module path or key involved.
class Error : public std::runtime_error {
public:
  explicit Error(const std::string &message) : std::runtime_error(message) {}
};

} // namespace nncc
