// The data directory for bench/peers/run_peers.py: each workload's weights, input and nncc's result.
#include "bench/Data.h"

#include "frontend/Error.h"
#include "runtime/Npy.h"

#include <filesystem>
#include <fstream>

namespace nncc::bench {

namespace {

std::string prepare(const std::string &dir, const std::string &name) {
  std::filesystem::create_directories(dir);
  return dir + "/" + name;
}

void npy(const std::string &path, const Shape &shape, const float *data) {
  if (rt::Status s = rt::writeNpy(path, shape, data); !s.ok())
    throw Error(s.message());
}

/// A 1-D int64 .npy file (format 1.0), which rt::writeNpy (f32 only) cannot write.
void npyI64(const std::string &path, const std::vector<int64_t> &values) {
  std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" +
                       std::to_string(values.size()) + ",), }";
  // Magic (6), version (2) and header length (2), then the header padded with
  // spaces and ended by a newline so that the data starts at a multiple of 64.
  header.append(63 - (10 + header.size()) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const char prefix[] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0,
                         static_cast<char>(header.size() & 0xff),
                         static_cast<char>(header.size() >> 8)};
  out.write(prefix, sizeof prefix);
  out << header;
  out.write(reinterpret_cast<const char *>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(int64_t)));
  if (!out)
    throw Error(path + ": cannot write");
}

} // namespace

void writeForwardData(const std::string &dir, const std::string &name, const StateDict &weights,
                      const Shape &inputShape, const float *input, const Shape &outputShape,
                      const float *output) {
  std::string base = prepare(dir, name);
  save_safetensors(weights, base + ".safetensors");
  npy(base + ".input.npy", inputShape, input);
  npy(base + ".output.npy", outputShape, output);
}

void writeTrainData(const std::string &dir, const std::string &name, const StateDict &weights,
                    const Shape &inputShape, const float *input,
                    const std::vector<int64_t> &target, float firstLoss) {
  std::string base = prepare(dir, name);
  save_safetensors(weights, base + ".safetensors");
  npy(base + ".input.npy", inputShape, input);
  npyI64(base + ".target.npy", target);
  npy(base + ".loss.npy", {}, &firstLoss);
}

} // namespace nncc::bench
