// Whole-file reads, checked byte counts and error lines for the runtime's readers.
#include "runtime/FileIO.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

namespace nncc::rt::io {

Status fail(const std::string &what, const std::string &message) {
  return Status::Error(what + ": " + message);
}

bool byteCount(const std::vector<int64_t> &shape, uint64_t elementBytes, uint64_t *out) {
  uint64_t n = elementBytes;
  for (int64_t d : shape) {
    auto ud = static_cast<uint64_t>(d);
    if (d < 0 || (ud != 0 && n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / ud))
      return false;
    n *= ud;
  }
  *out = n;
  return true;
}

Status readFile(const std::string &path, std::vector<uint8_t> *out) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return fail(path, std::string("cannot open: ") + std::strerror(errno));
  std::streamoff end = in.tellg();
  if (end < 0)
    return fail(path, "cannot determine the file size");
  out->resize(static_cast<size_t>(end));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char *>(out->data()), end))
    return fail(path, "cannot read " + std::to_string(end) + " bytes");
  return Status::Ok();
}

} // namespace nncc::rt::io
