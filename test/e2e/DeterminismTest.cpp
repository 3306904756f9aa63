// Determinism: the same model gives byte-identical model files and artifacts.
#include "compiler/Driver/Driver.h"
#include "examples/mlp/Mlp.h"
#include "frontend/ModelFile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace nncc::testing {
namespace {

std::string bytesOf(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Determinism, SameModelGivesIdenticalFilesAndArtifacts) {
  auto dir = std::filesystem::temp_directory_path() / ("nncc-determinism-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char *run : {"a", "b"}) {
    manual_seed(7);
    auto mlp = examples::makeMlp();
    mlp->eval();
    save_model(*mlp, {{"x", {1, 784}}}, (dir / (std::string(run) + ".nnmodel")).string(), "mlp");
    LoadedModel model = loadModel((dir / (std::string(run) + ".nnmodel")).string());
    std::ostringstream unused;
    compileModel(model, CompileOptions(), (dir / run).string(), unused);
  }
  EXPECT_EQ(bytesOf(dir / "a.nnmodel"), bytesOf(dir / "b.nnmodel"));
  for (const char *file : {"mlp.o", "mlp.h", "mlp.safetensors"}) {
    std::string a = bytesOf(dir / "a" / file);
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_EQ(a, bytesOf(dir / "b" / file)) << file;
  }
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace nncc::testing
