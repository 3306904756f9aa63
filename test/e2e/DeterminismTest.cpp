// Determinism: the same model gives byte-identical model files and artifacts.
#include "compiler/Driver/Driver.h"
#include "examples/mlp/Mlp.h"
#include "frontend/ModelFile.h"
#include "test/ReferenceModels.h"

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

TEST(Determinism, EveryStageAndTheCudaArtifactOfATrainingCnnAreIdentical) {
  // Bufferization visits functions in an order that changes from run to run; what it makes
  // must not (nncc-order-globals). Several runs, since a bad order shows only sometimes.
  auto dir = std::filesystem::temp_directory_path() / ("nncc-determinism-cnn-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  manual_seed(3);
  auto cnn = testing::cnn();
  cnn->eval();
  std::string file = (dir / "cnn.nnmodel").string();
  save_model(*cnn, {{"x", {2, 3, 8, 8}}}, file, "cnn");
  std::map<std::string, std::string> first;
  for (int run = 0; run < 4; ++run) {
    std::map<std::string, std::string> outputs;
    for (Emit emit : {Emit::Autodiff, Emit::Fused, Emit::Memref, Emit::Loops, Emit::Cuda}) {
      LoadedModel model = loadModel(file);
      CompileOptions options;
      options.train = true;
      options.emit = emit;
      options.target = emit == Emit::Cuda ? Target::Cuda : Target::Cpu;
      std::ostringstream text;
      compileModel(model, options, "", text);
      outputs["stage " + std::to_string(static_cast<int>(emit))] = text.str();
    }
    LoadedModel model = loadModel(file);
    CompileOptions cuda;
    cuda.train = true;
    cuda.target = Target::Cuda;
    std::ostringstream unused;
    std::filesystem::path out = dir / ("run" + std::to_string(run));
    compileModel(model, cuda, out.string(), unused);
    for (const auto &entry : std::filesystem::directory_iterator(out))
      outputs[entry.path().filename().string()] = bytesOf(entry.path());
    if (run == 0) {
      first = outputs;
      EXPECT_GE(first.size(), 10u);
      continue;
    }
    for (const auto &[name, bytes] : first) {
      EXPECT_FALSE(bytes.empty()) << name;
      EXPECT_EQ(outputs[name], bytes) << name << ", run " << run;
    }
  }
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace nncc::testing
