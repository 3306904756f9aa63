// Tests for runtime/Safetensors: exact writer bytes, Python-written files, each validation rule.
#include "runtime/Safetensors.h"

#include <gtest/gtest.h>

#include <limits>

#include <cstring>
#include <fstream>
#include <iterator>

using nncc::rt::SafetensorsEntry;
using nncc::rt::SafetensorsReader;
using nncc::rt::SafetensorsTensor;
using nncc::rt::Status;
using nncc::rt::writeSafetensors;

namespace {

std::string golden(const std::string &rel) { return std::string(NNCC_GOLDEN_DIR) + "/" + rel; }

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "safetensors_test_" + name;
}

std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A file of the given header text (unpadded) and data bytes.
std::string makeFile(const std::string &header, const std::string &data) {
  std::string out;
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((static_cast<uint64_t>(header.size()) >> (8 * i)) & 0xff);
  return out + header + data;
}

std::vector<float> floatsOf(const SafetensorsTensor &t) {
  std::vector<float> out(static_cast<size_t>(t.numel()));
  std::memcpy(out.data(), t.data, t.size);
  return out;
}

} // namespace

TEST(Safetensors, WriterBytesAreExactAndDeterministic) {
  std::vector<float> b = {1.0f, 2.0f}, a = {-0.5f};
  std::vector<SafetensorsEntry> entries = {{"b", {2}, b.data()}, {"a", {1, 1}, a.data()}};
  std::string path = tempPath("exact.safetensors");
  ASSERT_TRUE(writeSafetensors(path, entries, {{"format", "pt"}}).ok());
  std::string header = "{\"__metadata__\":{\"format\":\"pt\"},"
                       "\"a\":{\"data_offsets\":[8,12],\"dtype\":\"F32\",\"shape\":[1,1]},"
                       "\"b\":{\"data_offsets\":[0,8],\"dtype\":\"F32\",\"shape\":[2]}}";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string data(reinterpret_cast<const char *>(b.data()), 8);
  data.append(reinterpret_cast<const char *>(a.data()), 4);
  std::string bytes = readBytes(path);
  EXPECT_EQ(bytes, makeFile(header, data));
  EXPECT_EQ((bytes.size() - 8 - data.size()) % 8, 0u);
  std::string again = tempPath("exact2.safetensors");
  ASSERT_TRUE(writeSafetensors(again, entries, {{"format", "pt"}}).ok());
  EXPECT_EQ(readBytes(again), bytes);
}

