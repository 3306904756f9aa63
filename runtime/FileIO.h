// Helpers the runtime's file readers share: whole-file reads, byte counts, error lines.
#pragma once

#include "runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nncc::rt::io {

/// "<what>: <message>", the shape of every runtime error line.
Status fail(const std::string &what, const std::string &message);

/// numel(shape) * elementBytes, or false when a dimension is negative or the
/// product overflows int64.
bool byteCount(const std::vector<int64_t> &shape, uint64_t elementBytes, uint64_t *out);

/// Reads the whole file at `path` into `out`.
Status readFile(const std::string &path, std::vector<uint8_t> *out);

} // namespace nncc::rt::io
