// The generated C++ header of an AOT artifact: a typed class over the runtime's Model.
#pragma once

#include <string>

namespace nncc {

struct HeaderOptions {
  /// Whether the object carries the weights (adds the no-argument create()).
  bool embeddedWeights = true;
  /// Printed as a comment and exposed as kFusionSummary.
  std::string fusionSummary;
};

/// The header text for an artifact with manifest `manifestJson`.
std::string writeHeader(const std::string &manifestJson, const HeaderOptions &options);

} // namespace nncc