TEST(Safetensors, RoundTripKeepsOrderShapesValuesAndMetadata) {
  std::vector<float> w = {1, 2, 3, 4, 5, 6}, bias = {0.25f, -0.75f, 1e-20f};
  std::string path = tempPath("roundtrip.safetensors");
  ASSERT_TRUE(writeSafetensors(path,
                               {{"layer.weight", {3, 2}, w.data()},
                                {"layer.bias", {3}, bias.data()},
                                {"empty", {0, 4}, nullptr}},
                               {{"k", "v"}})
                  .ok());
  SafetensorsReader reader;
  Status s = SafetensorsReader::open(path, &reader);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(reader.tensors().size(), 3u);
  EXPECT_EQ(reader.tensors()[0].name, "layer.weight");
  EXPECT_EQ(reader.tensors()[1].name, "layer.bias");
  EXPECT_EQ(reader.tensors()[1].offset, 24u);
  EXPECT_EQ(reader.tensors()[1].size, 12u);
  const SafetensorsTensor *weight = reader.find("layer.weight");
  ASSERT_NE(weight, nullptr);
  EXPECT_EQ(weight->dtype, "F32");
  EXPECT_EQ(weight->shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(floatsOf(*weight), w);
  EXPECT_EQ(floatsOf(*reader.find("layer.bias")), bias);
  EXPECT_EQ(reader.find("empty")->numel(), 0);
  EXPECT_EQ(reader.find("missing"), nullptr);
  EXPECT_EQ(reader.metadata(), (std::map<std::string, std::string>{{"k", "v"}}));
}

TEST(Safetensors, ReadsTheFileWrittenByPython) {
  SafetensorsReader reader;
  Status s = SafetensorsReader::open(golden("custom/weights.safetensors"), &reader);
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<std::string> names;
  for (const SafetensorsTensor &t : reader.tensors())
    names.push_back(t.name);
  // The script writes the data in state_dict order, and tensors() is data order.
  EXPECT_EQ(names, (std::vector<std::string>{"scale", "blocks.0.weight", "blocks.0.bias",
                                             "blocks.1.weight", "blocks.1.bias", "heads.a.weight",
                                             "heads.a.bias", "heads.b.weight"}));
  EXPECT_EQ(reader.find("blocks.0.weight")->shape, (std::vector<int64_t>{32, 16}));
  EXPECT_EQ(reader.find("heads.b.weight")->shape, (std::vector<int64_t>{8, 32}));
  // torch.linspace(0.5, 2.0, 8) in float32.
  EXPECT_EQ(
      floatsOf(*reader.find("scale")),
      (std::vector<float>{0.5f, 0.7142857313156128f, 0.9285714626312256f, 1.1428571939468384f,
                          1.3571428060531616f, 1.5714285373687744f, 1.7857142686843872f, 2.0f}));
}

TEST(Safetensors, ParsesABorrowedBufferAndMovesKeepDataPointers) {
  std::vector<float> v = {3.5f, 4.5f};
  std::string bytes = makeFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                               std::string(reinterpret_cast<const char *>(v.data()), 8));
  SafetensorsReader reader;
  ASSERT_TRUE(SafetensorsReader::parse(bytes.data(), bytes.size(), "buf", &reader).ok());
  EXPECT_EQ(reader.find("x")->data,
            reinterpret_cast<const uint8_t *>(bytes.data()) + bytes.size() - 8);

  SafetensorsReader fromFile;
  ASSERT_TRUE(SafetensorsReader::open(golden("custom/weights.safetensors"), &fromFile).ok());
  std::vector<float> scale = floatsOf(*fromFile.find("scale"));
  SafetensorsReader moved = std::move(fromFile);
  EXPECT_EQ(floatsOf(*moved.find("scale")), scale);
}

TEST(Safetensors, MissingFileNamesThePath) {
  SafetensorsReader reader;
  Status s = SafetensorsReader::open(tempPath("nope.safetensors"), &reader);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nope.safetensors: cannot open"), std::string::npos) << s.message();
}

struct BadFile {
  const char *name;
  std::string bytes;
  const char *message;
};

/// `values` as little-endian bytes of `bytesEach` each.
std::string littleEndian(const std::vector<uint64_t> &values, int bytesEach) {
  std::string out;
  for (uint64_t v : values)
    for (int i = 0; i < bytesEach; ++i)
      out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}

TEST(Safetensors, ConvertsF16Bf16AndI64ToFloat) {
  // F16: 1, -2, 65504 (largest), 2^-24 (smallest subnormal), -inf.
  std::string f16 = littleEndian({0x3C00, 0xC000, 0x7BFF, 0x0001, 0xFC00}, 2);
  // BF16: 1, -3.5. I64: 3, -7 (two's complement).
  std::string bf16 = littleEndian({0x3F80, 0xC060}, 2);
  std::string i64 = littleEndian({3, static_cast<uint64_t>(-7)}, 8);
  std::string header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                       "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[10,14]},"
                       "\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[14,30]}}";
  std::string bytes = makeFile(header, f16 + bf16 + i64);
  SafetensorsReader reader;
  Status s = SafetensorsReader::parse(bytes.data(), bytes.size(), "mixed", &reader);
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<float> a(5), b(2), n(2);
  reader.find("a")->toFloat(a.data());
  reader.find("b")->toFloat(b.data());
  reader.find("n")->toFloat(n.data());
  EXPECT_EQ(a, (std::vector<float>{1.0f, -2.0f, 65504.0f, 5.9604644775390625e-8f,
                                   -std::numeric_limits<float>::infinity()}));
  EXPECT_EQ(b, (std::vector<float>{1.0f, -3.5f}));
  EXPECT_EQ(n, (std::vector<float>{3.0f, -7.0f}));
}

