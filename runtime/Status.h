// How the runtime reports errors: a Status value, never an exception or an abort.
#pragma once

#include <string>
#include <utility>

namespace nncc::rt {

/// Ok, or a one-line message that names the file, tensor or shape at fault.
class [[nodiscard]] Status {
public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string &message() const { return message_; }

private:
  Status() = default;
  Status(std::string message, bool failed) : message_(std::move(message)), failed_(failed) {}
  std::string message_;
  bool failed_ = false;
};

} // namespace nncc::rt
