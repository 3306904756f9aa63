// Safetensors reading with full validation of the header and offsets, and deterministic writing.
#include "runtime/Safetensors.h"
#include "runtime/FileIO.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

namespace nncc::rt {

namespace {

using nlohmann::json;

/// safetensors' own cap on the JSON header, which bounds what a bad length can make us parse.
constexpr uint64_t kMaxHeaderSize = 100'000'000;
constexpr uint64_t kF32Bytes = 4;

using io::byteCount;
using io::fail;

/// Bytes per element of a supported dtype, 0 for an unsupported one.
uint64_t dtypeBytes(const std::string &dtype) {
  if (dtype == "F32")
    return 4;
  if (dtype == "F16" || dtype == "BF16")
    return 2;
  if (dtype == "I64")
    return 8;
  return 0;
}

/// IEEE half to float, subnormals, infinities and NaN included.
float halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff, bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal: normalise the mantissa.
    exponent = 113;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// Parses one tensor's header entry into `t` (all but its data pointer).
Status parseEntry(const std::string &what, const std::string &name, const json &info,
                  SafetensorsTensor *t) {
  std::string where = "tensor '" + name + "'";
  if (!info.is_object())
    return fail(what, where + " is not a JSON object");
  for (auto it = info.begin(); it != info.end(); ++it)
    if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets")
      return fail(what, where + " has unknown field '" + it.key() + "'");
  auto dtype = info.find("dtype");
  auto shape = info.find("shape");
  auto offsets = info.find("data_offsets");
  if (dtype == info.end() || shape == info.end() || offsets == info.end())
    return fail(what, where + " needs the fields dtype, shape and data_offsets");
  if (!dtype->is_string())
    return fail(what, where + " has a dtype that is not a string");
  t->name = name;
  t->dtype = dtype->get<std::string>();
  uint64_t elementBytes = dtypeBytes(t->dtype);
  if (!elementBytes)
    return fail(what, where + " has dtype " + t->dtype + "; supported are F32, F16, BF16 and I64");
  if (!shape->is_array())
    return fail(what, where + " has a shape that is not an array");
  t->shape.clear();
  for (const json &d : *shape) {
    if (!d.is_number_unsigned() ||
        d.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return fail(what, where + " has a shape entry that is not a non-negative integer");
    t->shape.push_back(static_cast<int64_t>(d.get<uint64_t>()));
  }
  if (!offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
      !(*offsets)[1].is_number_unsigned())
    return fail(what, where + " needs data_offsets as two non-negative integers [begin, end]");
  uint64_t begin = (*offsets)[0].get<uint64_t>(), end = (*offsets)[1].get<uint64_t>();
  if (end < begin)
    return fail(what, where + " has data_offsets [" + std::to_string(begin) + ", " +
                          std::to_string(end) + "] with end before begin");
  uint64_t expected = 0;
  if (!byteCount(t->shape, elementBytes, &expected))
    return fail(what, where + " has a shape whose byte size overflows");
  if (end - begin != expected)
    return fail(what, where + " spans " + std::to_string(end - begin) + " bytes but its shape " +
                          "needs " + std::to_string(expected));
  t->offset = begin;
  t->size = end - begin;
  return Status::Ok();
}

/// Parses the "__metadata__" object, which must map strings to strings.
Status parseMetadata(const std::string &what, const json &meta,
                     std::map<std::string, std::string> *out) {
  if (!meta.is_object())
    return fail(what, "__metadata__ is not a JSON object");
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (!it.value().is_string())
      return fail(what, "__metadata__ value of '" + it.key() + "' is not a string");
    (*out)[it.key()] = it.value().get<std::string>();
  }
  return Status::Ok();
}

/// Parses and checks the JSON header; a duplicate top-level key is an error,
/// which nlohmann would otherwise resolve silently.
Status parseHeader(const std::string &what, const char *text, size_t size, json *out) {
  std::string duplicate;
  std::set<std::string> seen;
  json::parser_callback_t onEvent = [&](int depth, json::parse_event_t event, json &parsed) {
    if (depth == 1 && event == json::parse_event_t::key &&
        !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  *out = json::parse(text, text + size, onEvent, /*allow_exceptions=*/false);
  if (out->is_discarded())
    return fail(what, "header is not valid JSON");
  if (!out->is_object())
    return fail(what, "header is not a JSON object");
  if (!duplicate.empty())
    return fail(what, "header names '" + duplicate + "' twice");
  return Status::Ok();
}

/// Validates the whole file and lists its tensors (sorted by offset) and metadata.
Status parseFile(const uint8_t *bytes, size_t size, const std::string &what,
                 std::vector<SafetensorsTensor> *tensors,
                 std::map<std::string, std::string> *metadata) {
  if (size < 8)
    return fail(what, "file is " + std::to_string(size) +
                          " bytes, too short for the 8-byte header length");
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = (headerSize << 8) | bytes[i];
  if (headerSize > kMaxHeaderSize)
    return fail(what, "header length " + std::to_string(headerSize) + " exceeds the limit of " +
                          std::to_string(kMaxHeaderSize) + " bytes");
  if (headerSize > size - 8)
    return fail(what, "header length " + std::to_string(headerSize) +
                          " runs past the end of the file (" + std::to_string(size) + " bytes)");
  json header;
  if (Status s = parseHeader(what, reinterpret_cast<const char *>(bytes + 8), headerSize, &header);
      !s.ok())
    return s;
  const uint8_t *dataStart = bytes + 8 + headerSize;
  uint64_t dataSize = size - 8 - headerSize;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (Status s = parseMetadata(what, it.value(), metadata); !s.ok())
        return s;
      continue;
    }
    SafetensorsTensor t;
    if (Status s = parseEntry(what, it.key(), it.value(), &t); !s.ok())
      return s;
    if (t.offset > dataSize || t.size > dataSize - t.offset)
      return fail(what, "tensor '" + t.name + "' has data_offsets [" + std::to_string(t.offset) +
                            ", " + std::to_string(t.offset + t.size) +
                            "] beyond the data section of " + std::to_string(dataSize) + " bytes");
    t.data = dataStart + t.offset;
    tensors->push_back(std::move(t));
  }
  std::sort(tensors->begin(), tensors->end(),
            [](const SafetensorsTensor &a, const SafetensorsTensor &b) {
              return a.offset != b.offset ? a.offset < b.offset : a.name < b.name;
            });
  for (size_t i = 1; i < tensors->size(); ++i) {
    const SafetensorsTensor &prev = (*tensors)[i - 1], &cur = (*tensors)[i];
    if (cur.offset < prev.offset + prev.size)
      return fail(what, "tensors '" + prev.name + "' and '" + cur.name + "' overlap");
  }
  return Status::Ok();
}

} // namespace

void SafetensorsTensor::toFloat(float *out) const {
  int64_t n = numel();
  if (dtype == "F32") {
    std::memcpy(out, data, static_cast<size_t>(n) * 4);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t *p = data + i * static_cast<int64_t>(dtypeBytes(dtype));
    if (dtype == "I64") {
      int64_t v;
      std::memcpy(&v, p, sizeof v);
      out[i] = static_cast<float>(v);
      continue;
    }
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    if (dtype == "F16") {
      out[i] = halfToFloat(h);
    } else {
      uint32_t bits = static_cast<uint32_t>(h) << 16;
      std::memcpy(&out[i], &bits, sizeof bits);
    }
  }
}

int64_t SafetensorsTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Status SafetensorsReader::load(const uint8_t *bytes, size_t size, const std::string &what) {
  try {
    if (Status s = parseFile(bytes, size, what, &tensors_, &metadata_); !s.ok())
      return s;
  } catch (const std::exception &e) {
    return fail(what, std::string("cannot parse header: ") + e.what());
  }
  for (size_t i = 0; i < tensors_.size(); ++i)
    byName_[tensors_[i].name] = i;
  return Status::Ok();
}

Status SafetensorsReader::parse(const void *bytes, size_t size, const std::string &what,
                                SafetensorsReader *out) {
  SafetensorsReader reader;
  if (Status s = reader.load(static_cast<const uint8_t *>(bytes), size, what); !s.ok())
    return s;
  *out = std::move(reader);
  return Status::Ok();
}

Status SafetensorsReader::open(const std::string &path, SafetensorsReader *out) {
  SafetensorsReader reader;
  if (Status s = io::readFile(path, &reader.owned_); !s.ok())
    return s;
  if (Status s = reader.load(reader.owned_.data(), reader.owned_.size(), path); !s.ok())
    return s;
  *out = std::move(reader);
  return Status::Ok();
}

const SafetensorsTensor *SafetensorsReader::find(const std::string &name) const {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : &tensors_[it->second];
}

Status writeSafetensors(const std::string &path, const std::vector<SafetensorsEntry> &entries,
                        const std::map<std::string, std::string> &metadata) {
  json header = json::object();
  uint64_t offset = 0;
  for (const SafetensorsEntry &e : entries) {
    if (e.name == "__metadata__")
      return fail(path, "a tensor cannot be named __metadata__");
    if (header.contains(e.name))
      return fail(path, "tensor '" + e.name + "' is given twice");
    uint64_t bytes = 0;
    if (!byteCount(e.shape, kF32Bytes, &bytes))
      return fail(path, "tensor '" + e.name + "' has a negative or overflowing shape");
    if (bytes != 0 && !e.data)
      return fail(path, "tensor '" + e.name + "' has no data");
    header[e.name] = {
        {"dtype", "F32"}, {"shape", e.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!metadata.empty())
    header["__metadata__"] = metadata;
  std::string text;
  try {
    text = header.dump();
  } catch (const json::type_error &) {
    return fail(path, "a tensor name or metadata string is not valid UTF-8");
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return fail(path, std::string("cannot open for writing: ") + std::strerror(errno));
  char length[8];
  for (int i = 0; i < 8; ++i)
    length[i] = static_cast<char>((static_cast<uint64_t>(text.size()) >> (8 * i)) & 0xff);
  out.write(length, 8);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const SafetensorsEntry &e : entries) {
    uint64_t bytes = 0;
    byteCount(e.shape, kF32Bytes, &bytes);
    out.write(reinterpret_cast<const char *>(e.data), static_cast<std::streamsize>(bytes));
  }
  out.close();
  if (!out)
    return fail(path, "write failed");
  return Status::Ok();
}

std::vector<WeightView> weightViews(const SafetensorsReader &reader, std::vector<std::vector<float>> *storage) {
  std::vector<WeightView> views;
  storage->clear();
  storage->reserve(reader.tensors().size());
  for (const SafetensorsTensor &t : reader.tensors()) {
    storage->emplace_back(static_cast<size_t>(t.numel()));
    t.toFloat(storage->back().data());
    views.push_back({t.name, t.shape, storage->back().data()});
  }
  return views;
}

} // namespace nncc::rt
