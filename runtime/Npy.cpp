// .npy reading with a checked parse of the header's dict literal, and numpy.save-identical writing.
#include "runtime/Npy.h"
#include "runtime/FileIO.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

namespace nncc::rt {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr uint64_t kF32Bytes = 4;

using io::byteCount;
using io::fail;

/// The header's dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
struct Header {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// A recursive-descent reader of the few Python literals a .npy header holds.
class HeaderParser {
public:
  HeaderParser(const std::string &text, const std::string &what) : text_(text), what_(what) {}

  Status parse(Header *out) {
    bool sawDescr = false, sawOrder = false, sawShape = false;
    if (!consume('{'))
      return error("does not start with '{'");
    while (!peek('}')) {
      std::string key;
      if (Status s = string(&key); !s.ok())
        return s;
      if (!consume(':'))
        return error("has no ':' after key '" + key + "'");
      Status s = Status::Ok();
      if (key == "descr" && !sawDescr) {
        sawDescr = true;
        s = string(&out->descr);
      } else if (key == "fortran_order" && !sawOrder) {
        sawOrder = true;
        s = boolean(&out->fortranOrder);
      } else if (key == "shape" && !sawShape) {
        sawShape = true;
        s = tuple(&out->shape);
      } else {
        return error("has an unexpected or repeated key '" + key + "'");
      }
      if (!s.ok())
        return s;
      if (!consume(',') && !peek('}'))
        return error("has no ',' or '}' after the value of '" + key + "'");
    }
    consume('}');
    skipSpace();
    if (pos_ != text_.size())
      return error("has trailing characters after '}'");
    if (!sawDescr || !sawOrder || !sawShape)
      return fail(what_, "header needs the keys 'descr', 'fortran_order' and 'shape'");
    return Status::Ok();
  }

private:
  Status error(const std::string &message) const {
    return fail(what_, "header " + message + " at offset " + std::to_string(pos_));
  }
  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t'))
      ++pos_;
  }
  bool peek(char c) {
    skipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos_;
    return true;
  }
  Status string(std::string *out) {
    skipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      return error("has a key or value that is not a quoted string");
    char quote = text_[pos_++];
    size_t end = text_.find(quote, pos_);
    if (end == std::string::npos)
      return error("has an unterminated string");
    *out = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return Status::Ok();
  }
  Status boolean(bool *out) {
    skipSpace();
    for (auto [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      if (text_.compare(pos_, std::strlen(word), word) == 0) {
        pos_ += std::strlen(word);
        *out = value;
        return Status::Ok();
      }
    }
    return error("has a fortran_order that is not True or False");
  }
  Status tuple(std::vector<int64_t> *out) {
    if (!consume('('))
      return error("has a shape that is not a tuple");
    out->clear();
    while (!peek(')')) {
      int64_t value = 0;
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        int digit = text_[pos_++] - '0';
        if (value > (std::numeric_limits<int64_t>::max() - digit) / 10)
          return error("has a shape dimension that overflows int64");
        value = value * 10 + digit;
      }
      if (pos_ == start)
        return error("has a shape entry that is not a non-negative integer");
      if (pos_ < text_.size() && text_[pos_] == 'L') // Python 2's long suffix.
        ++pos_;
      out->push_back(value);
      if (!consume(',') && !peek(')'))
        return error("has no ',' or ')' after a shape dimension");
    }
    ++pos_;
    return Status::Ok();
  }

