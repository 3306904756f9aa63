// Tests for runtime/Npy: round trips, byte-identity with numpy.save, malformed files.
#include "runtime/Npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

using nncc::rt::NpyArray;
using nncc::rt::parseNpy;
using nncc::rt::readNpy;
using nncc::rt::Status;
using nncc::rt::writeNpy;

namespace {

std::string golden(const std::string &rel) { return std::string(NNCC_GOLDEN_DIR) + "/" + rel; }

std::string tempPath(const std::string &name) { return ::testing::TempDir() + "npy_test_" + name; }

std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A .npy file with `dict` as its header, padded as numpy pads, then `data`.
std::string makeNpy(const std::string &dict, const std::string &data, int major = 1) {
  size_t lengthBytes = major == 1 ? 2 : 4;
  std::string header = dict;
  size_t used = 8 + lengthBytes + header.size() + 1;
  header.append((64 - used % 64) % 64, ' ');
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  for (size_t i = 0; i < lengthBytes; ++i)
    out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string floatBytes(const std::vector<float> &values) {
  return std::string(reinterpret_cast<const char *>(values.data()), values.size() * 4);
}

const std::string kDict23 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

Status parse(const std::string &bytes, NpyArray *out) {
  return parseNpy(bytes.data(), bytes.size(), "buf.npy", out);
}

} // namespace

TEST(Npy, ReadsInt64IndicesExactlyAndRejectsHugeOnes) {
  std::vector<int64_t> values{0, 7, -3, 1 << 24};
  std::string data(reinterpret_cast<const char *>(values.data()), values.size() * 8);
  std::string bytes = makeNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", data);
  NpyArray array;
  Status s = parseNpy(bytes.data(), bytes.size(), "idx.npy", &array);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(array.dtype, "i64");
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(array.data, (std::vector<float>{0, 7, -3, 16777216}));
  values[1] = (int64_t(1) << 24) + 1;
  data.assign(reinterpret_cast<const char *>(values.data()), values.size() * 8);
  bytes = makeNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", data);
  s = parseNpy(bytes.data(), bytes.size(), "idx.npy", &array);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "idx.npy: int64 value 16777217 at index 1 is beyond 2^24 and cannot be used exactly");
}

TEST(Npy, WriteThenReadRoundTrips) {
  std::vector<float> values = {1.5f, -2.0f, 3.25f, 0.0f, -0.0f, 1e-30f};
  std::string path = tempPath("roundtrip.npy");
  ASSERT_TRUE(writeNpy(path, {2, 3}, values.data()).ok());
  NpyArray array;
  Status s = readNpy(path, &array);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  ASSERT_EQ(array.data.size(), 6u);
  EXPECT_EQ(std::memcmp(array.data.data(), values.data(), 24), 0);
}

TEST(Npy, ScalarAndEmptyShapesRoundTrip) {
  float one = 7.0f;
  std::string scalar = tempPath("scalar.npy"), empty = tempPath("empty.npy");
  ASSERT_TRUE(writeNpy(scalar, {}, &one).ok());
  ASSERT_TRUE(writeNpy(empty, {0, 5}, nullptr).ok());
  NpyArray a, b;
  ASSERT_TRUE(readNpy(scalar, &a).ok());
  ASSERT_TRUE(readNpy(empty, &b).ok());
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.data, std::vector<float>{7.0f});
  EXPECT_EQ(b.shape, (std::vector<int64_t>{0, 5}));
  EXPECT_TRUE(b.data.empty());
}

TEST(Npy, WriterOutputIsByteIdenticalToNumpySave) {
  for (const char *file : {"rng/seed0_uniform_7.npy", "rng/seed0_uniform_3x17.npy",
                           "rng/seed0_kaiming_uniform_8x4x3x3.npy", "mlp/input.npy"}) {
    std::string expected = readBytes(golden(file));
    ASSERT_FALSE(expected.empty()) << file;
    NpyArray array;
    ASSERT_TRUE(readNpy(golden(file), &array).ok()) << file;
    std::string path = tempPath("copy.npy");
    ASSERT_TRUE(writeNpy(path, array.shape, array.data.data()).ok());
    EXPECT_EQ(readBytes(path), expected) << file;
  }
}

