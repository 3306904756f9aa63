// Python-compatible number and tuple formatting.
#include "frontend/PyRepr.h"

#include <charconv>
#include <cmath>

namespace nncc {

std::string pyFloat(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  double magnitude = std::fabs(value);
  char buffer[64];
  bool scientific = magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16);
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
                              scientific ? std::chars_format::scientific : std::chars_format::fixed);
  std::string text(buffer, result.ptr);
  if (scientific)
    return text; // to_chars writes at least two exponent digits, as Python does
  if (text.find('.') == std::string::npos)
    text += ".0";
  return text;
}

std::string pyTuple(const std::vector<int64_t> &values) {
  std::string text = "(";
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : "") + std::to_string(values[i]);
  return text + (values.size() == 1 ? ",)" : ")");
}

} // namespace nncc