  const std::string &text_;
  const std::string &what_;
  size_t pos_ = 0;
};

/// The shape as Python's repr writes a tuple: "()", "(3,)", "(2, 784)".
std::string shapeRepr(const std::vector<int64_t> &shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

} // namespace

Status parseNpy(const void *bytes, size_t size, const std::string &what, NpyArray *out) {
  const auto *p = static_cast<const uint8_t *>(bytes);
  if (size < kMagicSize + 2 || std::memcmp(p, kMagic, kMagicSize) != 0)
    return fail(what, "not a .npy file (bad magic)");
  uint8_t major = p[6];
  if (major < 1 || major > 3)
    return fail(what, "unsupported .npy format version " + std::to_string(major) + "." +
                          std::to_string(p[7]));
  size_t lengthBytes = major == 1 ? 2 : 4;
  size_t prefix = kMagicSize + 2 + lengthBytes;
  if (size < prefix)
    return fail(what,
                "file is " + std::to_string(size) + " bytes, too short for the header length");
  uint64_t headerSize = 0;
  for (size_t i = lengthBytes; i-- > 0;)
    headerSize = (headerSize << 8) | p[kMagicSize + 2 + i];
  if (headerSize > size - prefix)
    return fail(what, "header length " + std::to_string(headerSize) +
                          " runs past the end of the file (" + std::to_string(size) + " bytes)");
  std::string text(reinterpret_cast<const char *>(p + prefix), static_cast<size_t>(headerSize));
  Header header;
  if (Status s = HeaderParser(text, what).parse(&header); !s.ok())
    return s;
  if (header.descr != "<f4" && header.descr != "<i8")
    return fail(what, "dtype '" + header.descr +
                          "' is not supported; expected '<f4' (float32) or '<i8' (int64 indices)");
  uint64_t elementBytes = header.descr == "<i8" ? 8 : kF32Bytes;
  if (header.fortranOrder)
    return fail(what, "fortran_order True is not supported; expected C order");
  uint64_t dataBytes = 0;
  if (!byteCount(header.shape, elementBytes, &dataBytes))
    return fail(what, "shape " + shapeRepr(header.shape) + " is too large");
  uint64_t available = size - prefix - headerSize;
  if (available != dataBytes)
    return fail(what, "shape " + shapeRepr(header.shape) + " needs " + std::to_string(dataBytes) +
                          " data bytes but the file has " + std::to_string(available));
  out->shape = std::move(header.shape);
  out->data.resize(static_cast<size_t>(dataBytes / elementBytes));
  out->dtype = elementBytes == 8 ? "i64" : "f32";
  const uint8_t *data = p + prefix + headerSize;
  if (elementBytes == kF32Bytes) {
    if (dataBytes != 0)
      std::memcpy(out->data.data(), data, static_cast<size_t>(dataBytes));
    return Status::Ok();
  }
  for (size_t i = 0; i < out->data.size(); ++i) {
    int64_t v;
    std::memcpy(&v, data + i * 8, sizeof v);
    if (v > (int64_t(1) << 24) || v < -(int64_t(1) << 24))
      return fail(what, "int64 value " + std::to_string(v) + " at index " + std::to_string(i) +
                            " is beyond 2^24 and cannot be used exactly");
    out->data[i] = static_cast<float>(v);
  }
  return Status::Ok();
}

Status readNpy(const std::string &path, NpyArray *out) {
  std::vector<uint8_t> bytes;
  if (Status s = io::readFile(path, &bytes); !s.ok())
    return s;
  return parseNpy(bytes.data(), bytes.size(), path, out);
}

Status writeNpy(const std::string &path, const std::vector<int64_t> &shape, const float *data) {
  uint64_t dataBytes = 0;
  if (!byteCount(shape, kF32Bytes, &dataBytes))
    return fail(path, "shape " + shapeRepr(shape) + " is negative or too large");
  if (dataBytes != 0 && !data)
    return fail(path, "no data given for shape " + shapeRepr(shape));
  // numpy.save's layout: sorted keys, room to grow the first dimension to 21
  // digits, then spaces and a newline up to a multiple of 64 bytes.
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeRepr(shape) + ", }";
  if (!shape.empty())
    header.append(21 - std::to_string(shape[0]).size(), ' ');
  size_t used = kMagicSize + 2 + 2 + header.size() + 1;
  header.append(64 - used % 64, ' ');
  header += '\n';
  if (header.size() > 0xffff)
    return fail(path,
                "header of " + std::to_string(header.size()) + " bytes does not fit format 1.0");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return fail(path, std::string("cannot open for writing: ") + std::strerror(errno));
  const char prefix[] = {'\x93',
                         'N',
                         'U',
                         'M',
                         'P',
                         'Y',
                         1,
                         0,
                         static_cast<char>(header.size() & 0xff),
                         static_cast<char>(header.size() >> 8)};
  out.write(prefix, sizeof prefix);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(dataBytes));
  out.close();
  if (!out)
    return fail(path, "write failed");
  return Status::Ok();
}

} // namespace nncc::rt