TEST(Npy, ReadsNumpyGoldenWithItsValues) {
  NpyArray array;
  ASSERT_TRUE(readNpy(golden("mlp/input.npy"), &array).ok());
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 784}));
  ASSERT_EQ(array.data.size(), 2u * 784u);
  // torch.manual_seed(1); torch.rand(2, 784) starts with these values.
  EXPECT_EQ(array.data[0], 0.7576315999031067f);
  EXPECT_EQ(array.data[1], 0.2793108820915222f);
  EXPECT_EQ(array.data[2], 0.40306925773620605f);
}

TEST(Npy, AcceptsVersion2HeadersAndAnyKeyOrder) {
  std::vector<float> values = {1, 2, 3, 4, 5, 6};
  NpyArray array;
  std::string dict = "{'shape': (2, 3), 'fortran_order': False, \"descr\": '<f4'}";
  Status s = parse(makeNpy(dict, floatBytes(values), 2), &array);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(array.data, values);
}

TEST(Npy, MissingFileNamesThePath) {
  NpyArray array;
  Status s = readNpy(tempPath("does_not_exist.npy"), &array);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("does_not_exist.npy: cannot open"), std::string::npos) << s.message();
}

struct BadNpy {
  const char *name;
  std::string bytes;
  const char *message;
};

TEST(Npy, RejectsMalformedFiles) {
  std::string good = makeNpy(kDict23, floatBytes({1, 2, 3, 4, 5, 6}));
  std::string longHeader = good;
  longHeader[8] = '\xff';
  longHeader[9] = '\x7f';
  std::vector<BadNpy> cases = {
      {"empty", "", "buf.npy: not a .npy file (bad magic)"},
      {"bad magic", "\x93NUMPZ" + good.substr(6), "buf.npy: not a .npy file (bad magic)"},
      {"prefix only", good.substr(0, 9),
       "buf.npy: file is 9 bytes, too short for the header length"},
      {"version 4", good.substr(0, 6) + '\x04' + good.substr(7),
       "buf.npy: unsupported .npy format version 4.0"},
      {"header past end", longHeader,
       "buf.npy: header length 32767 runs past the end of the file (152 bytes)"},
      {"truncated data", good.substr(0, good.size() - 1),
       "buf.npy: shape (2, 3) needs 24 data bytes but the file has 23"},
      {"trailing data", good + "x",
       "buf.npy: shape (2, 3) needs 24 data bytes but the file has 25"},
      {"float64",
       makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", std::string(24, '\0')),
       "buf.npy: dtype '<f8' is not supported; expected '<f4' (float32) or '<i8' (int64 indices)"},
      {"big endian",
       makeNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0')),
       "buf.npy: dtype '>f4' is not supported; expected '<f4' (float32) or '<i8' (int64 indices)"},
      {"fortran",
       makeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
               floatBytes({1, 2, 3, 4, 5, 6})),
       "buf.npy: fortran_order True is not supported; expected C order"},
      {"bad shape", makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", ""),
       "buf.npy: header has a shape entry that is not a non-negative integer at offset 54"},
      {"missing key",
       makeNpy("{'descr': '<f4', 'shape': (2, 3), }", floatBytes({1, 2, 3, 4, 5, 6})),
       "buf.npy: header needs the keys 'descr', 'fortran_order' and 'shape'"},
      {"extra key", makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", ""),
       "buf.npy: header has an unexpected or repeated key 'x' at offset 60"},
      {"overflow",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", ""),
       "buf.npy: header has a shape dimension that overflows int64 at offset 70"},
      {"too large",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }", ""),
       "buf.npy: shape (4611686018427387904,) is too large"},
  };
  for (const BadNpy &c : cases) {
    NpyArray array;
    Status s = parse(c.bytes, &array);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.message(), c.message) << c.name;
  }
}

TEST(Npy, WriterRejectsNegativeShapesAndUnwritablePaths) {
  float v = 0;
  Status negative = writeNpy(tempPath("neg.npy"), {2, -1}, &v);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.message().find("shape (2, -1) is negative or too large"), std::string::npos);
  Status noDir = writeNpy(tempPath("no_such_dir/x.npy"), {1}, &v);
  ASSERT_FALSE(noDir.ok());
  EXPECT_NE(noDir.message().find("no_such_dir/x.npy: cannot open for writing"), std::string::npos)
      << noDir.message();
}
