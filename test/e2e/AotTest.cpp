// AOT artifacts linked into this binary: two models side by side, checked against goldens, with
// no heap allocation in steady-state calls.
#include "AllocationCounter.h"
#include "GoldenUtil.h"
#include "custom.h"
#include "mlp.h"

namespace nncc::testing {
namespace {

TEST(Aot, MlpFromEmbeddedWeightsMatchesPyTorch) {
  std::unique_ptr<nncc_models::Mlp> mlp;
  rt::Status s = nncc_models::Mlp::create(&mlp);
  ASSERT_TRUE(s.ok()) << s.message();
  rt::NpyArray x = loadNpy(golden("mlp/input.npy"));
  ASSERT_EQ(x.shape, (std::vector<int64_t>{nncc_models::Mlp::kInput0Shape[0], nncc_models::Mlp::kInput0Shape[1]}));
  std::vector<float> y(2 * 10);
  ASSERT_TRUE(mlp->forward(x.data.data(), y.data()).ok());
  EXPECT_TRUE(allClose({2, 10}, y.data(), loadNpy(golden("mlp/output.npy"))));
}

TEST(Aot, CustomModelMatchesPyTorch) {
  std::unique_ptr<nncc_models::Custom> model;
  rt::Status s = nncc_models::Custom::create(&model);
  ASSERT_TRUE(s.ok()) << s.message();
  rt::NpyArray x = loadNpy(golden("custom/input.npy"));
  std::vector<float> y(4 * 8);
  ASSERT_TRUE(model->forward(x.data.data(), y.data()).ok());
  EXPECT_TRUE(allClose({4, 8}, y.data(), loadNpy(golden("custom/output.npy"))));
}

TEST(Aot, WeightsFromTheSideFileGiveTheSameOutput) {
  std::unique_ptr<nncc_models::Custom> embedded, fromFile;
  ASSERT_TRUE(nncc_models::Custom::create(&embedded).ok());
  rt::Status s = nncc_models::Custom::create_from_file(golden("custom/weights.safetensors"), &fromFile);
  ASSERT_TRUE(s.ok()) << s.message();
  rt::NpyArray x = loadNpy(golden("custom/input.npy"));
  std::vector<float> a(32), b(32);
  ASSERT_TRUE(embedded->forward(x.data.data(), a.data()).ok());
  ASSERT_TRUE(fromFile->forward(x.data.data(), b.data()).ok());
  EXPECT_EQ(a, b);
}

TEST(Aot, WrongWeightsAreRejectedWithTheKey) {
  std::unique_ptr<nncc_models::Mlp> mlp;
  rt::Status s = nncc_models::Mlp::create_from_file(golden("custom/weights.safetensors"), &mlp);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "model 'mlp': weights have no tensor '0.weight'");
  s = nncc_models::Mlp::create_from_file("/nonexistent/w.safetensors", &mlp);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/w.safetensors"), std::string::npos) << s.message();
}

TEST(Aot, SteadyStateForwardAllocatesNothing) {
  std::unique_ptr<nncc_models::Mlp> mlp;
  ASSERT_TRUE(nncc_models::Mlp::create(&mlp).ok());
  std::vector<float> x(2 * 784, 0.5f), y(20);
  ASSERT_TRUE(mlp->forward(x.data(), y.data()).ok());
  long before = allocations.load();
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(mlp->forward(x.data(), y.data()).ok());
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_GT(nncc_models::Mlp::kArenaBytes, 0);
}

TEST(Aot, NullBuffersAreErrors) {
  std::unique_ptr<nncc_models::Mlp> mlp;
  ASSERT_TRUE(nncc_models::Mlp::create(&mlp).ok());
  std::vector<float> y(20);
  rt::Status s = mlp->forward(nullptr, y.data());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "model 'mlp': input 'x' is null");
}

} // namespace
} // namespace nncc::testing