TEST(Safetensors, RejectsMalformedFiles) {
  std::string data8(8, '\0');
  auto one = [](const std::string &fields) { return "{\"t\":{" + fields + "}}"; };
  std::string good = makeFile(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]"), data8);
  std::string longHeader = good;
  longHeader[0] = '\x00';
  longHeader[1] = '\x10';
  std::string hugeHeader = good;
  hugeHeader[5] = '\x01';
  std::vector<BadFile> cases = {
      {"short", "abc", "buf: file is 3 bytes, too short for the 8-byte header length"},
      {"truncated", good.substr(0, 30),
       "buf: header length 54 runs past the end of the file (30 bytes)"},
      {"header past end", longHeader,
       "buf: header length 4096 runs past the end of the file (70 bytes)"},
      {"header over limit", hugeHeader,
       "buf: header length 1099511627830 exceeds the limit of 100000000 bytes"},
      {"not json", makeFile("{\"t\":", ""), "buf: header is not valid JSON"},
      {"not object", makeFile("[1,2]", ""), "buf: header is not a JSON object"},
      {"entry not object", makeFile("{\"t\":3}", ""), "buf: tensor 't' is not a JSON object"},
      {"f64", makeFile(one("\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]"), data8),
       "buf: tensor 't' has dtype F64; supported are F32, F16, BF16 and I64"},
      {"f16 size", makeFile(one("\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]"), data8),
       "buf: tensor 't' spans 8 bytes but its shape needs 4"},
      {"wrong size", makeFile(one("\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]"), data8),
       "buf: tensor 't' spans 8 bytes but its shape needs 12"},
      {"out of range",
       makeFile(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]"), data8),
       "buf: tensor 't' has data_offsets [4, 12] beyond the data section of 8 bytes"},
      {"reversed", makeFile(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]"), data8),
       "buf: tensor 't' has data_offsets [8, 0] with end before begin"},
      {"missing field", makeFile(one("\"dtype\":\"F32\",\"shape\":[2]"), data8),
       "buf: tensor 't' needs the fields dtype, shape and data_offsets"},
      {"unknown field",
       makeFile(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1"), data8),
       "buf: tensor 't' has unknown field 'x'"},
      {"negative dim",
       makeFile(one("\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]"), data8),
       "buf: tensor 't' has a shape entry that is not a non-negative integer"},
      {"overflow",
       makeFile(one("\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],"
                    "\"data_offsets\":[0,8]"),
                data8),
       "buf: tensor 't' has a shape whose byte size overflows"},
      {"bad offsets", makeFile(one("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]"), data8),
       "buf: tensor 't' needs data_offsets as two non-negative integers [begin, end]"},
      {"overlap",
       makeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                data8),
       "buf: tensors 'a' and 'b' overlap"},
      {"duplicate",
       makeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                data8),
       "buf: header names 'a' twice"},
      {"bad metadata", makeFile("{\"__metadata__\":{\"k\":1}}", ""),
       "buf: __metadata__ value of 'k' is not a string"},
  };
  for (const BadFile &c : cases) {
    SafetensorsReader reader;
    Status s = SafetensorsReader::parse(c.bytes.data(), c.bytes.size(), "buf", &reader);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.message(), c.message) << c.name;
  }
}

TEST(Safetensors, WriterRejectsBadEntries) {
  float v[2] = {0, 0};
  std::string path = tempPath("bad.safetensors");
  Status dup = writeSafetensors(path, {{"a", {1}, v}, {"a", {1}, v}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.message(), path + ": tensor 'a' is given twice");
  Status reserved = writeSafetensors(path, {{"__metadata__", {1}, v}});
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.message(), path + ": a tensor cannot be named __metadata__");
  Status negative = writeSafetensors(path, {{"a", {-1}, v}});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.message(), path + ": tensor 'a' has a negative or overflowing shape");
  Status noData = writeSafetensors(path, {{"a", {2}, nullptr}});
  ASSERT_FALSE(noData.ok());
  EXPECT_EQ(noData.message(), path + ": tensor 'a' has no data");
  Status badUtf8 = writeSafetensors(path, {{"\xff", {1}, v}});
  ASSERT_FALSE(badUtf8.ok());
  EXPECT_EQ(badUtf8.message(), path + ": a tensor name or metadata string is not valid UTF-8");
  std::string noDir = tempPath("no_such_dir/x.safetensors");
  Status unwritable = writeSafetensors(noDir, {{"a", {1}, v}});
  ASSERT_FALSE(unwritable.ok());
  EXPECT_NE(unwritable.message().find(noDir + ": cannot open for writing"), std::string::npos);
}
