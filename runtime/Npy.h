// NumPy .npy files of float32 in C order: a validating reader and a byte-stable writer.
//
// Rules of this header:
// - Errors come back as rt::Status with one line naming the file (or the
//   `what` given for a buffer) and what is wrong; nothing throws or aborts.
// - Only dtype '<f4' with fortran_order False is accepted; the data must be
//   exactly numel * 4 bytes after the header. Little-endian hosts only.
// - Functions keep no state and may be called from any thread.
#pragma once

#include "runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nncc::rt {

/// A float32 array read from a .npy file; `data` holds numel(shape) values.
struct NpyArray {
  std::vector<int64_t> shape;
  /// The values as f32; an int64 array ("<i8", e.g. embedding indices) is
  /// converted, and must hold integers of magnitude at most 2^24 so that the
  /// conversion is exact.
  std::vector<float> data;
  /// "f32" or "i64": what the file held.
  std::string dtype = "f32";
};

/// Reads the .npy file at `path` into `out`.
Status readNpy(const std::string &path, NpyArray *out);
/// Parses .npy bytes (format versions 1.0 to 3.0); `what` names them in errors.
Status parseNpy(const void *bytes, size_t size, const std::string &what, NpyArray *out);
/// Writes `data` (numel(shape) floats) as a format 1.0 .npy file laid out as
/// numpy.save lays it out, so equal inputs give equal bytes.
Status writeNpy(const std::string &path, const std::vector<int64_t> &shape, const float *data);

} // namespace nncc::rt
