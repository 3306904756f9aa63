// The example MLP as a CUDA AOT artifact (nncc_add_model TARGET cuda), driven through its generated
// header by a program that links only the nncc runtime: on a machine with a GPU it must match
// PyTorch; without one, create() must say "no CUDA device: ..." in one line, and nothing crashes.
#include "../e2e/GoldenUtil.h"
#include "mlp.h"
#include "runtime/CudaDriver.h"

#include <gtest/gtest.h>

namespace nncc::testing {
namespace {

bool haveGpu() {
  std::unique_ptr<rt::CudaDriver> driver;
  return rt::CudaDriver::load(0, &driver).ok();
}

TEST(CudaAot, TheHeaderDescribesTheModel) {
  EXPECT_EQ(nncc_models::MlpCuda::kInput0Shape[0], 2);
  EXPECT_EQ(nncc_models::MlpCuda::kInput0Shape[1], 784);
  EXPECT_EQ(nncc_models::MlpCuda::kOutput0Shape[1], 10);
}

TEST(CudaAot, WithoutAGpuCreateSaysSoInOneLine) {
  if (haveGpu())
    GTEST_SKIP() << "this machine has a CUDA driver and a GPU";
  std::unique_ptr<nncc_models::MlpCuda> model;
  rt::Status s = nncc_models::MlpCuda::create(&model);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("no CUDA device: ", 0), 0u) << s.message();
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  EXPECT_EQ(model, nullptr);
}

TEST(CudaAot, OnAGpuTheMlpMatchesPyTorch) {
  if (!haveGpu())
    GTEST_SKIP() << "no CUDA driver or GPU";
  std::unique_ptr<nncc_models::MlpCuda> model;
  rt::Status s = nncc_models::MlpCuda::create(&model);
  ASSERT_TRUE(s.ok()) << s.message();
  rt::NpyArray x = loadNpy(golden("mlp/input.npy"));
  std::vector<float> y(20);
  ASSERT_TRUE(model->forward(x.data.data(), y.data()).ok());
  EXPECT_TRUE(allClose({2, 10}, y.data(), loadNpy(golden("mlp/output.npy"))));
  std::unique_ptr<nncc_models::MlpCuda> missing;
  EXPECT_EQ(nncc_models::MlpCuda::create(&missing, 64).message().find("cuda:64 does not exist"), 0u);
}

} // namespace
} // namespace nncc::testing
