// Safetensors files: a validating reader over a buffer or a file, and a deterministic F32 writer.
//
// Rules of this header:
// - Errors come back as rt::Status with one line naming the file (or the
//   `what` given for a buffer) and what is wrong; nothing throws or aborts.
// - A reader over a caller's buffer borrows it: the buffer must outlive the
//   reader and every data pointer taken from it. A reader over a file owns
//   the bytes. Readers move but do not copy, so data pointers stay valid.
// - F32, F16, BF16 and I64 tensors are read (toFloat() converts them); the
//   writer writes F32. Tensor bytes are little-endian, as the format says:
//   nncc supports little-endian hosts only.
// - Readers are immutable after parsing and safe to share between threads.
#pragma once

#include "runtime/Layout.h"
#include "runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nncc::rt {

/// One tensor of a parsed file. `data` points at its `size` bytes inside the
/// reader's buffer and may be unaligned: copy it out with memcpy.
struct SafetensorsTensor {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  uint64_t offset = 0; ///< Start of the bytes within the data section.
  uint64_t size = 0;   ///< Byte count, numel * element size.
  const uint8_t *data = nullptr;
  int64_t numel() const;
  /// Converts the numel() values to f32 into `out` (F16, BF16 and I64 are
  /// widened or rounded as PyTorch's .float() does).
  void toFloat(float *out) const;
};

/// A parsed safetensors file: its tensors in data order and its metadata.
class SafetensorsReader {
public:
  SafetensorsReader() = default;
  SafetensorsReader(SafetensorsReader &&) = default;
  SafetensorsReader &operator=(SafetensorsReader &&) = default;
  SafetensorsReader(const SafetensorsReader &) = delete;
  SafetensorsReader &operator=(const SafetensorsReader &) = delete;

  /// Parses `size` bytes at `bytes` without copying them; `what` names the
  /// buffer in error messages.
  static Status parse(const void *bytes, size_t size, const std::string &what,
                      SafetensorsReader *out);
  /// Reads and parses the file at `path`.
  static Status open(const std::string &path, SafetensorsReader *out);

  /// The tensors, ordered by their offset in the data section.
  const std::vector<SafetensorsTensor> &tensors() const { return tensors_; }
  /// The tensor called `name`, or nullptr.
  const SafetensorsTensor *find(const std::string &name) const;
  /// The "__metadata__" string map (empty when the file has none).
  const std::map<std::string, std::string> &metadata() const { return metadata_; }

private:
  /// Validates `size` bytes at `bytes` and fills this reader's tables.
  Status load(const uint8_t *bytes, size_t size, const std::string &what);

  std::vector<uint8_t> owned_;
  std::vector<SafetensorsTensor> tensors_;
  std::map<std::string, size_t> byName_;
  std::map<std::string, std::string> metadata_;
};

/// A tensor to write: `data` holds numel(shape) floats.
struct SafetensorsEntry {
  std::string name;
  std::vector<int64_t> shape;
  const float *data = nullptr;
};

/// Writes `entries` as F32 tensors, their data in the order given, with a
/// header of sorted keys padded with spaces to a multiple of 8, so equal
/// inputs give equal bytes. `metadata` becomes "__metadata__" when non-empty.
Status writeSafetensors(const std::string &path, const std::vector<SafetensorsEntry> &entries,
                        const std::map<std::string, std::string> &metadata = {});

/// Every tensor of `reader` as a WeightView, in data order, over float copies kept in `storage`
/// (tensor bytes in a safetensors buffer may be unaligned, or not F32).
std::vector<WeightView> weightViews(const SafetensorsReader &reader, std::vector<std::vector<float>> *storage);

} // namespace nncc::rt
