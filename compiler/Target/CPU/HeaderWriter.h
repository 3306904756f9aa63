// The generated C++ header of an AOT artifact: a typed class over the runtime's Model (CPU) or
// CudaModel (CUDA).
#pragma once

#include <string>
#include <vector>

namespace nncc {

struct HeaderOptions {
  /// Whether the object carries the weights (adds the no-argument create()).
  bool embeddedWeights = true;
  /// Printed as a comment and exposed as kFusionSummary (CPU artifacts).
  std::string fusionSummary;
  /// A CUDA artifact: the class is <Model>Cuda over rt::CudaModel, its create() takes the
  /// device index, and the object carries the description and kernel images (`cudaImages`, the
  /// architectures) instead of compiled entry points.
  bool cuda = false;
  std::vector<std::string> cudaImages;
};

/// The header text for an artifact with manifest `manifestJson`.
std::string writeHeader(const std::string &manifestJson, const HeaderOptions &options);

} // namespace nncc
